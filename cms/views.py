"""Error views: problem JSON under /api/, the site's own friendly pages everywhere else."""

from django.shortcuts import render

from api.problems import problem_response


def _is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api_request(request):
        return problem_response(404, "Nothing is published at this address.")
    return render(request, "404.html", status=404)


def server_error(request):
    if _is_api_request(request):
        return problem_response(500, "The server could not answer this request. Please try again.")
    return render(request, "500.html", status=500)
