"""Steps a person takes in the Wagtail admin, for the browser tests (Playwright)."""

from playwright.sync_api import Locator, Page, expect

# Wagtail's editor takes a snapshot of the form two seconds after it loads; only a change made after the
# snapshot counts as an edit (and is autosaved). The test lets that time pass on the page's own clock.
EDITOR_SNAPSHOT_DELAY = "00:03"


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
