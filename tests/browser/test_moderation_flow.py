"""
Moderation end to end, in a real Chromium: an editor changes the Flask page and submits it to
"Service pages moderation"; the live page and the API stay as they were until a moderator approves;
then both show the change.
"""

import uuid
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from pages.editorial import EDITORS, MODERATORS, TASK_NAME, WORKFLOW_NAME
from pages.models import ServicePage
from pages.seed import load_initial_data
from tests.browser.admin_steps import (
    log_in,
    log_out,
    open_editor,
    open_more_actions,
    review_queue,
    success_message,
    text_input_with_value,
    wait_for_autosave,
)

FLASK_PATH = "/services/flask/"
ORIGINAL_HEADING = "What is Flask?"
EDITOR = ("erin-editor", "erin-editor-password")
MODERATOR = ("max-moderator", "max-moderator-password")


def create_user(credentials: tuple[str, str], group_name: str) -> None:
    """A user in one of the editorial groups that `load_initial_data` sets up."""
    username, password = credentials
    user = get_user_model().objects.create_user(username, f"{username}@example.com", password)
    user.groups.add(Group.objects.get(name=group_name))


def workflow_status(page_id: int) -> str | None:
    """The status of the page's latest workflow ("in_progress" while it awaits review), or None."""
    state = ServicePage.objects.get(pk=page_id).workflow_states.order_by("-created_at").first()
    return state.status if state else None


def text_section_headings(api: APIRequestContext) -> list[str]:
    """The headings of the Flask page's text sections, from the API's find-by-path endpoint."""
    response = api.get("/api/v1/pages/find/", params={"path": FLASK_PATH})
    assert response.ok, f"{response.status} {response.text()}"
    return [section["value"]["heading"] for section in response.json()["sections"] if section["type"] == "text"]


@pytest.fixture
def api(playwright: Playwright, live_server) -> Iterator[APIRequestContext]:
    """Anonymous HTTP requests to the live server, outside any browser session."""
    context = playwright.request.new_context(base_url=live_server.url)
    yield context
    context.dispose()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_goes_live_only_after_a_moderator_approves_it(page: Page, api: APIRequestContext):
    load_initial_data()
    create_user(EDITOR, EDITORS)
    create_user(MODERATOR, MODERATORS)
    flask = ServicePage.objects.get(url_path__endswith=FLASK_PATH)
    new_heading = f"Why teams choose Flask ({uuid.uuid4().hex[:8]})"

    # The editor changes the heading and submits the page to moderation: they have no Publish action.
    log_in(page, EDITOR)
    open_editor(page, flask.pk)
    text_input_with_value(page, ORIGINAL_HEADING).fill(new_heading)
    wait_for_autosave(page)
    footer = open_more_actions(page)
    submit = footer.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}", exact=True)
    expect(submit).to_be_visible()
    expect(footer.locator("button[name='action-publish']")).to_have_count(0)
    submit.click()
    expect(success_message(page)).to_contain_text(f"Page '{flask.title}' has been submitted for moderation.")
    assert workflow_status(flask.pk) == "in_progress"

    # Until a moderator approves, visitors and API clients still get the published version.
    page.goto(FLASK_PATH)
    expect(page.get_by_role("heading", name=ORIGINAL_HEADING, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=new_heading)).to_have_count(0)
    headings = text_section_headings(api)
    assert ORIGINAL_HEADING in headings
    assert new_heading not in headings

    # The moderator finds the page awaiting their review and approves it from the editor, which publishes it.
    page.goto("/admin/")
    log_out(page, EDITOR[0])
    log_in(page, MODERATOR)
    queued = review_queue(page).get_by_role("row").filter(has_text=flask.title)
    expect(queued).to_contain_text(EDITOR[0])
    expect(queued.locator(f"[data-w-tooltip-content-value^='{TASK_NAME}:']")).to_have_count(1)
    open_editor(page, flask.pk)
    expect(text_input_with_value(page, new_heading)).to_be_visible()
    open_more_actions(page).get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(success_message(page)).to_contain_text(f"Page '{flask.title}' has been updated.")
    assert workflow_status(flask.pk) == "approved"

    # Now the rendered page and the API both show the new heading.
    page.goto(FLASK_PATH)
    expect(page.get_by_role("heading", name=new_heading, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=ORIGINAL_HEADING)).to_have_count(0)
    headings = text_section_headings(api)
    assert new_heading in headings
    assert ORIGINAL_HEADING not in headings
