"""In Chromium: a team leader registers a team, the grassroots union approves it, the leader fills
and submits a complete application with evidence, and staff find it in their list. The submitted
version's hashes match the files as stored."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect

from accounts.models import RoleAssignment
from accounts.services import role_assign
from teams.models import Application
from tests.conftest import build_tree
from tests.factories import PDF_BYTES, PNG_BYTES, TEST_PASSWORD, UserFactory, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_a_leader_registers_applies_with_evidence_and_staff_see_it(page: Page, live_server, artifacts):
    tree = build_tree()
    campaign = make_campaign(organiser=tree.province, publish=True)
    union_staff = UserFactory(username="a1_staff", unit=tree.grassroots_a1)
    role_assign(actor=None, user=union_staff, role=RoleAssignment.Role.STAFF, unit=tree.grassroots_a1)
    UserFactory(username="banzuzhang", name="王建华")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # The leader registers the team.
    sign_in(page, base, "banzuzhang")
    page.goto(base + "/teams/mine/")
    page.get_by_test_id("register-team").click()
    page.locator("#id_grassroots_union").fill(tree.grassroots_a1.code)
    page.locator("#id_name").fill("细纱甲班")
    page.locator("#id_enterprise").fill("甲市机械厂")
    page.locator("#id_industry").select_option("C")
    page.get_by_test_id("save-team").click()
    expect(page.locator("h1")).to_contain_text("细纱甲班")

    # The grassroots union approves it.
    sign_out(page)
    sign_in(page, base, "a1_staff")
    page.goto(base + "/teams/")
    page.get_by_role("link", name="细纱甲班").click()
    page.get_by_test_id("review-team").click()
    page.get_by_test_id("approve").click()

    # The leader applies.
    sign_out(page)
    sign_in(page, base, "banzuzhang")
    page.goto(base + "/teams/mine/")
    page.get_by_test_id("apply").click()
    expect(page.get_by_test_id("checklist")).to_be_visible()
    page.locator("#id_summary").fill("班组传承“梦桃精神”，安全生产两千天，师带徒结对八对。")
    expect(page.locator("#autosave-status")).to_contain_text("草稿已于", timeout=10_000)
    page.locator("#id_account").fill("细纱甲班现有职工十二人，近三年开展技术攻关二十项，获省级QC成果一等奖。")
    criteria = list(campaign.criteria.all())
    for criterion in criteria:
        if criterion.statement_required:
            page.locator(f"#id_statement_{criterion.pk}").fill(f"{criterion.title}：班组的做法与成效。")
        for code in criterion.indicators:
            page.locator(f"#id_ind_{criterion.pk}_{code}").fill("4")
    expect(page.locator("#autosave-status")).to_contain_text("草稿已于", timeout=10_000)
    for criterion in criteria:
        if criterion.min_evidence:
            name, content, mime = (
                (f"{criterion.code}号证明.png", PNG_BYTES + criterion.code.encode(), "image/png")
                if criterion.code == "4"
                else (f"{criterion.code}号证明.pdf", PDF_BYTES + f"%{criterion.code}\n".encode(), "application/pdf")
            )
            page.locator(f"#id_files_{criterion.pk}").set_input_files(
                files=[{"name": name, "mimeType": mime, "buffer": content}]
            )
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("complete")).to_be_visible()
    for criterion in criteria:
        if criterion.min_evidence:
            expect(page.get_by_test_id(f"evidence-{criterion.code}")).to_contain_text("号证明")
    page.screenshot(path=artifacts / "application-form.png", full_page=True)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("application-status")).to_have_text("已提交")
    expect(page.get_by_test_id("summary")).to_contain_text("梦桃精神")

    # The staff of the grassroots union see it in their list.
    sign_out(page)
    sign_in(page, base, "a1_staff")
    page.goto(base + "/applications/")
    expect(page.get_by_role("link", name="细纱甲班")).to_be_visible()
    page.get_by_role("link", name="细纱甲班").click()
    expect(page.get_by_test_id("application-status")).to_have_text("已提交")
    page.screenshot(path=artifacts / "application-staff.png", full_page=True)

    application = Application.objects.get(team__name="细纱甲班")
    version = application.versions.get()
    files = [item for criterion in version.content["criteria"] for item in criterion["evidence"]]
    assert len(files) == 4
    for item in files:
        with default_storage.open(item["stored"]) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == item["sha256"]
