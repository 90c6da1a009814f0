import math
import re

from django import forms
from django.utils import timezone
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

CODE_LENGTH = 6


class CodeForm(forms.Form):
    """A code from the user's authenticator app, checked against `device` (throttled by django-otp).

    A code is accepted once only: the next check needs the app's next code.
    """

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text=f"The {CODE_LENGTH}-digit code your authenticator app shows now.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.retry_after: int | None = None  # seconds, when too many wrong codes have paused checking
        self.verified_device: TOTPDevice | None = None  # the device as saved by the check, once the code is right

    @property
    def is_throttled(self) -> bool:
        return self.retry_after is not None

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(rf"\d{{{CODE_LENGTH}}}", code):
            raise forms.ValidationError(f"Enter the {CODE_LENGTH} digits your authenticator app shows.", "format")
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            wait = (details["locked_until"] - timezone.now()).total_seconds()
            self.retry_after = max(1, math.ceil(wait))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes. Checking is paused for %(seconds)d second: please wait and try again.",
                    "Too many wrong codes. Checking is paused for %(seconds)d seconds: please wait and try again.",
                    self.retry_after,
                ),
                "throttled",
                params={"seconds": self.retry_after},
            )
        self.verified_device = verify_token(self.device.user, self.device.persistent_id, code)
        if self.verified_device is None:
            raise forms.ValidationError(
                "That code is not right, or it has been used already. Enter the code your app shows now.", "invalid"
            )
        return code
