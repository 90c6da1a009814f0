"""Bearer tokens: Wagtail API tokens authenticate management API requests as their user."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

from tests.factories import APITokenFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_valid_token_is_accepted_on_public_reads(api_client, flask_page):
    token = APITokenFactory()

    response = api_client.get(f"/api/v1/pages/{flask_page.pk}/", HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer wagtail_not-a-real-token",
        "Bearer ",
        "Bearer two words",
        "Bearer wagtail_" + "A" * 40,
    ],
)
def test_a_malformed_or_unknown_token_is_a_401_problem(api_client, seeded_site, header):
    response = api_client.get("/api/v1/pages/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(api_client, seeded_site):
    token = APITokenFactory()
    APIToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    response = api_client.get("/api/v1/pages/", HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")

    assert response.status_code == 401


def test_an_inactive_users_token_is_refused(api_client, seeded_site):
    token = APITokenFactory(user=UserFactory(is_active=False))

    response = api_client.get("/api/v1/pages/", HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")

    assert response.status_code == 401


def test_tokens_are_stored_only_as_digests():
    token = APITokenFactory()

    stored = APIToken.objects.get(pk=token.pk)
    assert token.plaintext not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.key_hash == APIToken.hash_token(token.plaintext)


def test_create_api_token_prints_a_working_token_once(api_client, seeded_site):
    UserFactory(username="partner")
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "partner", "--name", "Partner site", stdout=out, stderr=err)

    plaintext = out.getvalue().strip()
    assert APIToken.validate_token_format(plaintext)
    assert plaintext not in err.getvalue()
    token = APIToken.objects.get(name="Partner site")
    assert token.user.username == "partner"
    assert ModelLogEntry.objects.filter(action="wagtail.apitoken.create", object_id=str(token.pk)).exists()
    assert api_client.get("/api/v1/pages/", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200


def test_create_api_token_refuses_unknown_and_inactive_users():
    UserFactory(username="gone", is_active=False)

    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")
    with pytest.raises(CommandError, match="inactive"):
        call_command("create_api_token", "gone")


def test_the_schema_documents_the_bearer_scheme(openapi_document):
    schemes = openapi_document.spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerAuth"]["description"],
    }


def test_an_admin_creates_a_token_shown_once_and_revokes_it(client, api_client, seeded_site):
    admin = UserFactory(username="token-admin", is_superuser=True, is_staff=True)
    owner = UserFactory(username="nextjs")
    client.force_login(admin)

    created = client.post("/admin/api-tokens/new/", {"name": "Next.js front end", "user": owner.pk})

    token = APIToken.objects.get(name="Next.js front end")
    plaintext = re.search(r'id="api-token-value"\s+value="([^"]+)"', created.content.decode()).group(1)
    assert token.user == owner and token.key_hash == APIToken.hash_token(plaintext)
    assert plaintext not in client.get("/admin/api-tokens/").content.decode()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert api_client.get("/api/v1/pages/", **headers).status_code == 200

    client.post(f"/admin/api-tokens/delete/{token.pk}/")

    assert api_client.get("/api/v1/pages/", **headers).status_code == 401
