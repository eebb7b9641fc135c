"""In Chromium, under the Content-Security-Policy: the pages that run script (Bootstrap, htmx, Trix,
the small behaviours of app.js) report no violation, and what the script does still happens."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import RoleAssignment
from accounts.services import role_assign
from teams.services import application_start
from tests.conftest import build_tree
from tests.factories import TEST_PASSWORD, UserFactory, make_campaign, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collected in the page before any of its own script runs; DevTools' init scripts are not subject to the policy.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_no_page_reports_a_violation_and_the_scripts_still_work(page: Page, live_server):
    tree = build_tree()
    draft = make_campaign(organiser=tree.province, document_number="测工发〔2026〕7号")
    published = make_campaign(organiser=tree.province, publish=True)
    staff = UserFactory(username="sheng_staff", unit=tree.province)
    role_assign(actor=None, user=staff, role=RoleAssignment.Role.STAFF, unit=tree.province)
    leader = UserFactory(username="banzuzhang")
    team = make_team(leader=leader, union=tree.grassroots_a1)
    application = application_start(actor=leader, team=team, campaign=published)
    base = live_server.url

    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH_VIOLATIONS)
    page.add_init_script("window.print = () => { window.__printed = true; };")

    def assert_no_violation(where: str) -> None:
        assert page.evaluate("window.__cspViolations") == [], where
        assert not [text for text in console if "Content Security Policy" in text], (where, console)

    # The public home page and a notice, with its print button.
    page.goto(base + reverse("home"))
    expect(page.locator("link[rel=icon][type='image/svg+xml']")).to_have_count(1)
    assert_no_violation("home")
    page.goto(base + reverse("notices:detail", args=[published.pk]))
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    assert_no_violation("notice")

    # The campaign editor: Trix draws its toolbar in Chinese and takes bold text.
    sign_in(page, base, "sheng_staff")
    page.goto(base + reverse("campaigns:edit", args=[draft.pk]))
    page.get_by_test_id("rich-text-body").click()
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("加粗的文字")
    expect(page.locator("trix-editor strong")).to_have_text("加粗的文字")
    # Its own stylesheet (once inline) applies: no file button, a tall editing area.
    expect(page.locator(".trix-button-group--file-tools")).to_be_hidden()
    assert page.locator("trix-editor").evaluate("(editor) => getComputedStyle(editor).minHeight") == "256px"
    page.get_by_test_id("user-menu").click()  # Bootstrap's dropdown
    expect(page.get_by_test_id("logout")).to_be_visible()
    assert_no_violation("campaign editor")

    # The quotas page adds up as the staff type.
    page.goto(base + reverse("campaigns:quotas", args=[draft.pk]))
    fields = page.locator("#quota-form input[type=number]")
    fields.nth(0).fill("4")
    fields.nth(1).fill("5")
    expect(page.locator("[data-quota-total]")).to_have_text("9")
    assert_no_violation("quotas")

    # The application form: htmx saves the draft as the leader types.
    sign_in(page, base, "banzuzhang")
    page.goto(base + reverse("applications:edit", args=[application.pk]))
    page.locator("#id_summary").fill("班组传承“梦桃精神”。")
    expect(page.locator("#autosave-status")).to_contain_text("草稿已于", timeout=10_000)
    assert_no_violation("application form")
    application.refresh_from_db()
    assert application.summary == "班组传承“梦桃精神”。"

    # The printable form.
    page.goto(base + reverse("applications:print", args=[application.pk]))
    page.evaluate("window.__printed = false")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    assert_no_violation("printable form")
