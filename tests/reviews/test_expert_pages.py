"""The expert review's pages: the expert's list and scoring page (blind review leaking no name), the
organiser's panel, assignments, ranking with its export, and shortlist — with what each keeps when
it refuses, and query counts that do not grow with the applications."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from campaigns.models import Campaign
from reviews.models import Assignment, PanelMember, ReviewResult
from reviews.selectors import recommending_units
from reviews.services import assignments_auto, panel_add
from teams.models import ApplicationVersion
from teams.services import member_save
from tests.factories import (
    UserFactory,
    accept,
    make_expert,
    open_review,
    score_all,
    submitted_application,
    unit_staff,
)
from tests.workbooks import download, workbook_of

A = Assignment.State
EXPERT = RoleAssignment.Role.EXPERT


@pytest.fixture
def reviewing(campaign):
    """The province campaign, two experts per application. Its review starts after the organiser's
    deadline to accept: `open_review` moves the window to today once the applications are in."""
    Campaign.objects.filter(pk=campaign.pk).update(experts_per_application=2)
    campaign.refresh_from_db()
    return campaign


def first_evidence(result):
    content = ApplicationVersion.objects.get(application=result.application).content
    return next(item for criterion in content["criteria"] for item in criterion["evidence"])


@pytest.fixture
def organiser(tree):
    return unit_staff(tree.province)


@pytest.fixture
def experts(tree, reviewing, organiser):
    """Three experts of the panel, none of them of grassroots union A1's enterprise."""
    people = [
        make_expert("zhuanjia_a", tree.city_b, "张教授"),
        make_expert("zhuanjia_b", tree.industry, "李高工"),
        make_expert("zhuanjia_c", tree.province, "王劳模"),
    ]
    for person in people:
        panel_add(actor=organiser, campaign=reviewing, expert=person)
    return people


def accepted(tree, campaign, leader, n, *, start=0):
    return [
        accept(
            submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=f"评审班组{i:02d}")
        )
        for i in range(start, start + n)
    ]


# --- The expert's pages --------------------------------------------------------------------------


def test_the_expert_lists_their_reviews_and_scores_one(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    expert = assignment.expert
    client.force_login(expert)
    page = client.get(reverse("reviews:my_reviews")).content.decode()
    assert result.code in page and "评审班组00" in page
    criteria = list(reviewing.criteria.all())
    data = {"action": "submit", "overall_comment": "事迹突出。"}
    for c in criteria:
        data[f"points_{c.pk}"] = "18" if not c.is_veto else ""
        data[f"vetoed_{c.pk}"] = "no"
        data[f"comment_{c.pk}"] = "材料翔实。"
    response = client.post(reverse("reviews:score", args=[assignment.pk]), data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == A.SUBMITTED
    result.refresh_from_db()
    assert result.reviews_done == 1 and result.rank == 1


def test_a_score_above_the_maximum_is_refused_and_everything_typed_stays(
    client, tree, reviewing, experts, organiser, leader
):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(assignment.expert)
    first, second = [c for c in reviewing.criteria.all() if not c.is_veto][:2]
    response = client.post(
        reverse("reviews:score", args=[assignment.pk]),
        {
            "action": "save",
            f"points_{first.pk}": "25",
            f"comment_{first.pk}": "评语一",
            f"points_{second.pk}": "17",
            "overall_comment": "尚未写完的总体评价",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "最多 20 分" in page
    assert 'value="25"' in page and "评语一" in page and "尚未写完的总体评价" in page
    # the valid score of the same form is saved, the invalid one is not
    saved = {s.criterion_id: s.points for s in assignment.scores.all()}
    assert saved[second.pk] == 17 and saved.get(first.pk) is None


def test_autosave_answers_with_the_time_or_the_reason(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(assignment.expert)
    criterion = next(c for c in reviewing.criteria.all() if not c.is_veto)
    url = reverse("reviews:score_autosave", args=[assignment.pk])
    assert "保存于" in client.post(url, {f"points_{criterion.pk}": "12"}).content.decode()
    assert "不能为负数" in client.post(url, {f"points_{criterion.pk}": "-1"}).content.decode()
    assert assignment.scores.get(criterion=criterion).points == 12


def test_another_experts_review_is_no_such_page(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assigned = set(Assignment.objects.filter(result=result).values_list("expert_id", flat=True))
    outsider = next(e for e in experts if e.pk not in assigned)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(outsider)
    for name in ("reviews:score", "reviews:decline"):
        assert client.get(reverse(name, args=[assignment.pk])).status_code == 404
    sha = first_evidence(result)["sha256"]
    assert client.get(reverse("reviews:review_file", args=[assignment.pk, sha])).status_code == 404


def test_outside_the_review_window_the_application_does_not_open(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    today = timezone.localdate()
    Campaign.objects.filter(pk=reviewing.pk).update(review_starts_on=today + timedelta(days=1))
    client.force_login(assignment.expert)
    response = client.get(reverse("reviews:score", args=[assignment.pk]))
    assert response.status_code == 403
    assert "评审时间为" in response.content.decode()
    assert "评审班组00" not in response.content.decode()


def test_an_evidence_file_previews_in_place(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(assignment.expert)
    page = client.get(reverse("reviews:score", args=[assignment.pk])).content.decode()
    assert "<iframe" in page
    item = first_evidence(result)
    response = client.get(reverse("reviews:review_file", args=[assignment.pk, item["sha256"]]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_blind_review_shows_no_name_anywhere_on_the_experts_pages(client, tree, reviewing, experts, organiser, leader):
    Campaign.objects.filter(pk=reviewing.pk).update(blind_review=True)
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=reviewing, name="盲评班组")
    # names the team wrote into its own texts, as teams do
    version = ApplicationVersion.objects.get(application=application)
    version.content["summary"] = "盲评班组隶属甲市机械厂，班长王建国带领全班……"
    version.content["criteria"][0]["statement"] = "甲市机械厂工会推荐的盲评班组，成员王建国、李秀英。"
    version.save()
    member_save(actor=leader, team=application.team, name="李秀英", role="member")
    result = accept(application)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(assignment.expert)
    names = ["盲评班组", "甲市机械厂", "甲市机械厂工会", "李秀英", leader.name]
    pages = [
        client.get(reverse("reviews:my_reviews")),
        client.get(reverse("reviews:score", args=[assignment.pk])),
        client.get(reverse("reviews:decline", args=[assignment.pk])),
    ]
    files = [item for criterion in version.content["criteria"] for item in criterion["evidence"]]
    assert files
    for item in files:
        pages.append(client.get(reverse("reviews:review_file", args=[assignment.pk, item["sha256"]])))
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode(errors="ignore") if not response.streaming else ""
        disposition = response.get("Content-Disposition", "")
        for name in names:
            assert name not in text, (name, response.request["PATH_INFO"])
            assert name not in disposition
    assert result.code in pages[1].content.decode()
    assert "〔已隐去〕" in pages[1].content.decode()


def test_declining_sends_the_application_to_another_expert(client, tree, reviewing, experts, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).first()
    client.force_login(assignment.expert)
    page = client.post(reverse("reviews:decline", args=[assignment.pk]), {"reason": " "}).content.decode()
    assert "这个字段是必填项" in page or "必填" in page
    response = client.post(reverse("reviews:decline", args=[assignment.pk]), {"reason": "本人曾在该企业任职。"})
    assert response.status_code == 302
    assert Assignment.objects.filter(result=result, state=A.ASSIGNED).count() == 2
    assert not Assignment.objects.filter(result=result, expert=assignment.expert, state=A.ASSIGNED).exists()


# --- The organiser's pages -------------------------------------------------------------------------


def test_the_organiser_adds_an_expert_granting_the_role(client, tree, reviewing, organiser):
    someone = UserFactory(username="xinzhuanjia", unit=tree.city_a, name="赵工程师")
    client.force_login(organiser)
    url = reverse("reviews:panel", args=[reviewing.pk])
    page = client.post(url, {"form": "add", "add-username": "xinzhuanjia"}).content.decode()
    assert "不是评审专家" in page and 'value="xinzhuanjia"' in page
    response = client.post(url, {"form": "add", "add-username": "xinzhuanjia", "add-grant": "on"})
    assert response.status_code == 302
    member = PanelMember.objects.get(campaign=reviewing, expert=someone)
    assert member.unit == tree.city_a
    assert someone.role_assignments.filter(role=EXPERT).exists()


def test_automatic_assignment_from_the_page_reports_shortfalls(client, tree, reviewing, experts, organiser, leader):
    accepted(tree, reviewing, leader, 2)
    open_review(reviewing)
    Campaign.objects.filter(pk=reviewing.pk).update(experts_per_application=5)
    client.force_login(organiser)
    response = client.post(reverse("reviews:assignments", args=[reviewing.pk]), follow=True)
    page = response.content.decode()
    assert "已在评审专家库的 3 位专家中分配 6 份评审" in page
    assert page.count("3 / 5") >= 1 or "仅 3 位" in page or "5 位专家中的 3 位" in page


def test_a_conflicting_expert_is_refused_by_hand(client, tree, reviewing, organiser, leader):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    insider = make_expert("neibu", tree.grassroots_a1, "孙工")
    panel_add(actor=organiser, campaign=reviewing, expert=insider)
    client.force_login(organiser)
    response = client.post(
        reverse("reviews:assign", args=[reviewing.pk, result.pk]), {"action": "assign", "expert": insider.pk}
    )
    assert response.status_code == 200
    assert "不能评审" in response.content.decode()
    assert not Assignment.objects.filter(result=result).exists()


def test_the_shortlist_keeps_the_ticks_and_reasons_when_a_reason_is_missing(
    client, tree, reviewing, experts, organiser, leader
):
    results = accepted(tree, reviewing, leader, 3)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    for number, result in enumerate(results):
        for assignment in Assignment.objects.filter(result=result).select_related("expert"):
            score_all(assignment, assignment.expert, 18 - number)
    Campaign.objects.filter(pk=reviewing.pk).update(titles_to_award=2)
    ranked = list(ReviewResult.objects.filter(campaign=reviewing).order_by("rank"))
    client.force_login(organiser)
    url = reverse("reviews:shortlist", args=[reviewing.pk])
    # the first and the third: a departure for the third (in) and the second (out)
    data = {"selected": [ranked[0].pk, ranked[2].pk], f"reason_{ranked[2].pk}": "该班组在抢险救灾中表现突出。"}
    page = client.post(url, data).content.decode()
    assert "偏离排名" in page
    assert "该班组在抢险救灾中表现突出。" in page
    assert page.count("checked") == 2
    data[f"reason_{ranked[1].pk}"] = "经党组会研究，名额让位于抢险救灾班组。"
    assert client.post(url, data).status_code == 302
    states = dict(ReviewResult.objects.filter(campaign=reviewing).values_list("pk", "state"))
    assert states == {ranked[0].pk: "shortlisted", ranked[1].pk: "not_selected", ranked[2].pk: "shortlisted"}
    many = {"selected": [r.pk for r in ranked]}
    assert "个名额" in client.post(url, many).content.decode()
    # the leader reads the outcome on the application's page, without the rank
    client.force_login(leader)
    page = client.get(reverse("applications:detail", args=[ranked[2].application_id])).content.decode()
    assert "拟命名" in page and "排名第" not in page


def test_the_ranking_export_reads_what_the_page_shows(client, tree, reviewing, experts, organiser, leader):
    results = accepted(tree, reviewing, leader, 2)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    for number, result in enumerate(results):
        for assignment in Assignment.objects.filter(result=result).select_related("expert"):
            score_all(assignment, assignment.expert, 15 + number)
    client.force_login(organiser)
    page = client.get(reverse("reviews:ranking", args=[reviewing.pk])).content.decode()
    assert page.index("评审班组01") < page.index("评审班组00")
    sheet = workbook_of(download(client.get(reverse("reviews:ranking_export", args=[reviewing.pk])))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1, 2]
    assert rows[0][2] == "评审班组01"


def test_the_rankings_unit_filter_lists_each_recommending_unit_once_in_tree_order(
    client, tree, reviewing, organiser, leader
):
    assert recommending_units(reviewing) == []
    results = accepted(tree, reviewing, leader, 4)
    ReviewResult.objects.filter(pk=results[0].pk).update(recommended_by=tree.industry)
    ReviewResult.objects.filter(pk__in=[results[1].pk, results[2].pk]).update(recommended_by=tree.city_b)
    in_tree_order = sorted([tree.city_a, tree.city_b, tree.industry], key=lambda unit: unit.path)
    assert recommending_units(reviewing) == [(unit.pk, unit.name) for unit in in_tree_order]
    client.force_login(organiser)
    page = client.get(reverse("reviews:ranking", args=[reviewing.pk]), {"unit": tree.city_b.pk}).content.decode()
    assert page.count('data-testid="ranking-row"') == 2


# --- Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 4])
def test_the_ranking_query_count_does_not_grow(
    client, tree, reviewing, experts, organiser, leader, n, django_assert_num_queries
):
    accepted(tree, reviewing, leader, n)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    client.force_login(organiser)
    # session, the user with their roles, campaign, the filter's units, count, rows, criteria
    with django_assert_num_queries(8):  # and the bell
        response = client.get(reverse("reviews:ranking", args=[reviewing.pk]))
    assert response.content.decode().count('data-testid="ranking-row"') == n


@pytest.mark.parametrize("n", [1, 4])
def test_the_assignments_query_count_does_not_grow(
    client, tree, reviewing, experts, organiser, leader, n, django_assert_num_queries
):
    accepted(tree, reviewing, leader, n)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    client.force_login(organiser)
    # session, the user with their roles, campaign, count, rows, their assignments, totals (2), panel, progress
    with django_assert_num_queries(11):  # and the bell
        response = client.get(reverse("reviews:assignments", args=[reviewing.pk]))
    assert response.content.decode().count('data-testid="assignment-row"') == n


@pytest.mark.parametrize("n", [1, 4])
def test_the_experts_list_query_count_does_not_grow(
    client, tree, reviewing, organiser, leader, n, django_assert_num_queries
):
    expert = make_expert("zhuanjia_only", tree.province, "独立专家")
    panel_add(actor=organiser, campaign=reviewing, expert=expert)
    Campaign.objects.filter(pk=reviewing.pk).update(experts_per_application=1)
    accepted(tree, reviewing, leader, n)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    client.force_login(expert)
    # session, the user with their roles, count, rows
    with django_assert_num_queries(5):  # and the bell
        response = client.get(reverse("reviews:my_reviews"))
    assert response.content.decode().count('data-testid="review-row"') == n


def test_the_experts_home_lists_the_reviews_they_owe_with_the_deadline(
    client, tree, reviewing, experts, organiser, leader
):
    [result] = accepted(tree, reviewing, leader, 1)
    open_review(reviewing)
    assignments_auto(actor=organiser, campaign=reviewing)
    assignment = Assignment.objects.filter(result=result).select_related("expert").first()
    client.force_login(assignment.expert)
    page = client.get(reverse("home")).content.decode()
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert result.code in page and f"请于 {deadline} 前评分" in page
    score_all(assignment, assignment.expert, 15)
    assert result.code not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("n", [1, 4])
def test_the_panel_query_count_does_not_grow(client, tree, reviewing, organiser, n, django_assert_num_queries):
    for number in range(n):
        expert = make_expert(f"zhuanjia_{number}", tree.city_b, f"专家{number}")
        panel_add(actor=organiser, campaign=reviewing, expert=expert)
    client.force_login(organiser)
    # session, the user with their roles, campaign, panel, progress, conflicts, the conflict form's experts
    with django_assert_num_queries(8):  # and the bell
        response = client.get(reverse("reviews:panel", args=[reviewing.pk]))
    assert response.content.decode().count('data-testid="panel-row"') == n
