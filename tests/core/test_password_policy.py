"""The password rules (AUTH_PASSWORD_VALIDATORS) hold wherever the admin sets a password."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def new_user_form(password: str) -> dict:
    return {
        "username": "newbie",
        "email": "newbie@example.com",
        "first_name": "New",
        "last_name": "Editor",
        "password1": password,
        "password2": password,
    }


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Xk3#pw", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("583920174625", "This password is entirely numeric."),
        ("newbie@example.com", "The password is too similar to the"),
    ],
)
def test_a_weak_password_for_a_new_user_is_refused_with_the_reason(admin_client, password, error):
    response = admin_client.post("/admin/users/new/", new_user_form(password))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_a_long_uncommon_password_is_accepted(admin_client):
    response = admin_client.post("/admin/users/new/", new_user_form("correct horse battery staple"))

    assert response.status_code == 302
    assert get_user_model().objects.get(username="newbie").check_password("correct horse battery staple")
