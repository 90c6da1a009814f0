"""
API test client that checks every response against the served OpenAPI document.

Every request made through `api_client` is validated: the JSON body must match the schema of
the operation, status code and content type that the document declares for it, with
undeclared properties treated as errors. A response the document does not describe fails.
"""

import json
import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

SPEC_URI = "urn:cms-openapi"


def _strict(schema):
    """Copy of `schema` where every object that lists properties allows no others."""
    if isinstance(schema, dict):
        strict = {key: _strict(value) for key, value in schema.items()}
        if "properties" in strict and "additionalProperties" not in strict:
            strict["additionalProperties"] = False
        return strict
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


class OpenApiDocument:
    def __init__(self, spec: dict):
        self.spec = spec
        strict = _strict(json.loads(json.dumps(spec).replace('"#/components/', f'"{SPEC_URI}#/components/')))
        self.strict_spec = strict
        self.registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(strict))
        self.paths = [(self._path_regex(path), path) for path in spec["paths"]]

    @staticmethod
    def _path_regex(template: str):
        return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")

    def operation_for(self, path: str, method: str) -> tuple[str | None, dict | None]:
        """The documented path template matching `path`, and its operation for `method` (None when missing)."""
        # Prefer literal paths (/pages/find/) over templated ones (/pages/{id}/).
        matches = [template for regex, template in self.paths if regex.match(path)]
        if not matches:
            return None, None
        template = min(matches, key=lambda item: item.count("{"))
        return template, self.strict_spec["paths"][template].get(method.lower())

    def validate(self, response):
        request = response.wsgi_request
        if request.method in ("OPTIONS", "HEAD") or response.status_code == 304:
            return  # preflights, HEADs and 304s carry no body to check
        problem = {"$ref": f"{SPEC_URI}#/components/schemas/Problem"}
        template, operation = self.operation_for(request.path, request.method)
        if template is None:
            # Not an endpoint: it must be the API's problem-JSON 404.
            assert response.status_code == 404, f"{request.path} is not in the OpenAPI document"
            return self._check(response, problem)
        if operation is None:
            # A method the endpoint does not have: a problem-JSON 405.
            assert response.status_code == 405, f"{request.method} {template} is not in the OpenAPI document"
            return self._check(response, problem)
        declared = operation["responses"].get(str(response.status_code))
        assert declared, f"{request.method} {request.path}: status {response.status_code} is not documented"
        if response.status_code == 204:
            assert not response.content, f"{request.method} {request.path}: a 204 has a body"
            return None
        content_type = response["Content-Type"].split(";")[0]
        media = declared.get("content", {}).get(content_type)
        assert media, f"{request.method} {request.path}: {content_type} for {response.status_code} is not documented"
        return self._check(response, media["schema"])

    def _check(self, response, schema):
        request = response.wsgi_request
        validator = Draft202012Validator(schema, registry=self.registry)
        errors = sorted(validator.iter_errors(json.loads(response.content)), key=lambda error: error.path)
        assert not errors, f"{request.method} {request.get_full_path()} breaks its schema: " + "; ".join(
            f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}" for error in errors[:5]
        )


@pytest.fixture(scope="session")
def openapi_document(django_db_setup, django_db_blocker) -> OpenApiDocument:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return OpenApiDocument(json.loads(response.content))


class SchemaCheckingClient(APIClient):
    """An APIClient whose every JSON response under /api/v1/ is checked against the OpenAPI document."""

    document: OpenApiDocument

    def request(self, **kwargs):
        response = super().request(**kwargs)
        path = response.wsgi_request.path
        if path.startswith("/api/v1/") and not path.startswith(("/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/")):
            self.document.validate(response)
        return response


@pytest.fixture
def api_client(openapi_document) -> SchemaCheckingClient:
    client = SchemaCheckingClient()
    client.document = openapi_document
    return client


@pytest.fixture
def bearer():
    """`bearer(user)` → request headers authenticating as `user` with a new Wagtail API token."""
    from tests.factories import APITokenFactory

    def headers_for(user) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {APITokenFactory(user=user).plaintext}"}

    return headers_for


@pytest.fixture
def editor(seeded_site):
    """A member of the Editors group: may edit service pages, but their changes need a moderator to publish."""
    from tests.factories import UserFactory

    return UserFactory(username="eddie", groups=["Editors"])
