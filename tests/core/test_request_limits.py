"""
Request and upload limits: a body too large for its part of the site is a 413 (problem JSON under /api/, a page
elsewhere), never a 400 or 500; an image or document too large for the admin is a form error.
"""

import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from leads.models import Lead

pytestmark = pytest.mark.django_db

THREE_MB = 3 * 1024 * 1024


def png_bytes(width: int, height: int) -> bytes:
    """A PNG of random pixels, so that compression cannot make it smaller than its pixels."""
    image = PILImage.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["type"] == "about:blank"
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    return problem


# The API's documented operations take no request body, so no operation in the OpenAPI document can describe
# these answers: they use the plain `client`, not the schema-checking `api_client`.


def test_an_oversized_api_body_is_a_413_problem(client, db):
    body = json.dumps({"title": "x" * THREE_MB}).encode()

    response = client.post("/api/v1/pages/", body, content_type="application/json")

    problem = assert_problem(response, 413)
    assert problem["title"] == "Request Entity Too Large"
    assert problem["detail"] == "The request body is larger than the 2621440 bytes accepted here."


def test_an_api_body_within_the_limit_gets_the_usual_answer(client, db):
    """Only the size decides: a small POST to a read-only endpoint is still told the method is not allowed."""
    response = client.post("/api/v1/navigation/", {"title": "small"}, content_type="application/json")

    assert_problem(response, 405)


def test_the_api_limit_follows_data_upload_max_memory_size(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    assert client.post("/api/v1/navigation/", b"x" * 1000, content_type="application/json").status_code == 405
    assert_problem(client.post("/api/v1/navigation/", b"x" * 1001, content_type="application/json"), 413)


def test_an_oversized_contact_form_is_a_413_page_and_stores_nothing(client, seeded_site):
    response = client.post(
        "/contact/",
        {"name": "Ann", "email": "ann@example.com", "message": "x" * THREE_MB, "consent": "on"},
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Too much to send" in html and "2.5\xa0MB" in html
    assert Lead.objects.count() == 0


def test_a_bad_request_to_the_api_is_a_400_problem(client, db):
    """Any other 400 Django raises itself (here an unknown Host) is problem JSON under /api/ too."""
    response = client.get("/api/v1/pages/", HTTP_HOST="unknown.example")

    assert_problem(response, 400)


def test_an_admin_form_too_large_for_django_to_read_is_a_413_page(client, db, settings):
    """Form data beyond DATA_UPLOAD_MAX_MEMORY_SIZE passes the admin's larger limit, and Django refuses to read it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post("/admin/login/", {"username": "someone", "password": "x" * 5000})

    assert response.status_code == 413
    assert "Too much to send" in response.content.decode()


def test_a_body_beyond_the_admins_limit_is_refused_unread(admin_client, settings):
    """The admin accepts the largest upload plus the form around it; more is a 413 before any form sees it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2000
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 3000
    upload = SimpleUploadedFile("big.txt", b"x" * 5000, content_type="text/plain")

    response = admin_client.post("/admin/documents/add/", {"title": "Too big", "file": upload})

    assert response.status_code == 413
    assert "3.9\xa0KB" in response.content.decode()  # the admin's limit: 1000 + 3000 bytes
    assert get_document_model().objects.count() == 0


def assert_upload_is_a_form_error(response, error: str, model) -> None:
    """The admin's add form comes back with `error` on its file field, and nothing is stored."""
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["file"])
    assert model.objects.count() == 0


def test_an_oversized_image_upload_is_a_form_error(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    upload = SimpleUploadedFile("photo.png", png_bytes(40, 40), content_type="image/png")

    response = admin_client.post("/admin/images/add/", {"title": "Photo", "file": upload})

    assert_upload_is_a_form_error(response, "This file is too big", get_image_model())


def test_an_image_with_too_many_pixels_is_a_form_error(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    upload = SimpleUploadedFile("photo.png", png_bytes(20, 20), content_type="image/png")

    response = admin_client.post("/admin/images/add/", {"title": "Photo", "file": upload})

    assert_upload_is_a_form_error(response, "This file has too many pixels (400)", get_image_model())


def test_an_oversized_document_upload_is_a_form_error(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    upload = SimpleUploadedFile("notes.txt", b"x" * 2000, content_type="text/plain")

    response = admin_client.post("/admin/documents/add/", {"title": "Notes", "file": upload})

    assert_upload_is_a_form_error(response, "This file is too big", get_document_model())


def test_uploads_within_the_limits_are_stored(admin_client, settings):
    """The same uploads pass once the limits allow them: the errors above come from the limits alone."""
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100_000
    image = SimpleUploadedFile("photo.png", png_bytes(40, 40), content_type="image/png")
    document = SimpleUploadedFile("notes.txt", b"x" * 2000, content_type="text/plain")

    assert admin_client.post("/admin/images/add/", {"title": "Photo", "file": image}).status_code == 302
    assert admin_client.post("/admin/documents/add/", {"title": "Notes", "file": document}).status_code == 302
    assert get_image_model().objects.count() == get_document_model().objects.count() == 1


def test_the_admin_upload_forms_state_their_limits(admin_client):
    """Wagtail sets no document limit of its own; ours is set, and both forms tell the editor before they upload."""
    image_form = admin_client.get("/admin/images/add/").content.decode()
    document_form = admin_client.get("/admin/documents/add/").content.decode()

    assert "Maximum filesize: 10.0\xa0MB" in image_form
    assert "Maximum filesize: 20.0\xa0MB" in document_form
