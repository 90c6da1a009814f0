"""
Limits on guessing passwords: the sign-in forms (through django-axes) and page passwords.

Sign-ins (the Wagtail admin's and the front end's `_util/login/`) are counted by django-axes in the
database, per client IP (`core.ratelimit.client_ip`, so X-Forwarded-For counts only behind trusted
proxies); `lockout_response` is its `AXES_LOCKOUT_CALLABLE`. Wrong page passwords are counted in
the shared cache by `authenticate_with_password`, which wraps Wagtail's view of the same name.
Both answer 429 with a page saying how long to wait, and a `Retry-After` header.
"""

import math
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import views as wagtail_views

from core.errors import is_admin_request
from core.ratelimit import client_ip, forgive, hit

PROTECTED_PAGE_SCOPE = "page-password"


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def _too_many_attempts(request, template: str, retry_after: int, context: dict):
    response = render(request, template, {**context, "minutes": _minutes(retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _seconds_until_unlocked(request) -> int:
    """When the client's last counted failure leaves the cool-off window: by then it can sign in again."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
    latest = AccessAttempt.objects.filter(ip_address=ip_address).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((latest + cool_off - timezone.now()).total_seconds()))


def lockout_response(request, original_response=None, credentials=None):
    """429 for a client IP locked out after too many failed sign-ins, in the look of the form it came from."""
    retry_after = _seconds_until_unlocked(request)
    if is_admin_request(request):
        return _too_many_attempts(request, "login_limits/admin_locked_out.html", retry_after, {})
    return _too_many_attempts(
        request,
        "login_limits/too_many_attempts.html",
        retry_after,
        {
            "heading": "Too many sign-in attempts",
            "what": "failed sign-ins",
            "back_url": request.get_full_path(),
            "back_label": "Back to sign in",
        },
    )


def authenticate_with_password(request, page_view_restriction_id: int, page_id: int):
    """Wagtail's page-password form handler, refusing a client IP that has sent too many wrong passwords.

    Each attempt is counted before the password is checked and forgiven when it was right (Wagtail
    redirects to the page then, and re-renders the form otherwise), so only wrong passwords count and
    parallel requests cannot get more guesses through than the limit allows.
    """
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    limit = hit(
        PROTECTED_PAGE_SCOPE,
        client_ip(request),
        settings.PAGE_PASSWORD_RATE_LIMIT,
        settings.PAGE_PASSWORD_RATE_PERIOD,
    )
    if limit is not None and not limit.allowed:
        return_url = request.POST.get("return_url", "")
        if not url_has_allowed_host_and_scheme(return_url, request.get_host(), request.is_secure()):
            return_url = "/"
        return _too_many_attempts(
            request,
            "login_limits/too_many_attempts.html",
            limit.reset,
            {
                "heading": "Too many wrong passwords",
                "what": "wrong passwords",
                "back_url": return_url,
                "back_label": "Back to the page",
            },
        )
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if limit is not None and isinstance(response, HttpResponseRedirectBase):
        forgive(limit)
    return response
