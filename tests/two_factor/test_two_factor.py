"""Optional TOTP two-factor authentication for the admin: setup, the code after the password, throttling, removal."""

import re
from base64 import b32encode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
VERIFY_URL = "/admin/two-factor/verify/"
SETTINGS_URL = "/admin/two-factor/"
REMOVE_URL = "/admin/two-factor/remove/"


@pytest.fixture
def clock():
    """A stopped clock, so each test decides when the authenticator app shows its next code (every 30 s)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def code_now(device: TOTPDevice) -> str:
    """The code the authenticator app shows at this moment."""
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def next_code(device: TOTPDevice, clock) -> str:
    """The code the app shows after the next 30-second step (each code is accepted once only)."""
    clock.shift(timedelta(seconds=device.step))
    return code_now(device)


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are none of the codes the device accepts right now (its tolerance is one step either way)."""
    accepted = {
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset).token()
        for offset in (-1, 0, 1)
    }
    return next(f"{n:06d}" for n in range(10**6) if n not in accepted)


@pytest.fixture
def editor(db):
    return UserFactory(username="erin", is_superuser=True)


@pytest.fixture
def editor_with_app(editor):
    return TOTPDeviceFactory(user=editor)


def sign_in_with_password(client, next_url: str = "/admin/"):
    response = client.post("/admin/login/", {"username": "erin", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, "the password is right"
    return response


def test_setup_shows_a_qr_code_and_the_secret_and_the_first_code_turns_it_on(client, editor, clock):
    client.force_login(editor)

    page = client.get(SETTINGS_URL)

    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert re.search(r"<svg[^>]*>.*QR code for your authenticator app", html, re.S)
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    assert client.get(SETTINGS_URL).content.decode().count(secret) == 1, "reloading keeps the same secret"

    refused = client.post(SETTINGS_URL, {"code": wrong_code(device)})
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    response = client.post(SETTINGS_URL, {"code": next_code(device, clock)})

    assert response.status_code == 302 and response["Location"] == SETTINGS_URL
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get("/admin/").status_code == 200, "the session that set it up is not asked again"
    assert "Two-factor authentication is <strong>on</strong>" in client.get(SETTINGS_URL).content.decode()


def test_after_the_password_the_admin_asks_for_the_code_before_any_page(client, editor_with_app, clock):
    sign_in_with_password(client)

    for path in ["/admin/", "/admin/pages/", "/admin/account/", SETTINGS_URL]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{VERIFY_URL}?next={path}"

    page = client.get(f"{VERIFY_URL}?next=/admin/pages/")
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_a_session_waiting_for_its_code_can_still_sign_out(client, editor_with_app, clock):
    sign_in_with_password(client)

    response = client.post("/admin/logout/")

    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_and_the_right_one_gets_in(client, editor_with_app, clock):
    sign_in_with_password(client)

    refused = client.post(VERIFY_URL, {"code": wrong_code(editor_with_app), "next": "/admin/pages/"})
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    response = client.post(VERIFY_URL, {"code": next_code(editor_with_app, clock), "next": "/admin/pages/"})

    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_code_that_is_not_six_digits_gets_a_form_error(client, editor_with_app, clock):
    sign_in_with_password(client)

    response = client.post(VERIFY_URL, {"code": "12ab"})

    assert response.status_code == 400
    assert "Enter the 6 digits your authenticator app shows" in response.content.decode()


def test_wrong_codes_are_throttled_even_the_right_code_waits(client, editor_with_app, clock):
    """django-otp doubles the wait after each wrong code in a row: 1, 2, 4, 8… seconds."""
    sign_in_with_password(client)

    for wait in (1, 2, 4):
        assert client.post(VERIFY_URL, {"code": wrong_code(editor_with_app)}).status_code == 400
        response = client.post(VERIFY_URL, {"code": code_now(editor_with_app)})
        assert response.status_code == 429
        assert response["Retry-After"] == str(wait)
        assert "Too many wrong codes" in response.content.decode()
        assert client.get("/admin/").status_code == 302
        clock.shift(timedelta(seconds=wait))

    assert client.post(VERIFY_URL, {"code": code_now(editor_with_app)}).status_code == 302


def test_a_code_is_accepted_once_only(client, editor_with_app, clock):
    code = next_code(editor_with_app, clock)
    sign_in_with_password(client)
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302

    other_browser = Client()
    sign_in_with_password(other_browser)

    assert other_browser.post(VERIFY_URL, {"code": code}).status_code == 400


def test_only_local_next_urls_are_followed(client, editor_with_app, clock):
    sign_in_with_password(client)

    response = client.post(VERIFY_URL, {"code": next_code(editor_with_app, clock), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


def test_a_user_without_an_app_signs_in_as_before(client, editor):
    sign_in_with_password(client)

    assert client.get("/admin/").status_code == 200
    assert client.get(VERIFY_URL)["Location"] == "/admin/"


def test_outside_the_admin_a_session_waiting_for_its_code_is_not_signed_in(
    client, editor_with_app, service_page, clock
):
    PageViewRestriction.objects.create(page=service_page, restriction_type=PageViewRestriction.LOGIN)
    sign_in_with_password(client)

    assert client.get(service_page.url).status_code == 302, "sent to sign in, the password alone is not enough"

    client.post(VERIFY_URL, {"code": next_code(editor_with_app, clock)})

    assert client.get(service_page.url).status_code == 200


def test_removing_the_app_needs_a_current_code(client, editor_with_app, clock):
    sign_in_with_password(client)
    client.post(VERIFY_URL, {"code": next_code(editor_with_app, clock)})

    refused = client.post(REMOVE_URL, {"code": wrong_code(editor_with_app)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=editor_with_app.user).exists()

    response = client.post(REMOVE_URL, {"code": next_code(editor_with_app, clock)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor_with_app.user).exists()
    client.logout()
    sign_in_with_password(client)
    assert client.get("/admin/").status_code == 200, "the password alone signs in again"


def test_the_account_page_offers_two_factor_authentication(client, editor):
    client.force_login(editor)

    html = client.get("/admin/account/").content.decode()

    assert f'href="{SETTINGS_URL}"' in html
    assert "Off: ask for a code" in html


def test_when_required_staff_without_an_app_are_sent_to_set_one_up(client, settings):
    settings.WAGTAIL_2FA_REQUIRED = True
    editor = UserFactory(username="erin", groups=["Editors"])
    reader = UserFactory(username="reader")
    client.force_login(editor)

    assert client.get("/admin/pages/")["Location"] == SETTINGS_URL
    page = client.get(SETTINGS_URL)
    assert page.status_code == 200
    assert "required for the admin" in page.content.decode()

    client.force_login(reader)
    assert client.get("/admin/")["Location"].startswith("/admin/login/"), "no admin access: Wagtail's own refusal"


def test_an_administrator_can_turn_it_off_for_a_user_who_lost_their_phone(client, editor_with_app):
    call_command("disable_two_factor", "erin")

    assert not TOTPDevice.objects.filter(user=editor_with_app.user).exists()
    sign_in_with_password(client)
    assert client.get("/admin/").status_code == 200
