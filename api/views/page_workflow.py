"""
Management API: a page's revisions and its publishing, for token holders with their user's page permissions.

    GET  /api/v1/pages/<id>/revisions/                         the history, newest first
    GET  /api/v1/pages/<id>/revisions/<revision-id>/           one revision, with its content
    GET  /api/v1/pages/<id>/revisions/compare/?from=&to=       what changed, field by field and section by section
    POST /api/v1/pages/<id>/revisions/<revision-id>/revert/    that revision's content becomes the new draft
    POST /api/v1/pages/<id>/publish/                           publish the latest revision
    POST /api/v1/pages/<id>/unpublish/                         {"recursive": false}
    POST /api/v1/pages/<id>/schedule/                          {"go_live_at": …, "expire_at": …}
    POST /api/v1/pages/<id>/submit/                            submit the latest revision for moderation

Reads need the right to edit or publish the page; to anyone else it does not exist (404). Writes
also need the permission the admin would ask for (403 otherwise: an editor whose pages are
moderated is told to submit instead of publishing), send `If-Match` with the page's ETag (428
without it, 412 with the current revision id when stale) and run while the page's row is locked.
Each is recorded in Wagtail's audit log as made through the API with its token, and answers with
the page's new ETag. Publishing goes through Wagtail's own actions, so its signals, scheduled
publishing, workflows and cache invalidation behave exactly as after a click in the admin.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.locks import ScheduledForPublishLock
from wagtail.models import Page, WorkflowState

from ..audit import api_write, log_api_action
from ..concurrency import PageLocked, ensure_unlocked, page_for_write, set_revision_etag
from ..filters import NoParams, PaginationParams, parse_query_params
from ..pagination import PagePagination
from ..permissions import TokenRequired, ensure, ensure_can_edit, page_permissions, page_with_drafts_for
from ..problems import InvalidBody, InvalidParameters
from ..revision_diff import compare_contents
from ..workflow_serializers import (
    NoBody,
    PageStateResultSerializer,
    RevisionCompareParams,
    RevisionComparisonSerializer,
    RevisionSerializer,
    ScheduleSerializer,
    UnpublishSerializer,
    WorkflowStateSerializer,
    comparable_content,
    revision_detail_serializer_for,
    revision_detail_union,
    stream_blocks_of,
)
from ..write_serializers import model_errors, validate_body
from .common import PAGE_ID, id_from_path, page_id_from_path, problem_responses
from .page_writes import BODY_WRITE_PROBLEMS, IF_MATCH_PAGE, ensure_not_alias, etag_header

# A revision id, but not the `compare` that shares its place in the URL (a bad id is a 400, not a 404).
REVISION_ID_PATTERN = r"(?!compare/)[^/]+"

REVISION_ID = OpenApiParameter(
    "revision_id", int, OpenApiParameter.PATH, description="The revision's id, as in the page's revision list."
)
ETAG = etag_header(200, 'The page\'s latest revision, e.g. `"revision-43"`')
READ_PROBLEMS = problem_responses(400, 404)
# Every operation here is for token holders, and what it answers depends on who they are.
MANAGEMENT = {"permission_classes": [TokenRequired], "private_response": True}


class PageStateConflict(APIException):
    """409: the page's state does not allow this now (not live, already in moderation)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The page's current state does not allow this."
    default_code = "conflict"


class PageWithoutWorkflow(APIException):
    """400: moderation was asked of a page that has no workflow."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "This page has no moderation workflow: whoever may publish it publishes it directly."
    default_code = "no_workflow"


class RevisionPagination(PagePagination):
    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"] = {"type": "integer", "description": "How many revisions the page has."}
        return paginated


def revision_id_from_path(value: str) -> int:
    return id_from_path(value, "revision_id", "A revision id")


def ensure_writable(request, page: Page, *, rescheduling: bool = False) -> None:
    """
    409 for an alias; 423 when the page is locked for the user in the admin. A scheduled publish locks
    a page against everything but a new schedule, and the API says how to change it.
    """
    ensure_not_alias(page)
    lock = page.get_lock()
    if isinstance(lock, ScheduledForPublishLock):
        if rescheduling:
            return
        go_live_at = page.scheduled_revision.approved_go_live_at.isoformat()
        raise PageLocked(
            f"The page is scheduled to go live at {go_live_at} and cannot change until then. To publish it "
            f"sooner or later, POST /api/v1/pages/{page.pk}/schedule/ with the new go_live_at (null for now)."
        )
    ensure_unlocked(request, page)


def latest_revision_of(page: Page, user):
    """The page's latest revision. A page made in code may have none: its content, as it is, becomes one."""
    revision = page.get_latest_revision()
    if revision is None:
        revision = page.save_revision(user=user, changed=False, clean=False)
    return revision


class InvalidContent(InvalidBody):
    """
    409: the content to save no longer validates (a slug taken since, a rule added since). The errors
    point at the fields as a revision's `content` names them; edit the draft, then try again.
    """

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This content is no longer valid for the page; edit the draft instead."
    default_code = "invalid_content"

    @classmethod
    def from_error(cls, error: ValidationError) -> "InvalidContent":
        if hasattr(error, "error_dict"):
            return cls(errors=model_errors(error))
        return cls(errors=[{"pointer": "", "detail": message} for message in error.messages])


class PageWorkflowMixin:
    """Revision history and publishing of one page, with the token user's page permissions."""

    def management_page(self, pk: str) -> Page:
        """The specific page `pk`, if the user may see its drafts; otherwise 404, as if it did not exist."""
        page = Page.objects.filter(pk=page_id_from_path(pk)).first()
        return page_with_drafts_for(self.request, page).specific

    def page_revision(self, page: Page, revision_id: str):
        revision = page.revisions.select_related("user").filter(pk=revision_id_from_path(revision_id)).first()
        if revision is None:
            raise NotFound("This page has no revision with this id.")
        return revision

    def revision_context(self, page: Page) -> dict:
        return {**self.get_serializer_context(), "page": page}

    def page_state_response(self, page_id: int) -> Response:
        """The page as its latest revision has it (live, when nothing newer), in the write envelope, with its ETag."""
        page = Page.objects.get(pk=page_id).specific
        return self.page_write_response(page.get_latest_revision_as_object(), page.latest_revision_id, [])

    # Revisions ----------------------------------------------------------------------------------------------

    @extend_schema(
        parameters=[PAGE_ID, PaginationParams, ETAG],
        responses={200: RevisionSerializer(many=True), **READ_PROBLEMS},
        operation_id="pages_revisions_list",
        summary="List a page's revisions",
        description="Newest first. Needs a token whose user may edit or publish the page.",
    )
    @action(detail=True, methods=["get"], url_path="revisions", pagination_class=RevisionPagination, **MANAGEMENT)
    def revisions(self, request, pk=None):
        parse_query_params(request, PaginationParams)
        page = self.management_page(pk)
        revisions = page.revisions.select_related("user").defer("content").order_by("-created_at", "-id")
        results = self.paginate_queryset(revisions)
        serializer = RevisionSerializer(results, many=True, context=self.revision_context(page))
        return set_revision_etag(self.get_paginated_response(serializer.data), page)

    @extend_schema(
        parameters=[PAGE_ID, REVISION_ID, ETAG],
        responses={200: revision_detail_union(), **READ_PROBLEMS},
        operation_id="pages_revisions_retrieve",
        summary="One revision of a page, with its content",
        description=(
            "`content` is the page as the revision holds it, in the shape the page writes take: sections as "
            "Wagtail stores them, chosen images and pages as ids."
        ),
    )
    @action(detail=True, methods=["get"], url_path=rf"revisions/(?P<revision_id>{REVISION_ID_PATTERN})", **MANAGEMENT)
    def revision(self, request, pk=None, revision_id=None):
        parse_query_params(request, NoParams)
        page = self.management_page(pk)
        revision = self.page_revision(page, revision_id)
        serializer = revision_detail_serializer_for(type(page))(revision, context=self.revision_context(page))
        return set_revision_etag(Response(serializer.data), page)

    @extend_schema(
        parameters=[PAGE_ID, RevisionCompareParams, ETAG],
        responses={200: RevisionComparisonSerializer, **READ_PROBLEMS},
        operation_id="pages_revisions_compare",
        summary="Compare two revisions of a page",
        description=(
            "Page fields that differ, and sections matched by id: added, removed, moved and changed, each change "
            "a JSON pointer into the section's value with the values before and after."
        ),
    )
    @action(detail=True, methods=["get"], url_path="revisions/compare", **MANAGEMENT)
    def compare_revisions(self, request, pk=None):
        params = parse_query_params(request, RevisionCompareParams)
        page = self.management_page(pk)
        wanted = {"from": params["from"], "to": params.get("to") or page.latest_revision_id}
        revisions = page.revisions.in_bulk([pk for pk in wanted.values() if pk is not None])
        missing = [name for name, pk in wanted.items() if pk not in revisions]
        if missing:
            raise InvalidParameters({name: "This page has no revision with this id." for name in missing})
        from_revision, to_revision = revisions[wanted["from"]], revisions[wanted["to"]]
        context = self.revision_context(page)
        comparison = compare_contents(
            comparable_content(page, from_revision, context),
            comparable_content(page, to_revision, context),
            stream_blocks_of(type(page)),
        )
        data = RevisionComparisonSerializer({"from": from_revision, "to": to_revision, **comparison}, context=context)
        return set_revision_etag(Response(data.data), page)

    @extend_schema(
        parameters=[PAGE_ID, REVISION_ID, IF_MATCH_PAGE, ETAG],
        request=None,
        responses={200: PageStateResultSerializer, **BODY_WRITE_PROBLEMS},
        operation_id="pages_revisions_revert",
        summary="Make an old revision the page's draft",
        description=(
            "Saves the revision's content as the page's new latest revision, a draft (publish it to make it live), "
            "as the admin's “Replace current draft” does. Needs permission to edit the page. 409 if the content "
            "is no longer valid (its slug taken since, say)."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=rf"revisions/(?P<revision_id>{REVISION_ID_PATTERN})/revert",
        **MANAGEMENT,
    )
    def revert(self, request, pk=None, revision_id=None):
        page = self.management_page(pk)
        ensure_can_edit(request, page)
        revision = self.page_revision(page, revision_id)
        validate_body(NoBody(data=request.data))
        with api_write(request), page_for_write(request, page.pk) as locked:
            ensure_writable(request, locked)
            reverted = locked.with_content_json(revision.content)
            try:
                if not reverted.live:
                    # As in the admin, a page that is not live keeps its draft in its own row too.
                    reverted.save()
                reverted.save_revision(user=request.user, log_action="api.revert", previous_revision=revision)
            except ValidationError as error:
                raise InvalidContent.from_error(error) from None
        return self.page_state_response(page.pk)

    # Publishing ---------------------------------------------------------------------------------------------

    def ensure_can_publish(self, page: Page, doing: str) -> None:
        """403 unless the user may publish `page`; where its changes are moderated, the answer says to submit them."""
        if page_permissions(self.request, page).can_publish():
            return
        if page.has_workflow:
            ensure(
                False,
                f"Your user may not {doing} this page: its changes need a moderator's approval. Submit them for "
                f"moderation with POST /api/v1/pages/{page.pk}/submit/.",
            )
        ensure(False, f"Your user may not {doing} this page.")

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, ETAG],
        request=None,
        responses={200: PageStateResultSerializer, **BODY_WRITE_PROBLEMS},
        operation_id="pages_publish",
        summary="Publish a page's latest revision",
        description=(
            "Needs permission to publish the page; where changes need moderation, submit them instead. A draft "
            "whose `go_live_at` is still ahead is scheduled rather than published, as in the admin."
        ),
    )
    @action(detail=True, methods=["post"], **MANAGEMENT)
    def publish(self, request, pk=None):
        page = self.management_page(pk)
        self.ensure_can_publish(page, "publish")
        validate_body(NoBody(data=request.data))
        with api_write(request), page_for_write(request, page.pk) as locked:
            ensure_writable(request, locked)
            revision = latest_revision_of(locked, request.user)
            revision.publish(user=request.user, log_action="api.publish")
        return self.page_state_response(page.pk)

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, ETAG],
        request=UnpublishSerializer,
        responses={200: PageStateResultSerializer, **BODY_WRITE_PROBLEMS},
        operation_id="pages_unpublish",
        summary="Unpublish a page",
        description="Takes the page off the site; its content stays, as a draft. 409 when it is not live.",
    )
    @action(detail=True, methods=["post"], **MANAGEMENT)
    def unpublish(self, request, pk=None):
        page = self.management_page(pk)
        self.ensure_can_publish(page, "unpublish")
        body = validate_body(UnpublishSerializer(data=request.data))
        with api_write(request), page_for_write(request, page.pk) as locked:
            if not locked.live:
                raise PageStateConflict("The page is not live.")
            ensure_writable(request, locked)
            latest_revision_of(locked, request.user)
            UnpublishPageAction(
                locked, user=request.user, log_action="api.unpublish", include_descendants=body["recursive"]
            ).execute()
        return self.page_state_response(page.pk)

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, ETAG],
        request=ScheduleSerializer,
        responses={200: PageStateResultSerializer, **BODY_WRITE_PROBLEMS},
        operation_id="pages_schedule",
        summary="Schedule a page's latest revision",
        description=(
            "Publishes the latest revision at `go_live_at` (now, when null) and takes the page off the site at "
            "`expire_at` (never, when null), replacing any earlier schedule. The dates are saved in a new "
            "revision; a live page shows its published content until then."
        ),
    )
    @action(detail=True, methods=["post"], **MANAGEMENT)
    def schedule(self, request, pk=None):
        page = self.management_page(pk)
        self.ensure_can_publish(page, "schedule")
        body = validate_body(ScheduleSerializer(data=request.data))
        with api_write(request), page_for_write(request, page.pk) as locked:
            ensure_writable(request, locked, rescheduling=True)
            draft = locked.get_latest_revision_as_object()
            draft.go_live_at, draft.expire_at = body["go_live_at"], body["expire_at"]
            try:
                revision = draft.save_revision(user=request.user)
            except ValidationError as error:
                raise InvalidContent.from_error(error) from None
            # Going live now is a publication, logged as one; a later one is the schedule logged below.
            revision.publish(user=request.user, log_action="api.publish" if draft.go_live_at is None else False)
            log_api_action(
                draft,
                "api.schedule",
                data={
                    "revision": {"id": revision.pk},
                    "go_live_at": draft.go_live_at.isoformat() if draft.go_live_at else None,
                    "expire_at": draft.expire_at.isoformat() if draft.expire_at else None,
                },
                revision=revision,
            )
        return self.page_state_response(page.pk)

    @extend_schema(
        parameters=[PAGE_ID, IF_MATCH_PAGE, ETAG],
        request=None,
        responses={200: WorkflowStateSerializer, **BODY_WRITE_PROBLEMS},
        operation_id="pages_submit",
        summary="Submit a page's latest revision for moderation",
        description=(
            "Starts the page's moderation workflow (or resumes one whose reviewers asked for changes); once a "
            "reviewer approves in the admin, the page is published. 400 when the page has no workflow, 409 when "
            "it is already in moderation."
        ),
    )
    @action(detail=True, methods=["post"], **MANAGEMENT)
    def submit(self, request, pk=None):
        page = self.management_page(pk)
        ensure_can_edit(request, page)
        validate_body(NoBody(data=request.data))
        workflow = page.get_workflow()
        if workflow is None:
            raise PageWithoutWorkflow()
        with api_write(request), page_for_write(request, page.pk) as locked:
            state = locked.current_workflow_state
            if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
                raise PageStateConflict(f"The page is already in moderation ({state.workflow.name}).")
            ensure_writable(request, locked)
            revision = latest_revision_of(locked, request.user)
            if state is not None:
                # Its reviewers asked for changes: the workflow goes on from the step that asked, as in the admin.
                state.resume(request.user)
            else:
                state = workflow.start(locked, request.user)
            log_api_action(
                locked,
                "api.submit",
                data={"workflow": {"id": workflow.pk, "title": workflow.name}, "revision": {"id": revision.pk}},
                revision=revision,
            )
        state.refresh_from_db()
        response = Response(WorkflowStateSerializer(state, context=self.get_serializer_context()).data)
        return set_revision_etag(response, Page.objects.get(pk=page.pk))
