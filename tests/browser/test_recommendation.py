"""In Chromium: a demo application climbs the union tree. The leader of 赵梦桃小组 submits it again;
咸阳纺织集团有限公司工会 recommends it; 咸阳市总工会 returns it; the leader corrects and resubmits it, and
it comes back to the city, which recommends it; 陕西省总工会 accepts it for expert review. The leader
follows the path, and the printed form carries each level's opinion."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from reviews.models import Decision, Recommendation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()


def leader_submits(page: Page, base: str, pk: int) -> None:
    sign_in(page, base, "leader")
    page.goto(f"{base}/applications/{pk}/edit/")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("chain-path")).to_be_visible()


def decide_from_queue(page: Page, base: str, username: str, kind: str, opinion: str) -> None:
    sign_in(page, base, username)
    page.get_by_role("link", name="待推荐").first.click()
    page.get_by_role("link", name="赵梦桃小组").click()
    expect(page.get_by_test_id("decision-form")).to_be_visible()
    page.get_by_test_id(f"kind-{kind}").check()
    page.get_by_label("推荐意见").fill(opinion)
    page.get_by_test_id("submit-decision").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_demo_application_climbs_from_its_grassroots_union_to_acceptance(page: Page, live_server, artifacts):
    call_command("seed_demo")
    place = Recommendation.objects.select_related("application").get(application__team__name="赵梦桃小组")
    pk = place.application_id
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    leader_submits(page, base, pk)
    decide_from_queue(page, base, "jiceng_staff", "recommend", "该班组坚持“梦桃精神”，事迹突出，同意推荐。")

    # The city finds it in its queue, with the grassroots union's opinion beside the form.
    sign_in(page, base, "xianyang_staff")
    page.goto(f"{base}/recommendations/")
    page.get_by_role("link", name="赵梦桃小组").click()
    expect(page.get_by_test_id("chain-path")).to_contain_text("同意推荐")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=artifacts / "recommendation-decide.png", full_page=True)
    decide_from_queue(page, base, "xianyang_staff", "return", "请补充班组QC成果在集团发布的证明材料。")

    # The leader reads the reasons on the path, corrects and resubmits; it goes back to the city.
    sign_in(page, base, "leader")
    page.goto(f"{base}/applications/{pk}/")
    expect(page.get_by_test_id("chain-path")).to_contain_text("请补充班组QC成果在集团发布的证明材料。")
    expect(page.get_by_test_id("chain-path")).not_to_contain_text("事迹突出")  # not shown to teams here
    leader_submits(page, base, pk)
    assert Recommendation.objects.get(pk=place.pk).unit.code == "SX-XY"

    decide_from_queue(page, base, "xianyang_staff", "recommend", "经市总工会审核，同意推荐。")
    decide_from_queue(page, base, "sheng_staff", "recommend", "经省总工会审核，同意进入专家评审。")

    assert Recommendation.objects.get(pk=place.pk).state == Recommendation.State.ACCEPTED
    kinds = list(Decision.objects.filter(application_id=pk).order_by("decided_at", "id").values_list("kind", flat=True))
    assert kinds[-4:] == ["recommend", "return", "recommend", "recommend"]

    # The leader sees the path done to the province; the printed form has each level's opinion.
    sign_in(page, base, "leader")
    page.goto(f"{base}/applications/{pk}/")
    expect(page.get_by_test_id("chain-state")).to_contain_text("已进入专家评审")
    page.screenshot(path=artifacts / "recommendation-path-leader.png", full_page=True)
    page.goto(f"{base}/applications/{pk}/print/")
    expect(page.locator("table.opinions")).to_contain_text("经省总工会审核，同意进入专家评审。")
    expect(page.locator("table.opinions")).to_contain_text("咸阳市总工会")
