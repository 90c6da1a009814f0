"""Sign-in limits (django-axes): a client IP that keeps failing to sign in is locked out for the cool-off."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOCKED_OUT = "too many failed sign-ins from your network"


@pytest.fixture
def editor(db):
    return UserFactory(username="erin", is_superuser=True)


def sign_in(client, password: str, **headers):
    return client.post("/admin/login/", {"username": "erin", "password": password, "next": "/admin/"}, **headers)


def is_signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def fail_until_locked_out(client, **headers) -> list:
    return [sign_in(client, "not-the-password", **headers) for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_the_default_limit_is_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_failures_lock_the_ip_out_and_then_even_the_right_password_gets_a_429(client, editor):
    responses = fail_until_locked_out(client)

    *before_the_limit, at_the_limit = responses
    for response in before_the_limit:
        assert response.status_code == 200
        assert "didn&#x27;t match" in response.content.decode()
    assert at_the_limit.status_code == 429

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_OUT in html and "wait 15 minutes" in html
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert not is_signed_in(client)


def test_another_ip_can_still_sign_in(client, editor):
    fail_until_locked_out(client, REMOTE_ADDR="203.0.113.7")

    response = sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_signed_in(client)


def test_after_the_cool_off_the_user_can_sign_in_again(client, editor):
    fail_until_locked_out(client)

    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        response = sign_in(client, PASSWORD)
        assert response.status_code == 429
        assert 4 * 60 < int(response["Retry-After"]) <= 5 * 60, "attempts while locked out do not extend the wait"

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_spoofed_x_forwarded_for_does_not_reset_the_count(client, editor, settings):
    settings.API_TRUSTED_PROXIES = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_on_its_own(client, editor, settings):
    settings.API_TRUSTED_PROXIES = 1
    fail_until_locked_out(client, HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302


def test_the_front_end_sign_in_form_is_limited_too_with_the_sites_own_page(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/_util/login/", {"username": "erin", "password": "not-the-password"})

    response = client.post("/_util/login/", {"username": "erin", "password": PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html and 'class="site-header"' in html
    assert "_auth_user_id" not in client.session
