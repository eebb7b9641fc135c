"""In Chromium: a failing ledger form keeps the files chosen, shows them beside the file box with a
way to let one go, and saves them with the entry on the next submit; a failing application form
keeps its file attached, the errors beside their fields and the chosen ledger entry. Screenshots
at 1366 and 375 pixels."""

import pytest
from playwright.sync_api import Page, expect

from teams.models import LedgerEntry
from teams.services import application_start, ledger_entry_save
from tests.conftest import build_tree
from tests.factories import EXE_BYTES, PDF_BYTES, UserFactory, make_campaign, make_team, upload

from .test_application import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}


def pdf(name: str, extra: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES + extra.encode()}


def screenshots(page: Page, artifacts, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=artifacts / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def test_a_failing_ledger_form_keeps_its_files_until_they_are_saved(page: Page, live_server, artifacts):
    tree = build_tree()
    leader = UserFactory(username="banzuzhang", name="王建华")
    team = make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班")
    sign_in(page, live_server.url, "banzuzhang")
    page.goto(f"{live_server.url}/teams/{team.pk}/ledger/new/")

    page.locator("#id_occurred_on").fill("2025-05-01")
    page.locator("#id_kind").select_option("training")
    page.locator("#id_description").fill("全班十二人参加安全培训。")
    page.locator("#id_files").set_input_files(
        files=[
            pdf("培训签到表.pdf", "%1"),
            pdf("培训照片.pdf", "%2"),
            {"name": "考试成绩.pdf", "mimeType": "application/pdf", "buffer": EXE_BYTES},
        ]
    )
    page.get_by_test_id("save-ledger-entry").click()  # the title is missing

    expect(page.get_by_test_id("form-errors")).to_contain_text("尚未保存")
    expect(page.locator("#div_id_title .invalid-feedback")).to_be_visible()
    kept = page.get_by_test_id("kept-files")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("已上传，保存时一并保存：培训签到表.pdf")
    expect(kept).to_contain_text("培训照片.pdf")
    expect(page.get_by_test_id("refused-files")).to_contain_text("“考试成绩.pdf”不是 PDF、Office 文档或图片")
    assert page.locator("#id_description").input_value() == "全班十二人参加安全培训。"
    screenshots(page, artifacts, "ledger-form-kept-files")

    kept.locator("li", has_text="培训照片.pdf").get_by_text("不保存此文件").click()
    expect(kept.locator("li", has_text="培训照片.pdf").locator(".kept-upload-name")).to_have_css(
        "text-decoration-line", "line-through"
    )
    page.locator("#id_title").fill("安全培训")
    page.get_by_test_id("save-ledger-entry").click()

    expect(page.locator(".alert-success")).to_contain_text("台帐记录已保存")
    entry = LedgerEntry.objects.get(team=team)
    assert list(entry.attachments.values_list("original_name", flat=True)) == ["培训签到表.pdf"]
    expect(page.get_by_test_id("ledger-entry")).to_contain_text("培训签到表.pdf")


def test_a_failing_application_form_keeps_the_file_the_errors_and_the_ledger_choice(page: Page, live_server, artifacts):
    tree = build_tree()
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = UserFactory(username="banzuzhang", name="王建华")
    team = make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班")
    entry = ledger_entry_save(
        actor=leader,
        team=team,
        uploads=[upload("QC成果.pdf", PDF_BYTES + b"%qc")],
        occurred_on="2025-05-01",
        kind="innovation",
        title="QC成果发布",
        description="",
    ).entry
    application = application_start(actor=leader, team=team, campaign=campaign)
    third = campaign.criteria.get(code="3")
    sign_in(page, live_server.url, "banzuzhang")
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/")

    page.locator("#id_summary").fill("班" * 501)
    page.locator(f"#id_files_{third.pk}").set_input_files(files=[pdf("师带徒协议.pdf", "%3")])
    page.locator(f"#id_ledger_{third.pk}").select_option(str(entry.pk))
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("部分内容未能保存")
    expect(page.locator("#id_summary ~ .invalid-feedback")).to_contain_text("不能超过 500 字")
    expect(page.get_by_test_id("attached-now")).to_contain_text("以下文件已上传并保存：师带徒协议.pdf")
    just_uploaded = page.get_by_test_id("evidence-3").locator("li", has_text="师带徒协议.pdf")
    expect(just_uploaded.locator(".badge")).to_have_text("本次上传")
    expect(page.locator(f"#id_ledger_{third.pk}")).to_have_value(str(entry.pk))
    expect(page.locator(".alert-dismissible", has_text="已保存")).to_have_count(0)  # no "已保存。" message
    screenshots(page, artifacts, "application-form-failing")
    page.get_by_test_id("criterion-3").screenshot(path=artifacts / "application-form-failing-criterion.png")
