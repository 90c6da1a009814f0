"""Editorial roles, moderation, scheduling, revisions, locking and the audit log, through Wagtail's admin views."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry, Workflow

from pages.editorial import EDITORS, MODERATORS, WORKFLOW_NAME
from pages.models import ServicePage

from .admin_forms import editor_sections, service_page_form_data

pytestmark = pytest.mark.django_db


def make_user(username: str, group: str | None = None, superuser: bool = False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.com", "a-long-test-password")
    user = User.objects.create_user(username, f"{username}@example.com", "a-long-test-password")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client, seeded_site):
    client.force_login(make_user("eddie", EDITORS))
    return client


@pytest.fixture
def moderator_client(seeded_site):
    from django.test import Client

    moderator = Client()
    moderator.force_login(make_user("mona", MODERATORS))
    return moderator


def changed_heading_form(page, heading: str, **extra) -> dict:
    sections = editor_sections(page)
    sections[1][1]["heading"] = heading
    return {**service_page_form_data(page, sections=sections), **extra}


def test_groups_and_workflow_come_from_the_data_migration(db):
    assert set(Group.objects.filter(name__in=[EDITORS, MODERATORS]).values_list("name", flat=True)) == {
        EDITORS,
        MODERATORS,
    }
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [task.specific.groups.get().name for task in workflow.tasks] == [MODERATORS]


def test_the_workflow_is_attached_to_the_services_index(flask_page):
    assert flask_page.get_workflow().name == WORKFLOW_NAME


def test_an_editor_can_edit_service_pages_but_not_the_home_page(editor_client, flask_page, seeded_site):
    assert editor_client.get(f"/admin/pages/{flask_page.pk}/edit/").status_code == 200
    home_edit = editor_client.get(f"/admin/pages/{seeded_site.root_page_id}/edit/")
    assert home_edit.status_code in (302, 403)
    add_under_home = editor_client.get(f"/admin/pages/add/pages/serviceindexpage/{seeded_site.root_page_id}/")
    assert add_under_home.status_code in (302, 403)


def test_an_editor_cannot_publish(editor_client, client, flask_page):
    response = editor_client.post(
        f"/admin/pages/{flask_page.pk}/edit/",
        changed_heading_form(flask_page, "Published by an editor?", **{"action-publish": "1"}),
    )
    assert response.status_code in (302, 200, 403)
    assert "Published by an editor?" not in client.get("/services/flask/").content.decode()
    assert ServicePage.objects.get(pk=flask_page.pk).sections[1].value["heading"] == "What is Flask?"


def test_submit_for_moderation_then_a_moderator_approves(editor_client, moderator_client, flask_page):
    from django.test import Client

    response = editor_client.post(
        f"/admin/pages/{flask_page.pk}/edit/",
        changed_heading_form(flask_page, "Flask in a nutshell", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    page = ServicePage.objects.get(pk=flask_page.pk)
    workflow_state = page.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"
    assert "Flask in a nutshell" not in Client().get("/services/flask/").content.decode()

    task_state = workflow_state.current_task_state
    approve = moderator_client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Looks good"}
    )
    assert approve.status_code in (200, 302)

    assert "Flask in a nutshell" in Client().get("/services/flask/").content.decode()
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user__username="mona").exists()


def test_scheduled_publishing_goes_live_with_publish_scheduled(client, flask_page):
    go_live = timezone.now() + timedelta(days=2)
    flask_page.sections[1].value["heading"] = "Scheduled heading"
    flask_page.go_live_at = go_live
    flask_page.save_revision().publish()

    assert "Scheduled heading" not in client.get("/services/flask/").content.decode()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Scheduled heading" not in client.get("/services/flask/").content.decode()

    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert "Scheduled heading" in client.get("/services/flask/").content.decode()


def test_expiry_takes_the_page_down(client, flask_page):
    flask_page.expire_at = timezone.now() + timedelta(hours=1)
    flask_page.save_revision().publish()
    assert client.get("/services/flask/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert client.get("/services/flask/").status_code == 404


def test_revert_restores_the_earlier_sections_exactly(client, flask_page):
    client.force_login(make_user("root", superuser=True))
    edit_url = f"/admin/pages/{flask_page.pk}/edit/"
    client.post(edit_url, {**service_page_form_data(flask_page), "action-publish": "1"})
    saved = ServicePage.objects.get(pk=flask_page.pk).latest_revision
    client.post(edit_url, changed_heading_form(saved.as_object(), "A regrettable edit", **{"action-publish": "1"}))
    assert "A regrettable edit" in client.get("/services/flask/").content.decode()

    assert client.get(f"/admin/pages/{flask_page.pk}/revisions/{saved.pk}/revert/").status_code == 200
    response = client.post(
        edit_url, {**service_page_form_data(saved.as_object()), "action-publish": "1", "revision": saved.pk}
    )

    assert response.status_code == 302
    assert ServicePage.objects.get(pk=flask_page.pk).latest_revision.content["sections"] == saved.content["sections"]
    assert "What is Flask?" in client.get("/services/flask/").content.decode()


def test_revisions_can_be_compared(client, flask_page):
    first = flask_page.latest_revision
    flask_page.sections[1].value["heading"] = "Second thoughts"
    second = flask_page.save_revision()
    client.force_login(make_user("root", superuser=True))

    response = client.get(f"/admin/pages/{flask_page.pk}/revisions/compare/{first.pk}...{second.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Second thoughts" in html and "What is Flask?" in html


def test_a_locked_page_cannot_be_saved_by_another_editor(editor_client, moderator_client, flask_page):
    assert moderator_client.post(f"/admin/pages/{flask_page.pk}/lock/").status_code == 302
    flask_page.refresh_from_db()
    assert flask_page.locked

    editor_client.post(f"/admin/pages/{flask_page.pk}/edit/", changed_heading_form(flask_page, "Sneaky edit"))

    assert "Sneaky edit" not in str(ServicePage.objects.get(pk=flask_page.pk).get_latest_revision().content)


def test_the_audit_log_records_who_did_what(client, flask_page):
    admin = make_user("auditor", superuser=True)
    client.force_login(admin)
    client.post(
        f"/admin/pages/{flask_page.pk}/edit/", changed_heading_form(flask_page, "Audited", **{"action-publish": "1"})
    )

    entry = PageLogEntry.objects.filter(page=flask_page, action="wagtail.publish").latest("timestamp")
    assert entry.user == admin
    history = client.get(f"/admin/pages/{flask_page.pk}/history/")
    assert history.status_code == 200 and "auditor" in history.content.decode()


def test_admin_search_finds_service_pages_by_section_text(client, flask_page):
    client.force_login(make_user("searcher", superuser=True))

    response = client.get("/admin/pages/search/", {"q": "negotiate"})

    assert response.status_code == 200
    assert "Flask development services" in response.content.decode()


def test_concurrent_editing_notices_are_on(editor_client, flask_page):
    html = editor_client.get(f"/admin/pages/{flask_page.pk}/edit/").content.decode()
    assert "w-session" in html


def test_the_seo_panel_shows_length_hints(editor_client, flask_page):
    html = editor_client.get(f"/admin/pages/{flask_page.pk}/edit/").content.decode()
    assert "Search engines and sharing" in html
    assert 'data-length-hint="60"' in html and 'data-length-hint="155"' in html
    assert "length-hints.js" in html
    for field in ("seo_title", "search_description", "social_image", "canonical_url"):
        assert f'name="{field}"' in html


def test_a_shared_call_to_action_changes_everywhere_at_once(client, flask_page, service_page_factory):
    from pages.models import CallToAction

    shared = CallToAction.objects.get(name="Hire our developers")
    other = service_page_factory(parent=flask_page.get_parent(), slug="fastapi", title="FastAPI development")
    for page in (flask_page, other):
        page.sections.append(("shared_call_to_action", shared))
        page.save_revision().publish()

    shared.heading = "Book a free consultation"
    shared.save()

    for path in ("/services/flask/", "/services/fastapi/"):
        assert ">Book a free consultation</h2>" in client.get(path).content.decode()
    api_section = client.get("/api/v1/pages/find/?path=/services/fastapi/").json()["sections"][-1]
    assert api_section["type"] == "shared_call_to_action"
    assert api_section["value"]["heading"] == "Book a free consultation"
    assert api_section["value"]["snippet_id"] == shared.pk
