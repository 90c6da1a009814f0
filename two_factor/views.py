"""Admin views: turn two-factor authentication on and off (in the account area), and enter a code after signing in."""

import logging
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .devices import confirmed_device, device_being_set_up
from .forms import CodeForm

logger = logging.getLogger(__name__)

PAGE_TITLE = "Two-factor authentication"


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code, drawn here: no outside QR service sees the secret."""
    qr = segno.make(device.config_url, error="m")
    # Dark modules on an explicit white background, so the code also scans in the admin's dark theme.
    svg = qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", title="QR code for your authenticator app")
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the URL is only encoded in the modules


def readable_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _refused(response, form: CodeForm):
    """A page showing the form's error: 400 for a wrong code, 429 (with Retry-After) while checking is paused."""
    response.status_code = 400
    if form.is_throttled:
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class TwoFactorSettingsView(WagtailAdminTemplateMixin, TemplateView):
    """Set up an authenticator app (QR code, secret, first code), or see that it is on and remove it."""

    template_name = "two_factor/settings.html"
    page_title = PAGE_TITLE
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(required=settings.WAGTAIL_2FA_REQUIRED, **kwargs)

    def get(self, request):
        device = confirmed_device(request.user)
        if device is not None:
            return self.render_enabled(CodeForm(device))
        return self.render_setup(CodeForm(device_being_set_up(request.user)))

    def post(self, request):
        """Confirm the device being set up with its first code."""
        if confirmed_device(request.user) is not None:
            return redirect("two_factor:settings")
        form = CodeForm(device_being_set_up(request.user), request.POST)
        if not form.is_valid():
            return _refused(self.render_setup(form), form)
        device = form.verified_device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # This session has just proved it holds the device; the user's other sessions will be asked for a code.
        django_otp.login(request, device)
        logger.info("Two-factor authentication turned on for user %s.", request.user.pk)
        messages.success(
            request, "Two-factor authentication is on: signing in now asks for a code from your authenticator app."
        )
        return redirect("two_factor:settings")

    def render_setup(self, form: CodeForm):
        context = self.get_context_data(
            form=form, enabled=False, qr_code=qr_code_svg(form.device), secret=readable_secret(form.device)
        )
        return self.render_to_response(context)

    def render_enabled(self, form: CodeForm):
        return self.render_to_response(self.get_context_data(form=form, enabled=True))


class DisableTwoFactorView(TwoFactorSettingsView):
    """Remove the authenticator app, on a current code from it (a session left open is not enough)."""

    http_method_names = ["post"]

    def post(self, request):
        device = confirmed_device(request.user)
        if device is None:
            return redirect("two_factor:settings")
        form = CodeForm(device, request.POST)
        if not form.is_valid():
            return _refused(self.render_enabled(form), form)
        TOTPDevice.objects.devices_for_user(request.user).delete()
        logger.info("Two-factor authentication turned off for user %s.", request.user.pk)
        messages.success(request, "Two-factor authentication is off: signing in asks for your password only.")
        return redirect("two_factor:settings")


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class VerifyCodeView(TemplateView):
    """After the password: the code from the user's authenticator app, before any other admin page."""

    template_name = "two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.device = confirmed_device(request.user)
        if self.device is None or request.user.is_verified():
            return redirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str:
        """Where the user was going (a local URL only), else the dashboard."""
        url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(url, self.request.get_host(), self.request.is_secure()):
            return url
        return reverse("wagtailadmin_home")

    def code_form(self, data=None) -> CodeForm:
        form = CodeForm(self.device, data)
        # The only field on the page: focused, as Wagtail focuses the username on its sign-in page.
        form.fields["code"].widget.attrs["autofocus"] = True
        return form

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.code_form(), next=self.next_url()))

    def post(self, request):
        form = self.code_form(request.POST)
        if not form.is_valid():
            return _refused(self.render_to_response(self.get_context_data(form=form, next=self.next_url())), form)
        django_otp.login(request, form.verified_device)
        return redirect(self.next_url())
