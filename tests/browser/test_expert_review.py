"""In Chromium: the expert review of three accepted applications, two experts each, with a panel of
three. The province's staff run the automatic assignment; one expert declines an application for a
conflict of interest (回避) from its scoring page and it goes to the third expert; both score in the
browser, the other reviews are submitted by the services; the ranking shows ranks and totals; the
organiser shortlists the first and the third, which is refused until each side of the departure
from rank carries its reason — the ticks staying — and then recorded."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import RoleAssignment
from accounts.services import role_assign
from campaigns.models import Campaign
from reviews.models import Assignment, Recommendation, ReviewResult
from reviews.services import panel_add, review_submit, scores_save
from tests.conftest import build_tree
from tests.factories import TEST_PASSWORD, UserFactory, decide, make_campaign, submitted_application, unit_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A = Assignment.State
# Every expert gives application i these points on each of the five criteria: totals 90, 80, 70.
POINTS = [18, 16, 14]
WIDTHS = {"wide": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 800}}


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def screenshots(page: Page, artifacts, name: str) -> None:
    """The page as it is now, at a desktop's width and at a phone's; the desktop width stays."""
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=artifacts / f"expert-review-{name}-{width}.png", full_page=True)
    page.set_viewport_size(WIDTHS["wide"])


def accept(application) -> ReviewResult:
    """Decide up the chain until the province accepts the application for expert review."""
    while Recommendation.objects.get(application=application).state == Recommendation.State.WAITING:
        decide(application)
    return ReviewResult.objects.get(application=application)


def make_expert(username, unit, name):
    user = UserFactory(username=username, unit=unit, name=name)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.EXPERT, unit=unit)
    user.forget_roles()
    return user


def type_scores(page: Page, campaign: Campaign, points: int) -> None:
    """On the scoring page: type a score and a comment for each criterion, say the veto does not
    apply, and write the overall comment."""
    for criterion in campaign.criteria.all():
        if criterion.is_veto:
            page.locator(f"input[name=vetoed_{criterion.pk}][value=no]").check()
        else:
            page.locator(f"[name=points_{criterion.pk}]").press_sequentially(str(points))
            page.locator(f"[name=comment_{criterion.pk}]").fill(f"{criterion.title}：材料翔实，成效明显。")
    page.locator("[name=overall_comment]").fill("班组事迹突出，同意推荐。")


def score_by_service(assignment: Assignment, points: int) -> None:
    scores = {
        c.pk: {"vetoed": False} if c.is_veto else {"points": str(points), "comment": "材料翔实。"}
        for c in assignment.campaign.criteria.all()
    }
    scores_save(actor=assignment.expert, assignment=assignment, scores=scores, overall_comment="总体较好。")
    review_submit(actor=assignment.expert, assignment=assignment)


def test_experts_score_one_declines_the_ranking_appears_and_the_organiser_shortlists(
    page: Page, live_server, artifacts
):
    tree = build_tree()
    campaign = make_campaign(organiser=tree.province, publish=True)
    Campaign.objects.filter(pk=campaign.pk).update(experts_per_application=2, titles_to_award=2)
    campaign.refresh_from_db()
    organiser = unit_staff(tree.province)
    leader = UserFactory(username="leader", unit=tree.grassroots_a1)
    experts = [
        make_expert("zhuanjia_a", tree.city_b, "张教授"),
        make_expert("zhuanjia_b", tree.industry, "李高工"),
        make_expert("zhuanjia_c", tree.province, "王劳模"),
    ]
    for expert in experts:
        panel_add(actor=organiser, campaign=campaign, expert=expert)
    results = [
        accept(submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=f"评审班组{i}"))
        for i in range(3)
    ]
    points = {r.pk: p for r, p in zip(results, POINTS, strict=True)}
    # The organiser accepts before the review starts; now the review window includes today.
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        review_starts_on=today - timedelta(days=1), review_ends_on=today + timedelta(days=5)
    )
    base = live_server.url
    page.set_viewport_size(WIDTHS["wide"])
    page.on("dialog", lambda dialog: dialog.accept())

    # The province's staff run the automatic assignment: two experts each, two reviews each.
    sign_in(page, base, organiser.username)
    page.goto(base + reverse("campaigns:detail", args=[campaign.pk]))
    page.get_by_test_id("expert-review").click()
    page.get_by_test_id("assign-auto").click()
    expect(page.locator(".alert-success")).to_contain_text("6")
    expect(page.get_by_test_id("assignment-row")).to_have_count(3)
    assert Assignment.objects.filter(campaign=campaign, state=A.ASSIGNED).count() == 6
    for expert in experts:
        assert Assignment.objects.filter(expert=expert, state=A.ASSIGNED).count() == 2

    # 张教授 opens the first of the two and declines it from its scoring page (回避).
    decliner = experts[0]
    declined = Assignment.objects.filter(expert=decliner).select_related("result").order_by("result__code").first()
    code = declined.result.code
    sign_in(page, base, decliner.username)
    page.goto(base + reverse("reviews:my_reviews"))
    expect(page.get_by_test_id("review-row")).to_have_count(2)
    page.get_by_test_id("review-row").filter(has_text=code).get_by_test_id("open-review").click()
    expect(page.get_by_test_id("review-title")).to_contain_text(code)
    page.get_by_test_id("decline").click()
    page.get_by_label("原因").fill("本人曾在该班组所在企业任职，申请回避。")
    page.get_by_test_id("confirm-decline").click()
    expect(page.locator(".alert-success")).to_contain_text(code)

    # The application went to the expert who was not on it; 张教授 no longer has it to score.
    declined.refresh_from_db()
    assert declined.state == A.DECLINED
    assert not Assignment.objects.filter(
        result=declined.result, expert=decliner, state__in=[A.ASSIGNED, A.STARTED, A.SUBMITTED]
    ).exists()
    replacement = Assignment.objects.select_related("expert").get(
        result=declined.result, state=A.ASSIGNED, assigned_at__gt=declined.assigned_at
    )
    assert replacement.expert != decliner
    assert Assignment.objects.filter(result=declined.result, state=A.ASSIGNED).count() == 2
    declined_row = page.get_by_test_id("review-row").filter(has_text=code)
    expect(declined_row.get_by_test_id("open-review")).to_have_count(0)
    expect(page.get_by_test_id("open-review")).to_have_count(1)

    # 张教授 scores the other application by typing, and submits.
    kept = Assignment.objects.select_related("result").get(expert=decliner, state=A.ASSIGNED)
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("review-title")).to_contain_text(kept.result.code)
    type_scores(page, campaign, points[kept.result_id])
    screenshots(page, artifacts, "score")
    page.get_by_test_id("submit-review").click()  # the confirmation is accepted
    expect(page.locator(".alert-success")).to_contain_text(kept.result.code)
    kept.refresh_from_db()
    assert kept.state == A.SUBMITTED and kept.total == 5 * points[kept.result_id]

    # The replacing expert finds the declined application in their list and scores it.
    sign_in(page, base, replacement.expert.username)
    page.goto(base + reverse("reviews:my_reviews"))
    expect(page.get_by_test_id("review-row")).to_have_count(3)
    page.get_by_test_id("review-row").filter(has_text=code).get_by_test_id("open-review").click()
    expect(page.get_by_test_id("review-title")).to_contain_text(code)
    type_scores(page, campaign, points[declined.result_id])
    page.get_by_test_id("submit-review").click()
    expect(page.locator(".alert-success")).to_contain_text(code)
    replacement.refresh_from_db()
    assert replacement.state == A.SUBMITTED

    # The other reviews come in through the services.
    for assignment in Assignment.objects.filter(campaign=campaign, state=A.ASSIGNED).select_related("expert"):
        score_by_service(assignment, points[assignment.result_id])
    assert not Assignment.objects.filter(campaign=campaign, state__in=[A.ASSIGNED, A.STARTED]).exists()

    # The ranking: ranks and totals, best first.
    sign_in(page, base, organiser.username)
    page.goto(base + reverse("reviews:assignments", args=[campaign.pk]))
    expect(page.get_by_test_id("reviews-done")).to_contain_text("6")
    page.get_by_test_id("review-tabs").get_by_role("link", name="评审排名").click()
    rows = page.get_by_test_id("ranking-row")
    expect(rows).to_have_count(3)
    for rank, (result, total) in enumerate(zip(results, (90, 80, 70), strict=True), start=1):
        cells = rows.nth(rank - 1).locator("td")
        expect(cells.nth(0)).to_have_text(str(rank))
        expect(cells.nth(1)).to_contain_text(result.code)
        expect(cells.nth(1)).to_contain_text(f"评审班组{rank - 1}")
        expect(cells.nth(2)).to_have_text(re.compile(rf"^{total}(\.00)?$"))
    screenshots(page, artifacts, "ranking")

    # The shortlist: the first and the third, passing over the second. Without the reasons it is
    # refused and the ticks stay; with a reason for each side of the departure it is recorded.
    first, second, third = (r.code for r in results)
    page.get_by_test_id("review-tabs").get_by_role("link", name="拟命名").click()
    page.get_by_test_id(f"select-{first}").check()
    page.get_by_test_id(f"select-{third}").check()
    page.get_by_test_id("record-shortlist").click()
    expect(page.get_by_test_id("shortlist-error")).to_be_visible()
    expect(page.get_by_test_id(f"select-{first}")).to_be_checked()
    expect(page.get_by_test_id(f"select-{third}")).to_be_checked()
    expect(page.get_by_test_id(f"select-{second}")).not_to_be_checked()
    expect(page.get_by_test_id(f"reason-{third}")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_test_id(f"reason-{second}")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_test_id(f"reason-{first}")).not_to_have_class(re.compile(r"\bis-invalid\b"))
    assert set(ReviewResult.objects.filter(campaign=campaign).values_list("state", flat=True)) == {"reviewing"}
    screenshots(page, artifacts, "shortlist")
    page.get_by_test_id(f"reason-{third}").fill("该班组在抢险救灾中表现突出，经党组会研究拟命名。")
    page.get_by_test_id(f"reason-{second}").fill("经党组会研究，名额让位于抢险救灾表现突出的班组。")
    page.get_by_test_id("record-shortlist").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("ranking-row").filter(has_text=third)).to_contain_text("抢险救灾")

    states = dict(ReviewResult.objects.filter(campaign=campaign).values_list("code", "state"))
    assert states == {first: "shortlisted", second: "not_selected", third: "shortlisted"}
    reasons = dict(ReviewResult.objects.filter(campaign=campaign).values_list("code", "shortlist_reason"))
    assert reasons[first] == "" and "抢险救灾" in reasons[third] and "名额让位" in reasons[second]
