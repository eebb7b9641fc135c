"""The recommendation chain's services: the climb, returns and resubmissions, withdrawal, quotas,
deadlines and who may decide."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import LevelDeadline, Quota
from reviews.errors import DeadlinePassed, NotWaitingHere, QuotaExceeded, StaleVersion
from reviews.models import Decision, Recommendation
from reviews.services import deadline_extend, decision_record
from teams.errors import DeadlinePassed as TeamDeadlinePassed
from teams.errors import TransitionNotAllowed
from teams.models import Application
from teams.services import application_save, application_submit, application_withdraw
from tests.factories import UserFactory, decide, make_campaign, submitted_application, unit_staff

S = Recommendation.State


def place_of(application) -> Recommendation:
    return Recommendation.objects.select_related("unit").get(application=application)


def test_a_submitted_application_climbs_from_its_grassroots_union_to_acceptance(tree, application):
    assert (place_of(application).unit, place_of(application).state) == (tree.grassroots_a1, S.WAITING)
    decide(application, opinion="该班组事迹突出，同意推荐。")
    assert (place_of(application).unit, place_of(application).state) == (tree.city_a, S.WAITING)
    decide(application, opinion="经审核，同意推荐。")
    assert (place_of(application).unit, place_of(application).state) == (tree.province, S.WAITING)
    accepted = decide(application, opinion="同意，进入专家评审。")
    assert accepted.accepted and place_of(application).state == S.ACCEPTED
    decisions = list(Decision.objects.filter(application=application).values_list("unit", "level", "kind", "version"))
    assert decisions == [
        (tree.grassroots_a1.pk, 1, "recommend", 1),
        (tree.city_a.pk, 2, "recommend", 1),
        (tree.province.pk, 3, "recommend", 1),
    ]
    actions = list(
        AuditEvent.objects.filter(action__startswith="reviews.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["reviews.recommend", "reviews.recommend", "reviews.accept"]
    event = AuditEvent.objects.filter(action="reviews.recommend").order_by("id").first()
    assert event.details["opinion"] == "该班组事迹突出，同意推荐。"
    assert event.details["to_unit"] == tree.city_a.name


def test_a_grassroots_union_directly_under_the_organiser_climbs_one_level(tree, leader):
    campaign = make_campaign(organiser=tree.city_a, publish=True, document_number="甲工发〔2026〕9号")
    application = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign)
    decide(application)
    assert place_of(application).unit == tree.city_a
    assert decide(application).accepted


def test_a_returned_application_goes_back_to_the_unit_that_returned_it(tree, application, leader):
    decide(application, opinion="同意推荐。")
    decide(application, kind="return", opinion="请补充近三年安全生产台帐。")
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    assert application.return_reason == "请补充近三年安全生产台帐。"
    assert place_of(application).state == S.RETURNED
    application_save(actor=leader, application=application, summary="已补充台帐。", account="补充。", answers={})
    application_submit(actor=leader, application=application)
    place = place_of(application)
    assert (place.unit, place.state, place.version) == (tree.city_a, S.WAITING, 2)
    # The grassroots union's opinion stays, marked with the version it was given on.
    first = Decision.objects.get(application=application, unit=tree.grassroots_a1)
    assert (first.version, first.opinion) == (1, "同意推荐。")


def test_a_returned_application_may_be_resubmitted_after_the_application_deadline_until_the_level_deadline(
    tree, application, leader, campaign
):
    decide(application)
    decide(application, kind="return", opinion="请补充。")
    now = timezone.now()
    # The application deadline has passed; the city's level deadline has not.
    campaign.__class__.objects.filter(pk=campaign.pk).update(
        application_opens_at=now - timedelta(days=10), application_deadline=now - timedelta(days=1)
    )
    application.refresh_from_db()
    application_submit(actor=leader, application=application)
    assert place_of(application).state == S.WAITING

    decide(application, kind="return", opinion="再补充。")
    LevelDeadline.objects.create(campaign=campaign, unit_kind="city", deadline=now + timedelta(minutes=1))
    Application.objects.filter(pk=application.pk).update(resubmit_by=now - timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(TeamDeadlinePassed):
        application_submit(actor=leader, application=application)


def test_the_leader_may_withdraw_only_until_the_first_decision(tree, application, leader):
    application_withdraw(actor=leader, application=application)
    assert place_of(application).state == S.WITHDRAWN
    application.refresh_from_db()
    application_submit(actor=leader, application=application)
    assert (place_of(application).unit, place_of(application).state) == (tree.grassroots_a1, S.WAITING)
    decide(application)
    application.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(actor=leader, application=application)


def test_a_rejection_is_final(tree, application):
    decide(application, kind="reject", opinion="安全生产记录不符合条件。")
    assert place_of(application).state == S.REJECTED
    with pytest.raises(NotWaitingHere):
        decide(application, actor=unit_staff(tree.grassroots_a1))


def test_a_second_decision_on_the_same_application_is_told_plainly(tree, application):
    staff = unit_staff(tree.grassroots_a1)
    decision_record(actor=staff, application=application, kind="recommend", opinion="同意。")
    colleague = UserFactory(username="colleague", unit=tree.grassroots_a1)
    from accounts.services import role_assign

    role_assign(actor=None, user=colleague, role="staff", unit=tree.grassroots_a1)
    with pytest.raises(NotWaitingHere):
        decision_record(actor=colleague, application=application, kind="return", opinion="退回。")
    assert Decision.objects.filter(application=application).count() == 1


@pytest.mark.parametrize("opinion", ["", "   ", "意" * 1001])
def test_an_opinion_empty_or_too_long_is_refused_and_nothing_changes(application, opinion):
    with pytest.raises(ValidationError):
        decide(application, opinion=opinion)
    assert not Decision.objects.exists()
    assert place_of(application).state == S.WAITING


@pytest.mark.parametrize("who", ["staff_sibling", "staff_ancestor", "staff_unit", "expert", "auditor", "superuser"])
def test_only_the_staff_of_the_waiting_unit_decide(application, role_users, who):
    """Staff of city A ("staff_unit") and of the province decide when it reaches them, not before."""
    with pytest.raises(PermissionDenied):
        decide(application, actor=role_users[who])
    assert not Decision.objects.exists()


def test_a_decision_on_an_older_version_is_refused(tree, application, leader):
    decide(application)
    decide(application, kind="return", opinion="请补充。")
    application_submit(actor=leader, application=Application.objects.get(pk=application.pk))
    with pytest.raises(StaleVersion):
        decision_record(
            actor=unit_staff(tree.city_a), application=application, kind="recommend", opinion="同意。", version=1
        )


def test_after_the_level_deadline_the_unit_cannot_decide_until_the_organiser_extends_it(tree, application, campaign):
    now = timezone.now()
    LevelDeadline.objects.create(campaign=campaign, unit_kind="grassroots", deadline=now - timedelta(minutes=1))
    with pytest.raises(DeadlinePassed):
        decide(application)
    organiser = unit_staff(tree.province)
    with pytest.raises(PermissionDenied):
        deadline_extend(
            actor=unit_staff(tree.grassroots_a1),
            campaign=campaign,
            unit=tree.grassroots_a1,
            deadline=now + timedelta(days=2),
            reason="系统故障",
        )
    with pytest.raises(ValidationError):
        deadline_extend(
            actor=organiser, campaign=campaign, unit=tree.grassroots_a1, deadline=now + timedelta(days=2), reason=""
        )
    deadline_extend(
        actor=organiser, campaign=campaign, unit=tree.grassroots_a1, deadline=now + timedelta(days=2), reason="汛期抢险"
    )
    decide(application)
    event = AuditEvent.objects.get(action="reviews.deadline_extend")
    assert event.details["reason"] == "汛期抢险"


def test_a_unit_recommends_no_more_than_its_quota(tree, campaign, leader):
    Quota.objects.create(campaign=campaign, unit=tree.grassroots_a1, max_recommendations=1)
    first = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="一班")
    second = submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name="二班")
    decide(first)
    with pytest.raises(QuotaExceeded):
        decide(second)
    assert place_of(second).unit == tree.grassroots_a1
    # Returning or rejecting stays possible with the quota used up.
    decide(second, kind="reject", opinion="名额已满，不予推荐。")
