"""
Schemathesis against the OpenAPI document the API serves: no 5xx, and no response the document does not describe.

Every operation in `GET /api/v1/schema/` is fuzzed through the Django WSGI app, inside pytest-django's
test database (no live server), with a bounded number of examples so that CI stays fast:

- `test_valid_requests`: public requests the document allows: its examples, Schemathesis' boundary
  cases and `MAX_EXAMPLES` generated ones per operation.
- `test_valid_requests_for_existing_content`: generated public requests in which, half of the time,
  every id, token and name refers to seeded content, so that 200s are checked as often as refusals.
- `test_invalid_requests`: public requests the document forbids (wrong types, out-of-range numbers,
  missing required parameters, unknown methods); each must be refused with a documented 4xx problem.
- `test_management_operations_refuse_anonymous_clients`: operations whose only security requirement is
  a bearer token answer a documented 401 problem to every anonymous request, whatever it carries.
  Their behaviour with a token is the management API's own tests' business.
- `test_a_database_outage_is_a_documented_503`: the one 5xx the API may answer, which fuzzing cannot provoke.

Every response must be a documented status code with the documented content type, body and headers.
The draw is deterministic (`derandomize`), so CI fails on a regression, never on luck.
"""

import pytest
import schemathesis
import wagtail_factories
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import OperationalError, close_old_connections
from django.db.backends.base.base import BaseDatabaseWrapper
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, Revision

from api.preview import make_preview_token
from pages.models import CallToAction, ServicePage

from ..factories import ServicePageFactory, service_page_with_every_section

SCHEMA_PATH = "/api/v1/schema/?format=json"
MAX_EXAMPLES = 30
# Anonymous requests to the management API stop at authentication, before anything else is read.
MAX_MANAGEMENT_EXAMPLES = 5

CONFORMANCE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Invalid requests meet every conformance check too: a refusal is a documented 400 problem. Left out on
# purpose: `positive_data_acceptance`, since the document types the parameters but cannot list which page
# types, locales or hosts exist, so a well-typed `?locale=xx` is rightly refused.
INVALID_REQUEST_CHECKS = [*CONFORMANCE_CHECKS, negative_data_rejection]

# Bounded and reproducible, with no example database written to disk and no deadline (the two shared cores
# make timings noise). The `content` fixture is function-scoped but shared by every example of an operation
# on purpose: no request carries valid credentials, so none of them can change the content.
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def load_served_schema(mode: GenerationMode):
    """
    The document `GET /api/v1/schema/` serves, read through the WSGI app when this module is collected.

    Serving it needs no database, which pytest-django would refuse here. Schemathesis' lazy loader
    (`schemathesis.pytest.from_fixture`) would read it inside a test instead, but 4.32 fails under pytest 9.
    """
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())
    schema.config.generation.update(modes=[mode])
    return schema


valid_requests = load_served_schema(GenerationMode.POSITIVE)
invalid_requests = load_served_schema(GenerationMode.NEGATIVE)


def is_public(context) -> bool:
    """Whether anonymous clients may call the operation: one of its security alternatives is no credentials (`{}`)."""
    return {} in context.operation.definition.raw.get("security", [{}])


public_valid_requests = valid_requests.include(is_public)
public_invalid_requests = invalid_requests.include(is_public)
management_requests = valid_requests.exclude(is_public)


@pytest.fixture(autouse=True)
def _requests_keep_the_test_transaction():
    """
    Like Django's test client, keep the WSGI app from closing the database connection after each request:
    on PostgreSQL that would end the transaction the test runs in.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(seeded_site, settings):
    """
    The seeded site with the Flask page, plus a service page with every section type and its images, a
    pending draft of it, an unpublished page and an image in a private collection.
    """
    # Fuzzing sends more requests a minute than the anonymous limit allows; the limiter has tests of its own.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}
    services = seeded_site.root_page.get_children().get(slug="services")
    root_collection = Collection.get_first_root_node()
    photo = wagtail_factories.ImageFactory(title="Team photo", collection=root_collection)
    private = root_collection.add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    wagtail_factories.ImageFactory(title="Private photo", collection=private)
    every_section = service_page_with_every_section(
        services, slug="django", sections={"image": {"image__image": photo}}
    )
    every_section.title = "Django development services (draft)"
    every_section.save_revision()
    ServicePageFactory(parent=services, slug="unpublished").unpublish()


def existing_path_parameters(path: str) -> list[dict]:
    """Ids of existing content (live, draft or private alike) for the operation at `path`."""
    if path.startswith("/api/v1/pages/{id}/sections/"):
        return [
            {"id": page.pk, "block_id": section.id} for page in ServicePage.objects.all() for section in page.sections
        ]
    if path.startswith("/api/v1/pages/{id}/"):
        return [{"id": pk} for pk in Page.objects.values_list("pk", flat=True)]
    if path.startswith("/api/v1/images/{id}/"):
        return [{"id": pk} for pk in get_image_model().objects.values_list("pk", flat=True)]
    if path.startswith("/api/v1/snippets/calls-to-action/{id}/"):
        return [{"id": pk} for pk in CallToAction.objects.values_list("pk", flat=True)]
    return []


def existing_query_values(path: str) -> dict[str, list]:
    """
    Values of query parameters that the document can only type, not list: ids, page types, locales, paths,
    hosts, preview tokens, and field, ordering and rendition names.
    """
    renditions = ["fill-800x450", "width-400,fill-160x160"]
    if path == "/api/v1/pages/":
        page_ids = list(Page.objects.values_list("pk", flat=True))
        return {
            "child_of": page_ids,
            "descendant_of": page_ids,
            "ancestor_of": page_ids,
            "type": ["pages.ServicePage", "pages.HomePage,pages.ServiceIndexPage"],
            "locale": ["en"],
            "ordering": ["title", "-first_published_at,slug"],
            "fields": ["title", "*", "-detail_url"],
        }
    if path == "/api/v1/pages/{id}/":
        return {"fields": ["title", "*"], "renditions": renditions}
    if path == "/api/v1/pages/find/":
        return {
            "path": ["/", "/services/flask/", "/services/django", "/services/unpublished/"],
            "site": ["localhost", "localhost:80"],
            "fields": ["title", "*"],
            "renditions": renditions,
        }
    if path == "/api/v1/images/":
        return {"search": ["photo", "team PHOTO"], "renditions": renditions}
    if path == "/api/v1/images/{id}/":
        return {"renditions": renditions}
    if path == "/api/v1/preview/":
        return {
            "token": [
                make_preview_token(revision.content_object, revision) for revision in Revision.objects.page_revisions()
            ]
        }
    return {}


@public_valid_requests.parametrize()
@FUZZ_SETTINGS
def test_valid_requests(case, content):
    case.call_and_validate(checks=CONFORMANCE_CHECKS)


@public_valid_requests.parametrize()
@public_valid_requests.given(data=st.data())
# Generated cases only: Schemathesis adds schema examples and boundary cases to no test with extra arguments.
@settings(FUZZ_SETTINGS, phases=[Phase.generate, Phase.shrink])
def test_valid_requests_for_existing_content(case, data, content):
    """In half of the cases every id and name in the request is swapped for one that exists."""
    if data.draw(st.booleans(), label="name existing content"):
        ids = existing_path_parameters(case.operation.path)
        if ids:
            case.path_parameters = {**case.path_parameters, **data.draw(st.sampled_from(ids), label="ids")}
        values = existing_query_values(case.operation.path)
        case.query = {
            name: data.draw(st.sampled_from(values[name]), label=name) if name in values else value
            for name, value in (case.query or {}).items()
        }
    case.call_and_validate(checks=CONFORMANCE_CHECKS)


@public_invalid_requests.parametrize()
@FUZZ_SETTINGS
def test_invalid_requests(case, content):
    case.call_and_validate(checks=INVALID_REQUEST_CHECKS)


@management_requests.parametrize()
@settings(FUZZ_SETTINGS, max_examples=MAX_MANAGEMENT_EXAMPLES, phases=[Phase.generate])
def test_management_operations_refuse_anonymous_clients(case, content):
    response = case.call_and_validate(checks=CONFORMANCE_CHECKS)

    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/v1/pages/", "/api/v1/pages/find/?path=/", "/api/v1/navigation/"])
def test_a_database_outage_is_a_documented_503(api_client, seeded_site, monkeypatch, url):
    """The one 5xx fuzzing cannot provoke: while the database is down, the document describes the answer."""

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed: Connection refused")

    api_client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = api_client.get(url)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
