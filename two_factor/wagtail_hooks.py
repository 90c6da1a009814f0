from django.urls import include, path, reverse
from wagtail import hooks

from . import urls
from .devices import confirmed_device


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("two-factor/", include(urls))]


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    """A button under Account → More actions, saying whether two-factor authentication is on."""
    if confirmed_device(request.user) is not None:
        help_text = "On: signing in asks for a code from your authenticator app."
    else:
        help_text = "Off: ask for a code from an authenticator app as well as your password when you sign in."
    return {"url": reverse("two_factor:settings"), "label": "Two-factor authentication", "help_text": help_text}
