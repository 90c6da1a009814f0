"""
Management API writes to pages and their sections (token holders only).

    POST   /api/v1/pages/                           create a service page, as a draft
    PATCH  /api/v1/pages/<id>/                      change some of its fields (sections: all of them)
    PUT    /api/v1/pages/<id>/sections/             replace all sections
    POST   /api/v1/pages/<id>/sections/             add one section
    PATCH  /api/v1/pages/<id>/sections/<block-id>/  change one section (a JSON merge patch) or move it
    DELETE /api/v1/pages/<id>/sections/<block-id>/  remove one section

Every write acts as the token's user, with their Wagtail page permissions (403), refuses a page
locked for them in the admin (423), and saves a new revision as the admin's "Save draft" does: a
live page stays live with its published content until the revision is published. A write starts
from the page's latest revision, read while the page's row is locked, and needs `If-Match` (428):
the page's ETag, or for a write to one section that section's own ETag, so that clients changing
different sections of a page never overwrite each other (see `api.concurrency`). Each is recorded
in the page's history as made through the API, with the token's name (see `api.audit`).
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from wagtail.actions.edit_page import EditPageAction
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.coreutils import find_available_slug
from wagtail.fields import StreamField
from wagtail.models import Page

from pages.models import ServicePage

from ..audit import api_write, log_api_action
from ..concurrency import (
    check_if_match,
    check_section_if_match,
    ensure_unlocked,
    page_for_write,
    revision_etag,
    section_etag,
)
from ..filters import NoParams, parse_query_params
from ..permissions import TokenRequired, ensure, ensure_can_edit, page_permissions
from ..problems import InvalidBody
from ..sections_input import clean_section, clean_sections, section_input_value
from ..write_serializers import (
    WRITABLE_PAGE_TYPES,
    PageWriteResultSerializer,
    SectionEditSerializer,
    SectionPositionSerializer,
    SectionWriteResultSerializer,
    ServicePageCreateSerializer,
    ServicePageWriteSerializer,
    model_errors,
    new_section_schema,
    sections_schema,
    validate_body,
)
from .common import BLOCK_ID, PAGE_ID, page_id_from_path, problem_responses, section_id_from_path

# Set by `add_child` in the tree's own transaction, so not checked before the page has a place.
TREE_FIELDS = ["path", "depth", "numchild", "url_path"]
SERVICE_SECTIONS = ServicePage._meta.get_field("sections").stream_block

IF_MATCH_PAGE = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The page\'s `ETag` as you last read it (`"revision-<id>"`), or `*` to act on whatever its '
    "latest revision is. 428 without it; 412 if the page has changed since.",
)
IF_MATCH_SECTION = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The section\'s `ETag` as you last read it (`"section-…"`, from `GET …/sections/<id>/?version=draft` '
    "or a previous write), or the page's. Other clients' changes to other sections do not make it stale; a "
    "change to this section does (412). 428 without it.",
)
WRITE_PROBLEMS = problem_responses(400, 403, 404, 409, 412, 423, 428)
# Bodies are JSON (`Content-Type: application/json`); anything else is 415.
BODY_WRITE_PROBLEMS = problem_responses(400, 403, 404, 409, 412, 415, 423, 428)


def etag_header(status_code: int, what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        required=True,
        response=[status_code],
        description=f"{what}: send it as `If-Match` with your next write.",
    )


def location_header(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "Location", str, OpenApiParameter.HEADER, required=True, response=[201], description=f"The new {what}'s URL."
    )


PAGE_ETAG = etag_header(200, 'The page\'s new revision, e.g. `"revision-43"`')
SECTION_ETAG = etag_header(200, "The section as it is now")


class AliasPage(APIException):
    """409: an alias mirrors its original page; it is changed by changing that page."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This page is an alias of another page: change that page instead."
    default_code = "alias"


def ensure_not_alias(page: Page) -> None:
    """409 for an alias, naming the page to change instead."""
    if page.alias_of_id:
        raise AliasPage(f"This page is an alias of page {page.alias_of_id}: change that page instead.")


def merge_patch(target, patch):
    """RFC 7396 JSON merge patch: `patch` applied to `target`, which is left unchanged."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def stream_block_of(page: Page):
    """The stream block of the page's `sections`; 404 for a page type without sections."""
    try:
        field = page.specific_class._meta.get_field("sections")
    except FieldDoesNotExist:
        field = None
    if not isinstance(field, StreamField):
        raise NotFound("Pages of this type have no sections.")
    return field.stream_block


def with_stream_rules(stream_block, sections: list[dict]):
    """
    `sections` (stored form) as the page's new stream value, if the stream's own rules allow them (how
    many sections, of which types): 400 otherwise. A write to one section checks that section itself
    (`clean_section`); the others are kept exactly as they are stored, not judged again.
    """
    value = stream_block.to_python(sections)
    try:
        stream_block.clean(value)
    except StreamBlockValidationError as error:
        messages = [message for problem in error.non_block_errors.as_data() for message in problem.messages]
        if messages:
            raise InvalidBody(
                errors=[{"pointer": "", "detail": message} for message in messages],
                detail="The page's sections would break its rules.",
            ) from None
    return value


def section_position(sections: list[dict], section_id: str) -> int:
    position = next((index for index, raw in enumerate(sections) if raw.get("id") == section_id), None)
    if position is None:
        raise NotFound("The page's latest revision has no section with this id.")
    return position


def check_position(position: int, last: int) -> None:
    if position > last:
        raise InvalidBody(errors=[{"pointer": "/position", "detail": f"Give a position from 0 to {last}."}])


def slug_taken(slug: str) -> dict:
    return {"pointer": "/slug", "detail": f"The slug '{slug}' is already in use by another page under this parent."}


def section_label(section: dict) -> str:
    """How the page history names a section: its type and id."""
    return f"{section['type']} {section['id']}"


class PageWriteMixin:
    """Create and update pages, replace all sections, or add, update, move and delete one section."""

    def get_permissions(self):
        # A method the URL does not have (no action) is left to answer 405, token or not.
        if self.request.method not in SAFE_METHODS and self.action is not None:
            return [TokenRequired()]
        return super().get_permissions()

    def get_page_to_edit(self, pk: str) -> Page:
        """Page `pk` if the token's user may edit it: 404 when there is no such page, 403 when they may not."""
        page = Page.objects.filter(pk=page_id_from_path(pk)).first()
        if page is None:
            raise NotFound("No page has this id.")
        ensure_can_edit(self.request, page)
        ensure_not_alias(page)
        return page

    @contextmanager
    def latest_draft_for_write(self, page: Page, *, check_page_etag: bool = True):
        """
        The page's latest revision as a page object, read with the page's row locked until the write
        commits; 423 when it is locked for the user in the admin, then 428/412 against the page's
        ETag (unless the caller checks a section's). Audit log entries written inside name the token.
        """
        with api_write(self.request), page_for_write(self.request, page.pk, check_page_etag=False) as locked:
            ensure_unlocked(self.request, locked)
            if check_page_etag:
                check_if_match(self.request, locked)
            yield locked.get_latest_revision_as_object()

    def save_draft(self, draft: Page, log_action: str, *, data: dict | None = None):
        """Save `draft` as a new revision, as the admin's "Save draft" does, and log `log_action` for it."""
        edit = EditPageAction(draft, user=self.request.user, log_action=False)
        # Permissions and the edit lock were checked before, with the API's own answers (403, 423).
        edit.execute(skip_permission_checks=True)
        log_api_action(draft, log_action, data=data, revision=edit.revision, content_changed=True)
        return edit.revision

    def page_write_response(self, draft: Page, revision_id: int, warnings: list[dict], status_code=status.HTTP_200_OK):
        body = {"page": self.detail_response(draft).data, "revision_id": revision_id, "warnings": warnings}
        return Response(body, status=status_code, headers={"ETag": revision_etag(revision_id)})

    def section_write_response(self, draft: Page, section_id: str, revision, warnings, status_code=status.HTTP_200_OK):
        child = next(child for child in draft.sections if child.id == section_id)
        body = {"section": self.section_data(child), "revision_id": revision.pk, "warnings": warnings}
        return Response(body, status=status_code, headers={"ETag": section_etag(section_input_value(child))})

    @extend_schema(
        parameters=[etag_header(201, "The page's first revision"), location_header("page")],
        request=ServicePageCreateSerializer,
        responses={201: PageWriteResultSerializer, **problem_responses(400, 403, 415)},
        summary="Create a service page, as a draft",
        description=(
            "Creates the page under `parent` as a draft, never live: publish it afterwards. Without `slug`, "
            "one is made from the title, unique among the parent's children. `Location` is the page's URL "
            "in the API (read it with `?version=draft` until it is published); `ETag` its revision's."
        ),
    )
    def create(self, request):
        parse_query_params(request, NoParams)
        data = dict(validate_body(ServicePageCreateSerializer(data=request.data)))
        parent = self.get_parent_for(ServicePage, data.pop("parent"))
        sections = data.pop("sections")
        page = ServicePage(owner=request.user, live=False, locale_id=parent.locale_id, sections=sections.value, **data)
        with api_write(request), transaction.atomic():
            # Creations under one parent wait for each other: two cannot take the same slug or tree position.
            parent = Page.objects.select_for_update().get(pk=parent.pk).specific
            page.slug = page.slug or self.slug_from_title(parent, page.title)
            errors = [] if Page._slug_is_available(page.slug, parent) else [slug_taken(page.slug)]
            try:
                page.full_clean(exclude=[*TREE_FIELDS, "sections"])
            except ValidationError as error:
                errors = model_errors(error) + errors
            if errors:
                raise InvalidBody(errors=errors)
            parent.add_child(instance=page)
            revision = page.save_revision(user=request.user, log_action="api.create", clean=False)
        response = self.page_write_response(page, revision.pk, sections.warnings, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(reverse("api:page-detail", kwargs={"pk": page.pk}))
        return response

    def get_parent_for(self, model, parent_id: int) -> Page:
        """The page to create a `model` page under: 400 at `/parent` unless it may hold one, 403 unless the user may."""
        parent = Page.objects.filter(pk=parent_id).first()
        if parent is None or not model.can_create_at(parent):
            kind = model._meta.verbose_name
            detail = (
                f"No page with id {parent_id}." if parent is None else f"A {kind} cannot be created under this page."
            )
            raise InvalidBody(errors=[{"pointer": "/parent", "detail": detail}])
        ensure(page_permissions(self.request, parent).can_add_subpage(), "Your user may not add pages here.")
        return parent

    @staticmethod
    def slug_from_title(parent: Page, title: str) -> str:
        slug = slugify(title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
        if not slug:
            raise InvalidBody(errors=[{"pointer": "/slug", "detail": "No slug can be made from this title: send one."}])
        return find_available_slug(parent, slug)

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, PAGE_ETAG],
        request=ServicePageWriteSerializer,
        responses={200: PageWriteResultSerializer, **BODY_WRITE_PROBLEMS},
        summary="Change a page's fields, as a new draft",
        description=(
            "Changes the fields you send and keeps the others; `sections`, if sent, replaces all sections. "
            "Saves a new revision from the page's latest one: a live page keeps showing its published "
            "content until the revision is published."
        ),
    )
    def partial_update(self, request, pk=None):
        parse_query_params(request, NoParams)
        page = self.get_page_to_edit(pk)
        serializer_class = self.write_serializer_for(page)
        if request.data == {}:
            raise InvalidBody(errors=[{"pointer": "", "detail": "Send at least one field to change."}])
        data = dict(validate_body(serializer_class(data=request.data, partial=True)))
        sections = data.pop("sections", None)
        with self.latest_draft_for_write(page) as draft:
            for name, value in data.items():
                setattr(draft, name, value)
            if sections is not None:
                draft.sections = sections.value
            try:
                draft.full_clean(exclude=["sections"])
            except ValidationError as error:
                raise InvalidBody(errors=model_errors(error)) from None
            revision = self.save_draft(draft, "api.edit")
        return self.page_write_response(draft, revision.pk, sections.warnings if sections else [])

    @staticmethod
    def write_serializer_for(page: Page):
        serializer_class = WRITABLE_PAGE_TYPES.get(page.specific_class)
        if serializer_class is None:
            kind = page.specific_class._meta.verbose_name
            raise InvalidBody(errors=[], detail=f"The fields of a {kind} cannot be changed through the API.")
        return serializer_class

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, PAGE_ETAG],
        request={"application/json": sections_schema(SERVICE_SECTIONS)},
        operation_id="pages_sections_replace",
        responses={200: PageWriteResultSerializer, **BODY_WRITE_PROBLEMS},
        summary="Replace all of a page's sections, as a new draft",
        description="The body is the page's new `sections`, in order. Send a section's `id` to keep it.",
    )
    @action(detail=True, methods=["put"], url_path="sections")
    def sections(self, request, pk=None):
        parse_query_params(request, NoParams)
        page = self.get_page_to_edit(pk)
        cleaned = clean_sections(stream_block_of(page), request.data, stream_pointer="")
        with self.latest_draft_for_write(page) as draft:
            draft.sections = cleaned.value
            revision = self.save_draft(draft, "api.edit")
        return self.page_write_response(draft, revision.pk, cleaned.warnings)

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, etag_header(201, "The new section's"), location_header("section")],
        request={"application/json": new_section_schema(SERVICE_SECTIONS)},
        operation_id="pages_sections_add",
        responses={201: SectionWriteResultSerializer, **BODY_WRITE_PROBLEMS},
        summary="Add one section to a page, as a new draft",
        description=(
            "Inserts the section at `position` (default: last). `If-Match` may be `*` to add the section "
            "whatever else has changed on the page. `Location` is the new section's URL; `ETag` its own."
        ),
    )
    @sections.mapping.post
    def add_section(self, request, pk=None):
        parse_query_params(request, NoParams)
        page = self.get_page_to_edit(pk)
        stream_block = stream_block_of(page)
        position, new = self.read_new_section(stream_block, request.data)
        with self.latest_draft_for_write(page) as draft:
            sections = list(draft.sections.raw_data)
            position = len(sections) if position is None else position
            check_position(position, last=len(sections))
            if any(raw.get("id") == new.raw[0]["id"] for raw in sections):
                raise InvalidBody(errors=[{"pointer": "/id", "detail": "The page already has a section with this id."}])
            sections.insert(position, new.raw[0])
            draft.sections = with_stream_rules(stream_block, sections)
            revision = self.save_draft(draft, "api.section.add", data={"section": section_label(new.raw[0])})
        section_id = new.raw[0]["id"]
        response = self.section_write_response(draft, section_id, revision, new.warnings, status.HTTP_201_CREATED)
        location = reverse("api:page-section", kwargs={"pk": page.pk, "block_id": section_id})
        response["Location"] = request.build_absolute_uri(location)
        return response

    @staticmethod
    def read_new_section(stream_block, body):
        """`position` (or None) and the cleaned section of an add-section body; 400 listing every error."""
        if not isinstance(body, dict):
            raise InvalidBody(errors=[{"pointer": "", "detail": "Expected a JSON object."}])
        section = {name: value for name, value in body.items() if name != "position"}
        position_serializer = SectionPositionSerializer(data={name: body[name] for name in body if name == "position"})
        errors = []
        try:
            position = validate_body(position_serializer).get("position")
        except InvalidBody as error:
            errors += error.body_errors
        try:
            new = clean_section(stream_block, section, pointer="")
        except InvalidBody as error:
            errors = error.body_errors + errors
        if errors:
            raise InvalidBody(errors=errors)
        return position, new

    @extend_schema(
        parameters=[PAGE_ID, BLOCK_ID, IF_MATCH_SECTION, SECTION_ETAG],
        request=SectionEditSerializer,
        operation_id="pages_section_update",
        responses={200: SectionWriteResultSerializer, **BODY_WRITE_PROBLEMS},
        summary="Change or move one section, as a new draft",
        description=(
            "`value` is a JSON merge patch (RFC 7396) for the section's value as it is written: send only what "
            'changes, e.g. `{"value": {"heading": "Why Flask"}}`. `position` moves the section. The change '
            "starts from the page's latest revision, so other sections' changes made meanwhile are kept."
        ),
    )
    def update_section(self, request, pk=None, block_id=None):
        parse_query_params(request, NoParams)
        section_id = section_id_from_path(block_id)
        page = self.get_page_to_edit(pk)
        stream_block = stream_block_of(page)
        change = validate_body(SectionEditSerializer(data=request.data))
        warnings, log_actions = [], []
        with self.latest_draft_for_write(page, check_page_etag=False) as draft:
            sections = list(draft.sections.raw_data)
            index = section_position(sections, section_id)
            current = section_input_value(draft.sections[index])
            check_section_if_match(request, draft, current)
            if "value" in change:
                patched = {**current, "value": merge_patch(current["value"], change["value"])}
                cleaned = clean_section(stream_block, patched, pointer="")
                sections[index], warnings = cleaned.raw[0], cleaned.warnings
                log_actions.append("api.section.update")
            if "position" in change:
                check_position(change["position"], last=len(sections) - 1)
                sections.insert(change["position"], sections.pop(index))
                log_actions.append("api.section.move")
            draft.sections = with_stream_rules(stream_block, sections)
            label = {"section": section_label(current)}
            revision = self.save_draft(draft, log_actions[0], data=label)
            for log_action in log_actions[1:]:
                log_api_action(draft, log_action, data=label, revision=revision, content_changed=True)
        return self.section_write_response(draft, section_id, revision, warnings)

    @extend_schema(
        parameters=[PAGE_ID, BLOCK_ID, IF_MATCH_SECTION],
        request=None,
        responses={204: None, **WRITE_PROBLEMS},
        operation_id="pages_section_delete",
        summary="Remove one section, as a new draft",
    )
    def delete_section(self, request, pk=None, block_id=None):
        parse_query_params(request, NoParams)
        section_id = section_id_from_path(block_id)
        page = self.get_page_to_edit(pk)
        stream_block = stream_block_of(page)
        with self.latest_draft_for_write(page, check_page_etag=False) as draft:
            sections = list(draft.sections.raw_data)
            index = section_position(sections, section_id)
            check_section_if_match(request, draft, section_input_value(draft.sections[index]))
            removed = sections.pop(index)
            draft.sections = with_stream_rules(stream_block, sections)
            self.save_draft(draft, "api.section.delete", data={"section": section_label(removed)})
        return Response(status=status.HTTP_204_NO_CONTENT)
