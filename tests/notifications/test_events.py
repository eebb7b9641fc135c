"""Event notifications: each audited action below tells the people who must know, once it commits,
in Chinese, with a link to the object; muted kinds are skipped, essential ones are not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.services import naming_issue, objection_file
from notifications import kinds
from notifications.models import Notification, OutboundEmail
from notifications.services import preference_save
from reviews.models import Assignment
from reviews.services import assignment_add, assignments_auto, panel_add, review_reopen
from tests.awards.test_services import DECISION, end_notice, published, shortlisted_campaign
from tests.factories import (
    UserFactory,
    accept,
    decide,
    make_campaign,
    make_expert,
    open_review,
    score_all,
    submitted_application,
    unit_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(tree):
    return UserFactory(username="leader_events", unit=tree.grassroots_a1, name="王秀兰")


@pytest.fixture
def campaign(tree):
    return make_campaign(organiser=tree.province, publish=True)


def told(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return list(rows.filter(kind=kind) if kind else rows)


def test_a_submission_tells_the_grassroots_unions_staff_after_it_commits(
    tree, campaign, leader, django_capture_on_commit_callbacks
):
    staff = unit_staff(tree.grassroots_a1)
    above = unit_staff(tree.city_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    assert told(staff) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [notification] = told(staff, kinds.SUBMITTED)
    assert application.team.name in notification.title and "等待贵单位" in notification.title
    assert notification.url == reverse("reviews:decide", args=[application.pk])
    assert told(above) == []


def test_a_union_without_staff_of_its_own_is_covered_by_the_nearest_staffed_union_above(
    tree, campaign, leader, django_capture_on_commit_callbacks
):
    above = unit_staff(tree.city_a)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    assert len(told(above, kinds.SUBMITTED)) == 1


def test_a_recommendation_tells_the_next_unit_and_a_return_tells_the_leader_with_the_reasons(
    tree, campaign, leader, django_capture_on_commit_callbacks
):
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    city = unit_staff(tree.city_a)
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, "recommend", "同意推荐，班组事迹突出。")
    [up] = told(city, kinds.RECOMMENDED)
    assert "甲市机械厂工会" in up.title and "班组事迹突出" in up.body
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, "return", "请补充2025年度QC成果证明材料。")
    [back] = told(leader, kinds.RETURNED)
    assert back.essential and "退回修改" in back.title
    assert "请补充2025年度QC成果证明材料" in back.body and "甲市总工会" in back.body
    assert back.url == application.get_absolute_url()
    # Mailed at once: the leader has an address.
    email = OutboundEmail.objects.get(notifications=back)
    assert email.to == leader.email and email.state == OutboundEmail.State.QUEUED
    assert "请补充2025年度QC成果证明材料" in email.text and "<p>" in email.html


def test_a_rejection_tells_the_leader(tree, campaign, leader, django_capture_on_commit_callbacks):
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        decide(application, "reject", "不符合申报条件：成立不满两年。")
    [notification] = told(leader, kinds.REJECTED)
    assert "成立不满两年" in notification.body


def test_a_muted_kind_is_not_told_but_an_essential_one_is(tree, campaign, leader, django_capture_on_commit_callbacks):
    preference_save(user=leader, mail="immediate", muted=[kinds.REJECTED, kinds.RETURNED])
    first = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="一班")
    second = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="二班")
    with django_capture_on_commit_callbacks(execute=True):
        decide(first, "reject", "不推荐。")
        decide(second, "return", "请补充材料。")
    assert told(leader, kinds.REJECTED) == []
    assert len(told(leader, kinds.RETURNED)) == 1  # a return cannot be muted


def test_the_daily_digest_choice_keeps_the_mail_for_later_but_not_an_essential_one(
    tree, campaign, leader, django_capture_on_commit_callbacks
):
    preference_save(user=leader, mail="daily", muted=[])
    first = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="一班")
    second = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="二班")
    with django_capture_on_commit_callbacks(execute=True):
        decide(first, "reject", "不推荐。")
        decide(second, "return", "请补充材料。")
    [rejected] = told(leader, kinds.REJECTED)
    [returned] = told(leader, kinds.RETURNED)
    assert rejected.email is None
    assert returned.email is not None


def test_assignments_tell_each_expert_how_many_and_a_reopened_review_tells_its_expert(
    tree, campaign, leader, django_capture_on_commit_callbacks
):
    organiser = unit_staff(tree.province)
    results = [
        accept(submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=f"评审班{i}"))
        for i in range(3)
    ]
    open_review(campaign)
    type(campaign).objects.filter(pk=campaign.pk).update(experts_per_application=1)
    campaign.refresh_from_db()
    experts = [make_expert(f"events_expert{i}", tree.province, f"专家{i}") for i in range(2)]
    for expert in experts:
        panel_add(actor=organiser, campaign=campaign, expert=expert)
    with django_capture_on_commit_callbacks(execute=True):
        assignments_auto(actor=organiser, campaign=campaign)
    counts = {e.pk: Assignment.objects.filter(expert=e).count() for e in experts}
    for expert in experts:
        [notification] = told(expert, kinds.ASSIGNED)
        assert f"{counts[expert.pk]}" in notification.title
    # By hand: the third expert is told of one.
    third = make_expert("events_expert3", tree.province, "专家三")
    panel_add(actor=organiser, campaign=campaign, expert=third)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_add(actor=organiser, result=results[0], expert=third)
    [one] = told(third, kinds.ASSIGNED)
    assert "1" in one.title
    # Reopened.
    assignment = Assignment.objects.get(result=results[0], expert=third)
    score_all(assignment, third, 18)
    with django_capture_on_commit_callbacks(execute=True):
        review_reopen(actor=organiser, assignment=assignment, reason="专家申请更正第二项得分。")
    [reopened] = told(third, kinds.REOPENED)
    assert results[0].code in reopened.title and "更正第二项" in reopened.body
    assert reopened.url == assignment.get_absolute_url()


def test_the_notice_tells_the_shortlisted_and_the_not_selected_and_an_objection_tells_the_organiser(
    tree, leader, django_capture_on_commit_callbacks
):
    other = UserFactory(username="leader_other", unit=tree.grassroots_a1)
    campaign, organiser = shortlisted_campaign(tree, leader, teams=3, titles=2)
    # The third team (not selected) gets its own leader.
    from reviews.models import ReviewResult

    third = ReviewResult.objects.get(campaign=campaign, state=ReviewResult.State.NOT_SELECTED)
    third.application.team.leaders.set([other])
    with django_capture_on_commit_callbacks(execute=True):
        notice = published(campaign, organiser)
    shortlisted = told(leader, kinds.SHORTLISTED)
    assert len(shortlisted) == 2 and all("公示" in n.title for n in shortlisted)
    [not_selected] = told(other, kinds.NOT_SELECTED)
    assert third.application.team.name in not_selected.title
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_file(
            entry=notice.entries.first(),
            name="张三",
            unit="某某公司",
            phone="13912345678",
            facts="该班组申报的QC成果并非本班组完成。",
        )
    [filed] = told(organiser, kinds.OBJECTION)
    assert objection.reference in filed.title


def test_the_naming_decision_tells_each_named_teams_leader(tree, leader, django_capture_on_commit_callbacks):
    campaign, organiser = shortlisted_campaign(tree, leader, teams=2, titles=2)
    notice = published(campaign, organiser)
    end_notice(notice)
    with django_capture_on_commit_callbacks(execute=True):
        naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    named = told(leader, kinds.NAMED)
    assert len(named) == 2
    assert all("陕西省梦桃式班组" in n.title and "陕工发〔2026〕30号" in n.body for n in named)


def test_a_rolled_back_action_tells_nobody(tree, campaign, leader, django_capture_on_commit_callbacks):
    from django.db import transaction

    staff = unit_staff(tree.grassroots_a1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
                raise RuntimeError("the request failed after the submission")
        except RuntimeError:
            pass
    assert callbacks == [] and told(staff) == []
