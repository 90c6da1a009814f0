"""Holds a session that has signed in with a password but not yet entered its code at the code page."""

from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from core.errors import is_admin_request

from .devices import confirmed_device, needs_code

# Admin views a session waiting for its code can still reach: signing in and out, the code page, and
# the script and icons those pages load.
VIEWS_BEFORE_THE_CODE = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "two_factor:verify",
}
# With WAGTAIL_2FA_REQUIRED, the views a user without a device can reach: the above and the setup page.
VIEWS_BEFORE_SETUP = {*VIEWS_BEFORE_THE_CODE, "two_factor:settings"}


def _anonymous_until_verified(user):
    """The user, or an anonymous one while their session still owes the code."""
    if needs_code(user):
        anonymous = AnonymousUser()
        anonymous.otp_device = None
        anonymous.is_verified = lambda: False
        return anonymous
    return user


class TwoFactorMiddleware:
    """
    After `django_otp.middleware.OTPMiddleware`. In the admin, a user with a device whose session has
    not entered a code is sent to the code page (and, with `WAGTAIL_2FA_REQUIRED`, a user with admin
    access but no device to the setup page). Everywhere else such a session is simply not signed in,
    so a password alone opens no login-restricted page or private document either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_admin_request(request):
            request.user = SimpleLazyObject(partial(_anonymous_until_verified, request.user))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_request(request):
            return None
        view_name = request.resolver_match.view_name
        user = request.user
        if view_name in VIEWS_BEFORE_THE_CODE or not user.is_authenticated or user.is_verified():
            return None
        if confirmed_device(user) is not None:
            return redirect_to_login(request.get_full_path(), reverse("two_factor:verify"))
        if (
            settings.WAGTAIL_2FA_REQUIRED
            and view_name not in VIEWS_BEFORE_SETUP
            and user.has_perm("wagtailadmin.access_admin")
        ):
            return redirect("two_factor:settings")
        return None
