"""In Chromium on a desktop (1366 px) and a phone (375 px): the registry of named teams and a team's page
are never wider than the screen, and a search by pinyin initials typed into the box finds the team.
Screenshots go to test-artifacts/registry/."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from teams.models import Team
from tests.factories import UserFactory, make_campaign, make_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}

WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.table-responsive'))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ends at ${Math.round(el.getBoundingClientRect().right)}`);
}"""

TEAMS = [
    ("赵梦桃小组", "咸阳纺织集团有限公司", "咸阳市", "C"),
    ("心内科护理班组", "西安市第一医院", "西安市", "Q"),
    ("综采一队", "陕西黄陵矿业有限公司", "延安市", "B"),
    ("2号线乘务一班", "西安市地铁运营分公司", "西安市", "G"),
]


@pytest.fixture
def zmt(tree):
    leader = UserFactory(username="minglu_leader", unit=tree.grassroots_a1, name="何小梅")
    mengtao = make_campaign(
        organiser=tree.province,
        document_number="陕工发〔2025〕12号",
        title="关于学习贯彻习近平总书记亲切勉励精神创建“梦桃式班组”的通知",
        publish=True,
    )
    pioneer = make_campaign(
        organiser=tree.province, document_number="陕工发〔2026〕6号", title="2026年陕西省“工人先锋号”",
        category="pioneer", publish=True,
    )  # fmt: skip
    teams = []
    for name, enterprise, region, industry in TEAMS:
        team = Team.objects.create(
            name=name, enterprise=enterprise, grassroots_union=tree.grassroots_a1, region=region,
            industry=industry, created_by=leader, status=Team.Status.APPROVED,
        )  # fmt: skip
        teams.append(team)
        make_title(campaign=mengtao, team=team, decided_on=date(2025, 6, 30), document_number="陕工发〔2025〕30号")
    for team, state in ((teams[0], "named"), (teams[2], "revoked")):
        make_title(
            campaign=pioneer, team=team, decided_on=date(2026, 5, 20), level="city", title="陕西省工人先锋号",
            document_number="陕工发〔2026〕18号", state=state,
        )  # fmt: skip
    return teams[0]


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_registry_and_a_teams_page_fit_the_screen(browser: Browser, live_server, artifacts, zmt, size):
    folder = artifacts / "registry"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[size], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    for name, path in (("list", reverse("registry:list")), ("team", reverse("registry:team", args=[zmt.pk]))):
        page.goto(live_server.url + path)
        page.screenshot(path=folder / f"{name}-{size}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[size]["width"], page.evaluate(
            WIDE_ELEMENTS
        )

    # Typing the pinyin initials into the box finds the team; its name leads to its honours.
    page.goto(live_server.url + reverse("registry:list"))
    page.get_by_role("searchbox").fill("zmt")
    page.get_by_role("button", name="搜索").click()
    rows = page.get_by_test_id("registry-row")
    expect(rows).to_have_count(2)
    page.screenshot(path=folder / f"search-{size}.png", full_page=True)
    rows.first.get_by_role("link", name="赵梦桃小组").click()
    expect(page.get_by_test_id("honour")).to_have_count(2)
    context.close()
