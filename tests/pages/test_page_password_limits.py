"""Password-protected pages: wrong passwords are limited per client IP, right ones are never held against anyone."""

import math
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db

PASSWORD = "open-sesame"
LIMIT = 3
PERIOD = 15 * 60


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.PAGE_PASSWORD_RATE_LIMIT = LIMIT
    settings.PAGE_PASSWORD_RATE_PERIOD = PERIOD


@pytest.fixture
def protected_page(service_page):
    PageViewRestriction.objects.create(
        page=service_page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return service_page


def submit(client, page, password: str, return_url: str | None = None, **headers):
    restriction = PageViewRestriction.objects.get(page=page)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return client.post(url, {"password": password, "return_url": return_url or page.url}, **headers)


def can_read(client, page) -> bool:
    return "Django, done right." in client.get(page.url).content.decode()


def test_wrong_passwords_up_to_the_limit_then_429_even_for_the_right_one(client, protected_page):
    for _ in range(LIMIT):
        response = submit(client, protected_page, "guess")
        assert response.status_code == 200
        assert "The password you have entered is not correct" in response.content.decode()

    response = submit(client, protected_page, PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= PERIOD
    minutes = math.ceil(retry_after / 60)
    assert "Too many wrong passwords" in html
    assert re.search(rf"please wait\s+{minutes} minutes? and try again", html)
    assert f'href="{protected_page.url}"' in html, "a link back to the page"
    assert 'class="site-header"' in html, "in the site's own layout"
    assert not can_read(client, protected_page)


def test_the_right_password_before_the_limit_opens_the_page(client, protected_page):
    for _ in range(LIMIT - 1):
        submit(client, protected_page, "guess")

    response = submit(client, protected_page, PASSWORD)

    assert response.status_code == 302 and response["Location"] == protected_page.url
    assert can_read(client, protected_page)


def test_right_passwords_do_not_count_towards_the_limit(client, protected_page):
    for _ in range(LIMIT * 2):
        assert submit(client, protected_page, PASSWORD).status_code == 302

    assert [submit(client, protected_page, "guess").status_code for _ in range(LIMIT + 1)] == [200] * LIMIT + [429]


def test_after_the_window_the_password_works_again(client, protected_page):
    for _ in range(LIMIT + 1):
        submit(client, protected_page, "guess")

    with time_machine.travel(timezone.now() + timedelta(seconds=PERIOD + 1)):
        response = submit(client, protected_page, PASSWORD)

    assert response.status_code == 302
    assert can_read(client, protected_page)


def test_other_ips_are_not_held_back(client, protected_page):
    for _ in range(LIMIT + 1):
        submit(client, protected_page, "guess", REMOTE_ADDR="203.0.113.7")

    assert submit(client, protected_page, PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_foreign_return_url_is_not_linked_from_the_429_page(client, protected_page):
    for _ in range(LIMIT):
        submit(client, protected_page, "guess")

    response = submit(client, protected_page, PASSWORD, return_url="https://evil.example/")

    assert response.status_code == 429
    assert "evil.example" not in response.content.decode()
