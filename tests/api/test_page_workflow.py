"""Management API: publish, unpublish, schedule and submit for moderation, with the token user's permissions."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowPage, WorkflowState

from pages.models import HomePage, ServicePage
from tests.factories import ServicePageFactory, UserFactory

from .drafts import etag_of, save_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(seeded_site):
    return UserFactory(username="mona", groups=["Moderators"])


def post(api_client, page, operation: str, headers: dict, body=None, *, if_match: str | None = None):
    """POST to `/api/v1/pages/<id>/<operation>/` with the page's current ETag unless told otherwise."""
    return api_client.post(
        f"/api/v1/pages/{page.pk}/{operation}/",
        body,
        format="json",
        HTTP_IF_MATCH=if_match if if_match is not None else etag_of(page),
        **headers,
    )


def public_detail(api_client, page):
    return api_client.get(f"/api/v1/pages/{page.pk}/")


def test_a_moderator_publishes_the_latest_draft(api_client, bearer, flask_page, moderator):
    draft = save_draft(flask_page, title="Flask, done right")

    response = post(api_client, flask_page, "publish", bearer(moderator))

    assert response.status_code == 200
    assert response.json()["page"]["title"] == "Flask, done right"
    assert response.json()["revision_id"] == draft.pk
    assert response["ETag"] == f'"revision-{draft.pk}"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    page = ServicePage.objects.get(pk=flask_page.pk)
    assert page.live_revision_id == draft.pk and not page.has_unpublished_changes
    assert public_detail(api_client, flask_page).json()["title"] == "Flask, done right"
    entry = PageLogEntry.objects.get(page=page, action="api.publish")
    assert entry.user == moderator
    assert entry.revision_id == draft.pk
    assert entry.data["api"]["token"] == "Test token"


def test_an_editor_may_not_publish_a_page_that_needs_moderation(api_client, bearer, flask_page, editor):
    save_draft(flask_page, title="Flask, unapproved")

    response = post(api_client, flask_page, "publish", bearer(editor))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert f"/api/v1/pages/{flask_page.pk}/submit/" in response.json()["detail"]
    assert public_detail(api_client, flask_page).json()["title"] == "Flask development services"
    assert not PageLogEntry.objects.filter(action="api.publish").exists()


def test_publishing_needs_a_token(api_client, flask_page):
    response = api_client.post(f"/api/v1/pages/{flask_page.pk}/publish/", HTTP_IF_MATCH=etag_of(flask_page))

    assert response.status_code == 401


def test_publishing_without_if_match_is_a_428(api_client, bearer, flask_page, moderator):
    save_draft(flask_page, title="Flask, done right")

    response = api_client.post(f"/api/v1/pages/{flask_page.pk}/publish/", **bearer(moderator))

    assert response.status_code == 428
    assert ServicePage.objects.get(pk=flask_page.pk).has_unpublished_changes is True


def test_publishing_a_revision_someone_else_replaced_is_a_412(api_client, bearer, flask_page, moderator):
    read_before = etag_of(flask_page)
    newer = save_draft(flask_page, title="Someone else's draft")

    response = post(api_client, flask_page, "publish", bearer(moderator), if_match=read_before)

    assert response.status_code == 412
    assert response.json()["current_revision_id"] == newer.pk
    assert public_detail(api_client, flask_page).json()["title"] == "Flask development services"


def test_publish_refuses_a_body(api_client, bearer, flask_page, moderator):
    response = post(api_client, flask_page, "publish", bearer(moderator), {"at": "now"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/at"


def test_unpublish_takes_the_page_off_the_site(api_client, bearer, flask_page, moderator):
    response = post(api_client, flask_page, "unpublish", bearer(moderator))

    assert response.status_code == 200
    assert public_detail(api_client, flask_page).status_code == 404
    assert ServicePage.objects.get(pk=flask_page.pk).live is False
    assert PageLogEntry.objects.get(page=flask_page, action="api.unpublish").data["api"]["token"] == "Test token"

    again = post(api_client, flask_page, "unpublish", bearer(moderator))

    assert again.status_code == 409
    assert again.json()["detail"] == "The page is not live."


def test_an_editor_may_not_unpublish(api_client, bearer, flask_page, editor):
    response = post(api_client, flask_page, "unpublish", bearer(editor))

    assert response.status_code == 403
    assert public_detail(api_client, flask_page).status_code == 200


def test_a_scheduled_page_goes_live_at_its_time_and_not_before(api_client, bearer, flask_page, moderator):
    flask_page.unpublish()
    go_live_at = timezone.now() + timedelta(hours=1)

    response = post(
        api_client, flask_page, "schedule", bearer(moderator), {"go_live_at": go_live_at.isoformat(), "expire_at": None}
    )

    assert response.status_code == 200
    page = ServicePage.objects.get(pk=flask_page.pk)
    assert page.live is False
    assert page.get_latest_revision().approved_go_live_at == go_live_at
    assert response["ETag"] == f'"revision-{page.latest_revision_id}"'
    entry = PageLogEntry.objects.get(page=page, action="api.schedule")
    assert entry.data["go_live_at"] == go_live_at.isoformat()
    assert entry.data["api"]["token"] == "Test token"
    call_command("publish_scheduled")
    assert public_detail(api_client, flask_page).status_code == 404

    with time_machine.travel(go_live_at + timedelta(minutes=1)):
        call_command("publish_scheduled")
        assert public_detail(api_client, flask_page).status_code == 200


def test_a_page_scheduled_to_expire_leaves_the_site_at_that_time(api_client, bearer, flask_page, moderator):
    expire_at = timezone.now() + timedelta(days=1)

    response = post(
        api_client, flask_page, "schedule", bearer(moderator), {"go_live_at": None, "expire_at": expire_at.isoformat()}
    )

    assert response.status_code == 200
    assert public_detail(api_client, flask_page).status_code == 200
    assert PageLogEntry.objects.filter(page=flask_page, action="api.publish").exists()
    with time_machine.travel(expire_at + timedelta(minutes=1)):
        assert public_detail(api_client, flask_page).status_code == 404


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"go_live_at": "2001-01-01T09:00:00Z", "expire_at": None}, "/go_live_at"),
        ({"go_live_at": "{later}", "expire_at": "{soon}"}, "/expire_at"),
        ({"go_live_at": None, "expire_at": "2001-01-01T09:00:00Z"}, "/expire_at"),
        ({"go_live_at": "tomorrow", "expire_at": None}, "/go_live_at"),
        ({"expire_at": None}, "/go_live_at"),
        ({"go_live_at": None, "expire_at": None, "notify": True}, "/notify"),
    ],
)
def test_schedule_refuses_dates_that_make_no_sense(api_client, bearer, flask_page, moderator, body, pointer):
    moments = {"{soon}": timezone.now() + timedelta(hours=1), "{later}": timezone.now() + timedelta(hours=2)}
    body = {name: moments[value].isoformat() if value in moments else value for name, value in body.items()}

    response = post(api_client, flask_page, "schedule", bearer(moderator), body)

    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == [pointer]
    assert not PageLogEntry.objects.filter(action="api.schedule").exists()


def test_an_editor_may_not_schedule(api_client, bearer, flask_page, editor):
    body = {"go_live_at": (timezone.now() + timedelta(hours=1)).isoformat(), "expire_at": None}

    response = post(api_client, flask_page, "schedule", bearer(editor), body)

    assert response.status_code == 403


def test_an_editors_submission_goes_live_once_a_moderator_approves(api_client, bearer, flask_page, editor, moderator):
    draft = save_draft(flask_page, user=editor, title="Flask, reviewed")

    response = post(api_client, flask_page, "submit", bearer(editor))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["current_task"]["name"], body["requested_by"]) == (
        WorkflowState.STATUS_IN_PROGRESS,
        "Moderator approval",
        "eddie",
    )
    assert body["revision_id"] == draft.pk
    assert response["ETag"] == f'"revision-{draft.pk}"'
    assert PageLogEntry.objects.get(page=flask_page, action="api.submit").data["api"]["token"] == "Test token"
    assert public_detail(api_client, flask_page).json()["title"] == "Flask development services"

    task_state = ServicePage.objects.get(pk=flask_page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    assert public_detail(api_client, flask_page).json()["title"] == "Flask, reviewed"


def test_a_page_already_in_moderation_cannot_be_submitted_again(api_client, bearer, flask_page, editor):
    save_draft(flask_page, title="Flask, reviewed")
    assert post(api_client, flask_page, "submit", bearer(editor)).status_code == 200

    again = post(api_client, flask_page, "submit", bearer(editor))

    assert again.status_code == 409
    assert "already in moderation" in again.json()["detail"]


def test_submitting_a_page_without_a_workflow_is_a_400(api_client, bearer, seeded_site):
    admin = UserFactory(username="root", is_superuser=True)
    home = HomePage.objects.get()
    # Wagtail's install gives the whole tree its default workflow; this site does without one outside the services.
    WorkflowPage.objects.filter(page__in=home.get_ancestors(inclusive=True)).delete()

    response = post(api_client, home, "submit", bearer(admin))

    assert response.status_code == 400
    assert "no moderation workflow" in response.json()["detail"]


def test_a_resubmission_after_requested_changes_resumes_the_workflow(api_client, bearer, flask_page, editor, moderator):
    save_draft(flask_page, title="Flask, first try")
    post(api_client, flask_page, "submit", bearer(editor))
    task_state = ServicePage.objects.get(pk=flask_page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject")
    second_try = save_draft(flask_page, user=editor, title="Flask, second try")

    response = post(api_client, flask_page, "submit", bearer(editor))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["revision_id"]) == ("in_progress", second_try.pk)
    assert WorkflowState.objects.filter(object_id=str(flask_page.pk)).count() == 1


def test_a_page_locked_by_another_user_cannot_be_published(api_client, bearer, flask_page, moderator):
    other = UserFactory(username="locker", groups=["Moderators"])
    ServicePage.objects.filter(pk=flask_page.pk).update(locked=True, locked_by=other, locked_at=timezone.now())

    response = post(api_client, flask_page, "publish", bearer(moderator))

    assert response.status_code == 423
    assert response["Content-Type"] == "application/problem+json"


def test_a_scheduled_page_is_rescheduled_not_published_over(api_client, bearer, flask_page, moderator):
    flask_page.unpublish()
    later = timezone.now() + timedelta(days=2)
    post(api_client, flask_page, "schedule", bearer(moderator), {"go_live_at": later.isoformat(), "expire_at": None})

    published = post(api_client, flask_page, "publish", bearer(moderator))
    brought_forward = post(
        api_client, flask_page, "schedule", bearer(moderator), {"go_live_at": None, "expire_at": None}
    )

    assert published.status_code == 423
    assert f"/api/v1/pages/{flask_page.pk}/schedule/" in published.json()["detail"]
    assert brought_forward.status_code == 200
    assert public_detail(api_client, flask_page).status_code == 200


def test_a_user_who_may_not_edit_the_page_cannot_find_it_to_publish(api_client, bearer, flask_page):
    outsider = UserFactory(username="outsider")

    response = post(api_client, flask_page, "publish", bearer(outsider))

    assert response.status_code == 404


def test_a_page_made_in_code_without_revisions_can_be_unpublished(api_client, bearer, flask_page, moderator):
    page = ServicePageFactory(parent=flask_page.get_parent(), slug="django")
    assert page.get_latest_revision() is None

    response = post(api_client, page, "unpublish", bearer(moderator))

    assert response.status_code == 200
    page = ServicePage.objects.get(pk=page.pk)
    assert page.live is False
    assert response.json()["revision_id"] == page.latest_revision_id is not None
