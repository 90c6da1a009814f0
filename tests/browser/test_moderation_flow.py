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
from playwright.sync_api import APIRequestContext, Locator, Page, Playwright, expect

from pages.editorial import EDITORS, MODERATORS, TASK_NAME, WORKFLOW_NAME
from pages.models import ServicePage
from pages.seed import load_initial_data

FLASK_PATH = "/services/flask/"
ORIGINAL_HEADING = "What is Flask?"
EDITOR = ("erin-editor", "erin-editor-password")
MODERATOR = ("max-moderator", "max-moderator-password")

# Wagtail's editor takes a snapshot of the form two seconds after it loads; only a change made after the
# snapshot counts as an edit (and is autosaved). The test lets that time pass on the page's own clock.
EDITOR_SNAPSHOT_DELAY = "00:03"


def create_user(credentials: tuple[str, str], group_name: str) -> None:
    """A user in one of the editorial groups that `load_initial_data` sets up."""
    username, password = credentials
    user = get_user_model().objects.create_user(username, f"{username}@example.com", password)
    user.groups.add(Group.objects.get(name=group_name))


def log_in(page: Page, credentials: tuple[str, str]) -> None:
    """Sign in through Wagtail's login form and wait for the dashboard."""
    username, password = credentials
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/admin/")
    expect(page.get_by_role("complementary", name="Sidebar")).to_contain_text(username)


def log_out(page: Page, username: str) -> None:
    """Sign out through the account menu at the foot of the sidebar."""
    page.get_by_role("complementary", name="Sidebar").get_by_role("button", name=username).click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/admin/login/")
    expect(page.get_by_role("status")).to_contain_text("You have been successfully logged out.")


def open_editor(page: Page, page_id: int) -> None:
    """Open a page's edit view, ready for typing as a person would find it (after the editor's snapshot)."""
    page.clock.install()
    page.goto(f"/admin/pages/{page_id}/edit/")
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    page.clock.run_for(EDITOR_SNAPSHOT_DELAY)


def text_input_with_value(page: Page, value: str) -> Locator:
    """The text input whose current value is `value`.

    StreamField's JavaScript draws the inputs and sets their values as properties, not HTML attributes,
    so no CSS selector matches them by value: wait until one of them holds it, then address it by its id.
    """
    handle = page.wait_for_function(
        """(value) => [...document.querySelectorAll('input[type="text"]')].find((input) => input.value === value)""",
        arg=value,
    )
    return page.locator(f"input[id='{handle.as_element().get_attribute('id')}']")


def wait_for_autosave(page: Page) -> None:
    """Wagtail 8 autosaves the draft shortly after a change; wait for "Saved" so no save races the next click."""
    expect(page.locator("#w-autosave-indicator")).to_have_attribute("data-w-autosave-state-value", "saved")


def footer_actions(page: Page) -> Locator:
    """The editor's footer: a main button ("Save draft") and, in the "More actions" dropdown, the rest."""
    return page.get_by_role("navigation", name="Actions (footer)")


def open_more_actions(page: Page) -> Locator:
    """Open the dropdown beside the footer's main button, and return the footer."""
    footer = footer_actions(page)
    footer.get_by_role("button", name="More actions").click()
    return footer


def success_message(page: Page) -> Locator:
    return page.get_by_role("status").locator(".success")


def review_queue(page: Page) -> Locator:
    """The dashboard's "Awaiting your review" panel (shown only to someone with a task to review)."""
    return page.get_by_role("region", name="Awaiting your review")


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
