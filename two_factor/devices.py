"""Which TOTP device a user has, and whether the current session still has to enter a code from it."""

from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def confirmed_device(user) -> TOTPDevice | None:
    """The authenticator app the user signs in with, if they have turned two-factor authentication on."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def device_being_set_up(user) -> TOTPDevice:
    """The unconfirmed device of a setup in progress: kept, so that reloading the page keeps its secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def needs_code(user) -> bool:
    """True for a signed-in user whose session has not entered a code yet although they have a device."""
    return user.is_authenticated and not user.is_verified() and confirmed_device(user) is not None
