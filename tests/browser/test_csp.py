"""
The Content-Security-Policy in a real Chromium: the admin's page editor, the public Flask page and the API docs
all work under the policies the server sends, and the browser reports no violation of them.

Every frame (the editor's preview iframe included) reports `securitypolicyviolation` events to the test through
an exposed binding, and Chromium's console messages about the policy are collected as well: a blocked inline
script, style, image, worker or eval shows up in one or both. Each test also checks that every document it loaded
carried a policy, so a missing header cannot pass for a clean run.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response, expect

from pages.models import ServicePage
from tests.browser.admin_steps import log_in, open_editor, success_message, wait_for_autosave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FLASK_PATH = "/services/flask/"
# Runs in every frame before the page's own scripts; `reportCspViolation` is the binding the fixture exposes.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    document: event.documentURI,
  });
});
"""


def policy_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@dataclass
class PolicyWatch:
    """What the browser said about the Content-Security-Policy while the test ran."""

    violations: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    documents: dict[str, str | None] = field(default_factory=dict)  # URL → its policy header

    def record_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console_errors.append(message.text)

    def record_response(self, response: Response) -> None:
        if response.request.resource_type == "document":
            self.documents[response.url] = response.headers.get("content-security-policy")

    def assert_clean(self, *, allowed_blocked: tuple[str, ...] = ()) -> None:
        """No violation (except of the `allowed_blocked` URLs) and a policy on every document loaded."""
        assert self.documents, "no document was loaded"
        unprotected = [url for url, policy in self.documents.items() if not policy]
        assert not unprotected, f"documents without a Content-Security-Policy: {unprotected}"
        violations = [found for found in self.violations if found["blocked"] not in allowed_blocked]
        assert not violations, f"the policy blocked: {violations}"
        console_errors = [text for text in self.console_errors if not any(url in text for url in allowed_blocked)]
        assert not console_errors, f"the console reported: {console_errors}"


@pytest.fixture
def policy_watch(context: BrowserContext, page: Page) -> Iterator[PolicyWatch]:
    watch = PolicyWatch()
    context.expose_binding("reportCspViolation", lambda source, violation: watch.violations.append(violation))
    context.add_init_script(REPORT_VIOLATIONS)
    page.on("console", watch.record_console)
    page.on("response", watch.record_response)
    yield watch


def test_the_page_editor_works_under_the_admin_policy(
    page: Page, policy_watch: PolicyWatch, flask_page: ServicePage, admin_user
):
    """Add a section through the block chooser, save a draft and see it in the preview panel."""
    heading = f"Security first ({uuid.uuid4().hex[:8]})"

    log_in(page, (admin_user.username, "password"))  # pytest-django's admin user
    open_editor(page, flask_page.pk)
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("listbox", name="Search options…").get_by_role("option", name="Text section").click()
    new_section = page.get_by_role("region", name="Text section", exact=True)
    new_section.get_by_role("textbox", name="Heading*").fill(heading)
    new_section.locator("[contenteditable='true']").fill("Every response carries a Content-Security-Policy.")
    wait_for_autosave(page)
    page.get_by_role("navigation", name="Actions (footer)").get_by_role("button", name="Save draft").click()
    expect(success_message(page)).to_contain_text(f"Page '{flask_page.title}' has been updated.")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(preview.get_by_text("Every response carries a Content-Security-Policy.")).to_be_visible()

    policy_watch.assert_clean()
    assert any("/preview/" in url for url in policy_watch.documents), "the preview iframe did not load"


def test_the_public_page_needs_nothing_inline(page: Page, policy_watch: PolicyWatch, seeded_site):
    """The Flask page under the strict policy, its JSON-LD included: a data block is not a script the policy runs."""
    response = page.goto(FLASK_PATH)

    policy = policy_directives(response.headers["content-security-policy"])
    assert policy["script-src"] == policy["style-src"] == ["'self'"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask development services")
    expect(page.locator("script[type='application/ld+json']")).to_have_count(1)
    policy_watch.assert_clean()


def test_swagger_ui_renders_under_the_docs_policy(page: Page, policy_watch: PolicyWatch):
    """Swagger UI starts from a script file (no inline script), lists the endpoints and opens one."""
    response = page.goto("/api/v1/docs/")

    assert policy_directives(response.headers["content-security-policy"])["script-src"] == ["'self'"]
    endpoint = page.locator(".opblock-summary-path", has_text="/api/v1/pages/find/")
    endpoint.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    policy_watch.assert_clean()


def test_redoc_renders_under_the_docs_policy(page: Page, policy_watch: PolicyWatch):
    """Redoc renders; the one thing refused is the Redocly logo from its CDN, which Redoc then hides."""
    page.goto("/api/v1/redoc/")

    expect(page.get_by_role("heading", name="NextBigIt content API", level=1)).to_be_visible()
    policy_watch.assert_clean(allowed_blocked=("https://cdn.redoc.ly/redoc/logo-mini.svg",))
