from django.http import HttpResponse


def floor(request):
    """The cheapest possible response through the full middleware stack: the ceiling for any page."""
    return HttpResponse("ok", content_type="text/plain")
