"""In Chromium, dynamic management of named titles (不搞终身制): the province's staff start a
re-assessment (复核) of two named teams hand-picked by certificate number; the teams' leader reports
for both; grassroots union A1 and city A each give their opinion from their queue; the province
concludes one passed and one failed, follows the link to revoke the failed title (摘牌), and the
public finds it marked revoked in the registry, with its date and reason, and gone from the showcase
of typical examples where it was featured. The registry's figures before and after agree with counts
of the titles made here. Screenshots go to test-artifacts/dynamic-management/ (1366 px and 375 px)."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from awards.models import Feature, ReassessmentItem, Revocation, Title
from awards.showcase import feature_save
from tests.browser.test_awards_flow import sign_in
from tests.factories import UserFactory, make_campaign, make_team, make_title, unit_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def figures(page: Page, base: str) -> dict[str, int]:
    page.goto(base + reverse("registry:list"))
    return {name: int(page.get_by_test_id(f"figure-{name}").inner_text()) for name in ("total", "named", "revoked")}


def counted() -> dict[str, int]:
    named = Title.objects.filter(state=Title.State.NAMED).count()
    revoked = Title.objects.filter(state=Title.State.REVOKED).count()
    return {"total": named + revoked, "named": named, "revoked": revoked}


def report(page: Page, base: str, item: ReassessmentItem, text: str) -> None:
    page.goto(base + reverse("awards:reassessment_report", args=[item.pk]))
    form = page.get_by_test_id("report-form")
    for area in form.locator("textarea").all():
        area.fill(text)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("version")).to_be_visible()


def decide_all(page: Page, base: str, kind: str, opinion: str, teams: list[str]) -> None:
    for team in teams:
        page.goto(base + reverse("awards:reassessment_queue"))
        page.get_by_test_id("queue-row").filter(has_text=team).get_by_role("link", name=team).click()
        form = page.get_by_test_id("decide-form")
        form.locator(f"input[name=kind][value={kind}]").check()
        form.locator("textarea[name=opinion]").fill(opinion)
        page.get_by_test_id("decide").click()
        expect(page.locator(".alert-success")).to_be_visible()


def conclude(page: Page, base: str, reassessment_pk: int, team: str, outcome: str, opinion: str) -> None:
    page.goto(base + reverse("awards:reassessment", args=[reassessment_pk]))
    page.get_by_test_id("item-row").filter(has_text=team).get_by_test_id(f"conclude-{outcome}").click()
    form = page.get_by_test_id("conclude-form")
    form.locator(f"input[name=outcome][value={outcome}]").check()
    form.locator("textarea[name=opinion]").fill(opinion)
    page.get_by_test_id("conclude").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_reassessment_to_one_pass_and_one_fail_and_the_failed_title_revoked(page: Page, live_server, artifacts, tree):
    folder = artifacts / "dynamic-management"
    folder.mkdir(exist_ok=True)
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())

    # Two teams of grassroots union A1 named by the province in 2025, and a third of city B's decision;
    # the failing one featured in the showcase.
    campaign = make_campaign(organiser=tree.province, document_number="陕工发〔2025〕12号", publish=True)
    leader = UserFactory(username="fuhe_browser_leader", unit=tree.grassroots_a1, name="何小梅")
    passing = make_title(
        campaign=campaign, team=make_team(leader=leader, union=tree.grassroots_a1, name="细纱甲班"),
        decided_on=date(2025, 7, 22), certificate_number="MT-2025-0101",
    )  # fmt: skip
    failing = make_title(
        campaign=campaign, team=make_team(leader=leader, union=tree.grassroots_a1, name="织布乙班"),
        decided_on=date(2025, 7, 22), certificate_number="MT-2025-0102",
    )  # fmt: skip
    city_campaign = make_campaign(organiser=tree.city_b, document_number="乙工发〔2025〕3号", publish=True)
    make_title(
        campaign=city_campaign, team=make_team(leader=leader, union=tree.grassroots_b1, name="乙市班组"),
        decided_on=date(2025, 8, 1), certificate_number="MF-2025-0001",
    )  # fmt: skip
    province, grassroots, city = unit_staff(tree.province), unit_staff(tree.grassroots_a1), unit_staff(tree.city_a)
    feature_save(actor=province, title=failing, headline="三十年传帮带", story="<p>织布乙班坚持一师一徒。</p>")
    before = figures(page, base)
    assert before == counted() == {"total": 3, "named": 3, "revoked": 0}
    page.goto(base + reverse("showcase:list"))
    expect(page.get_by_test_id("feature-card").filter(has_text="织布乙班")).to_have_count(1)

    # The province starts the re-assessment of the two titles, hand-picked.
    sign_in(page, base, province.username)
    page.goto(base + reverse("awards:reassessment_start"))
    form = page.get_by_test_id("start-form")
    form.locator("#id_title").fill("2025年度梦桃式班组复核")
    form.locator("#id_document_number").fill("陕工发〔2026〕50号")
    form.locator("input[name=scope_kind][value=numbers]").check()
    form.locator("#id_numbers").fill("MT-2025-0101 MT-2025-0102")
    form.locator("#id_scope").fill("2025年命名的细纱甲班、织布乙班")
    page.get_by_test_id("count").click()
    expect(page.get_by_test_id("title-count")).to_have_attribute("data-count", "2")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("item-row")).to_have_count(2)
    items = {item.team.name: item for item in ReassessmentItem.objects.select_related("team", "reassessment")}
    reassessment = items["细纱甲班"].reassessment
    page.screenshot(path=folder / "started.png", full_page=True)

    # The leader reports for both teams.
    sign_in(page, base, leader.username)
    report(page, base, items["细纱甲班"], "复核期间，班组坚持操作法培训，新培养技术骨干三名。")
    report(page, base, items["织布乙班"], "复核期间，班组完成了生产任务。")
    page.screenshot(path=folder / "report-submitted.png", full_page=True)

    # Grassroots union A1 passes both up; city A passes one and fails the other.
    sign_in(page, base, grassroots.username)
    decide_all(page, base, "pass", "经审核，情况属实，同意报送。", ["细纱甲班", "织布乙班"])
    sign_in(page, base, city.username)
    decide_all(page, base, "pass", "该班组保持了创建水平，建议复核合格。", ["细纱甲班"])
    decide_all(page, base, "fail", "该班组复核期内未开展传帮带活动，建议复核不合格。", ["织布乙班"])

    # The province concludes: one passed, one failed; the failed title goes to revocation.
    sign_in(page, base, province.username)
    conclude(page, base, reassessment.pk, "细纱甲班", "passed", "复核合格，保留称号。")
    conclude(page, base, reassessment.pk, "织布乙班", "failed", "复核不合格。")
    page.goto(base + reverse("awards:reassessment", args=[reassessment.pk]))
    expect(page.get_by_test_id("outcome")).to_have_count(2)
    page.screenshot(path=folder / "concluded.png", full_page=True)
    page.get_by_test_id("revoke-link").click()
    expect(page.get_by_test_id("revoke-title")).to_have_count(1)
    expect(page.get_by_test_id("revoke-title")).to_contain_text("织布乙班")
    expect(page.locator("#id_reason")).to_have_value("failed_reassessment")
    page.locator("#id_document_number").fill("陕工发〔2026〕60号")
    page.locator("#id_plaque_returned").check()
    page.screenshot(path=folder / "revoke.png", full_page=True)
    page.get_by_test_id("revoke-submit").click()
    expect(page.get_by_test_id("revocation-state")).to_be_visible()
    page.screenshot(path=folder / "revocation.png", full_page=True)
    revocation = Revocation.objects.get()
    assert revocation.title_id == failing.pk and revocation.reason == "failed_reassessment"
    assert revocation.plaque_returned and Title.objects.get(pk=passing.pk).state == Title.State.NAMED

    # The public: revoked in the registry with its date and reason, gone from the showcase.
    page.context.clear_cookies()
    after = figures(page, base)
    assert after == counted() == {"total": 3, "named": 2, "revoked": 1}
    page.goto(base + reverse("registry:list") + "?q=织布")
    row = page.get_by_test_id("registry-row").filter(has_text="织布乙班")
    expect(row.get_by_test_id("title-state")).to_have_text("已摘牌")
    expect(row.get_by_test_id("revoked-on")).to_be_visible()
    expect(row).to_contain_text("复核不合格")
    page.screenshot(path=folder / "registry.png", full_page=True)
    page.goto(base + reverse("registry:list") + "?q=细纱")
    row = page.get_by_test_id("registry-row").filter(has_text="细纱甲班")
    expect(row.get_by_test_id("title-state")).to_have_text("已命名")
    page.goto(base + reverse("showcase:list"))
    expect(page.get_by_test_id("feature-card")).to_have_count(0)
    assert Feature.objects.filter(title=failing, withdrawn_at__isnull=True).exists()  # hidden, not deleted
    feature = Feature.objects.get(title=failing)
    assert page.goto(base + reverse("showcase:detail", args=[feature.pk])).status == 404

    # The team's page in the registry at a phone's width.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(base + reverse("registry:team", args=[failing.team_id]))
    expect(page.get_by_test_id("revocation-reason")).to_contain_text("复核不合格")
    page.screenshot(path=folder / "registry-team-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
