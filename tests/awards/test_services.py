"""The public notice, objections and the naming decision, through their services: the shortlist
published for N working days, objections only while it runs and only under a real name, an upheld
objection taking the team off, naming only after the notice with nothing open, and certificate
numbers that never repeat — also when two staff name at once."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.services import role_assign
from audit.models import AuditEvent
from awards.errors import AwardsError
from awards.models import CertificateCounter, NamingDecision, NoticeEntry, Objection, PublicNotice, Title
from awards.services import (
    naming_issue,
    notice_period,
    notice_publish,
    objection_decide,
    objection_file,
)
from campaigns.models import Campaign
from reviews.errors import ShortlistRefused
from reviews.models import Assignment, ReviewResult
from reviews.services import assignments_auto, panel_add, shortlist_record
from tests.factories import (
    UserFactory,
    accept,
    make_campaign,
    make_expert,
    open_review,
    score_all,
    submitted_application,
    unit_staff,
)

DECISION = {
    "document_number": "陕工发〔2026〕30号",
    "level": "provincial",
    "title": "陕西省梦桃式班组",
    "text": "经研究，决定命名以下班组为“陕西省梦桃式班组”。",
}


def shortlisted_campaign(tree, leader, *, teams=3, titles=2, organiser=None):
    """A province campaign whose `teams` applications were reviewed and the first `titles` shortlisted."""
    campaign = make_campaign(organiser=tree.province, publish=True)
    organiser = organiser or unit_staff(tree.province)
    results = [
        accept(submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign, name=f"公示班组{i}"))
        for i in range(teams)
    ]
    open_review(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(experts_per_application=1, titles_to_award=titles)
    campaign.refresh_from_db()
    expert = make_expert("gongshi_expert", tree.province, "评审专家")
    panel_add(actor=organiser, campaign=campaign, expert=expert)
    assignments_auto(actor=organiser, campaign=campaign)
    for number, result in enumerate(results):
        score_all(Assignment.objects.get(result=result), expert, 19 - number)
    shortlist_record(actor=organiser, campaign=campaign, selected={r.pk for r in results[:titles]}, reasons={})
    return campaign, organiser


def published(campaign, organiser, *, first_day=None):
    return notice_publish(
        actor=organiser,
        campaign=campaign,
        contact_phone="029-87654321",
        contact_address="西安市新城区西五路 陕西省总工会组织部",
        first_day=first_day or timezone.localdate(),
        show_leader_names=True,
    )


def end_notice(notice):
    """Move the notice into the past, as if its working days had gone by."""
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - timedelta(days=9), ends_on=timezone.localdate() - timedelta(days=1)
    )
    notice.refresh_from_db()


def file(notice, **overrides):
    values = {
        "entry": notice.entries.first(),
        "name": "张三",
        "unit": "某某公司",
        "phone": "13912345678",
        "facts": "该班组申报的QC成果并非本班组完成。",
    }
    values.update(overrides)
    return objection_file(**values)


# --- The public notice -----------------------------------------------------------------------


def test_the_notice_lasts_its_working_days_over_a_holiday(db):
    # 2026: National Day and Mid-Autumn off from 1 to 7 October; Saturday 10 October is worked instead.
    assert notice_period(date(2026, 9, 29), 5) == (date(2026, 9, 29), date(2026, 10, 10))
    # a notice asked to start on a holiday starts on the next working day
    assert notice_period(date(2026, 10, 3), 1) == (date(2026, 10, 8), date(2026, 10, 8))


def test_publishing_lists_the_shortlisted_teams_with_the_leaders_names(shortlisted, leader):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    entries = list(notice.entries.order_by("order"))
    assert [e.team_name for e in entries] == ["公示班组0", "公示班组1"]
    assert entries[0].leader_names == "何小梅" and entries[0].union_name == "甲市机械厂工会"
    assert notice.working_days == 5 and notice.starts_on <= notice.ends_on
    assert AuditEvent.objects.filter(action="awards.notice_publish").count() == 1


def test_a_shortlist_not_final_cannot_be_published(tree, leader):
    campaign = make_campaign(organiser=tree.province, publish=True)
    accept(submitted_application(leader=leader, union=tree.grassroots_a1, campaign=campaign))
    with pytest.raises(AwardsError, match="拟命名名单尚未确定"):
        published(campaign, unit_staff(tree.province))


def test_only_the_organisers_staff_publish(shortlisted, tree):
    campaign, _organiser = shortlisted
    with pytest.raises(PermissionDenied):
        published(campaign, unit_staff(tree.city_a))


def test_a_bad_phone_and_an_empty_address_are_refused_together(shortlisted):
    campaign, organiser = shortlisted
    with pytest.raises(ValidationError) as refused:
        notice_publish(actor=organiser, campaign=campaign, contact_phone="电话", contact_address=" ")
    assert set(refused.value.message_dict) == {"contact_phone", "contact_address"}
    assert not PublicNotice.objects.exists()


def test_the_shortlist_is_frozen_once_on_notice(shortlisted):
    campaign, organiser = shortlisted
    published(campaign, organiser)
    ranked = ReviewResult.objects.filter(campaign=campaign).order_by("rank")
    with pytest.raises(ShortlistRefused):
        shortlist_record(actor=organiser, campaign=campaign, selected={ranked[0].pk}, reasons={})


# --- Objections ------------------------------------------------------------------------------


def test_an_objection_gets_a_reference_and_waits_for_investigation(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice, ip_address="10.1.2.3")
    assert objection.reference.startswith("YY") and objection.state == "investigating"
    assert AuditEvent.objects.get(action="awards.objection_file").details["reference"] == objection.reference


@pytest.mark.parametrize("field", ["name", "unit", "phone", "facts"])
def test_an_objection_needs_a_real_name_unit_phone_and_facts(shortlisted, field):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    with pytest.raises(ValidationError) as refused:
        file(notice, **{field: "  "})
    assert field in refused.value.message_dict
    assert not Objection.objects.exists()


def test_an_objection_with_oversized_facts_or_a_bad_phone_is_refused(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    with pytest.raises(ValidationError) as refused:
        file(notice, facts="字" * 2001, phone="<script>")
    assert set(refused.value.message_dict) == {"facts", "phone"}
    assert "2001" in refused.value.message_dict["facts"][0]


def test_script_in_an_objection_is_kept_as_text(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice, facts="<script>alert(1)</script> 该班组材料不实")
    assert objection.facts.startswith("<script>")  # stored as typed; templates escape it


def test_no_objection_before_or_after_the_notice(shortlisted):
    campaign, organiser = shortlisted
    tomorrow = timezone.localdate() + timedelta(days=1)
    notice = published(campaign, organiser, first_day=tomorrow + timedelta(days=3))
    with pytest.raises(AwardsError, match="异议受理时间"):
        file(notice)
    end_notice(notice)
    with pytest.raises(AwardsError, match="异议受理时间"):
        file(notice)


def test_an_upheld_objection_takes_the_team_off_the_notice_and_the_shortlist(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice)
    objection_decide(actor=organiser, objection=objection, upheld=True, findings="经核实，QC成果系他人完成，异议成立。")
    entry = NoticeEntry.objects.get(pk=objection.entry_id)
    assert entry.state == "withdrawn"
    result = ReviewResult.objects.get(application_id=entry.application_id)
    assert result.state == "not_selected" and objection.reference in result.shortlist_reason
    with pytest.raises(AwardsError):
        objection_decide(actor=organiser, objection=objection, upheld=False, findings="再议")


def test_a_dismissed_objection_needs_findings_and_leaves_the_team(shortlisted, tree):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice)
    with pytest.raises(ValidationError):
        objection_decide(actor=organiser, objection=objection, upheld=False, findings=" ")
    with pytest.raises(PermissionDenied):
        objection_decide(actor=unit_staff(tree.city_a), objection=objection, upheld=False, findings="不成立")
    objection_decide(actor=organiser, objection=objection, upheld=False, findings="经调查，所反映问题不属实。")
    assert NoticeEntry.objects.get(pk=objection.entry_id).state == "listed"


# --- Naming ----------------------------------------------------------------------------------


def test_naming_before_the_notice_ends_or_with_an_objection_open_is_refused(shortlisted):
    campaign, organiser = shortlisted
    today = timezone.localdate()
    with pytest.raises(AwardsError, match="公示"):
        naming_issue(actor=organiser, campaign=campaign, decided_on=today, **DECISION)
    notice = published(campaign, organiser)
    with pytest.raises(AwardsError, match="公示期至"):
        naming_issue(actor=organiser, campaign=campaign, decided_on=today, **DECISION)
    file(notice)
    end_notice(notice)
    with pytest.raises(AwardsError, match="1 件异议"):
        naming_issue(actor=organiser, campaign=campaign, decided_on=today, **DECISION)
    assert not NamingDecision.objects.exists()


def test_naming_numbers_the_certificates_consecutively_and_on_from_the_last_decision(tree, leader):
    campaign, organiser = shortlisted_campaign(tree, leader)
    CertificateCounter.objects.create(prefix="MT", year=timezone.localdate().year, last=41)
    notice = published(campaign, organiser)
    objection = file(notice, entry=notice.entries.order_by("order").last())
    objection_decide(actor=organiser, objection=objection, upheld=False, findings="所反映问题不属实。")
    end_notice(notice)
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    year = timezone.localdate().year
    assert list(decision.titles.values_list("certificate_number", flat=True)) == [
        f"MT-{year}-0042",
        f"MT-{year}-0043",
    ]
    with pytest.raises(AwardsError, match="已命名"):
        naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)


def test_an_upheld_objection_leaves_the_team_unnamed(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    objection = file(notice)
    objection_decide(actor=organiser, objection=objection, upheld=True, findings="异议成立。")
    end_notice(notice)
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    assert decision.titles.count() == 1
    assert not Title.objects.filter(application_id=objection.entry.application_id).exists()


def test_a_decision_needs_its_fields_and_no_date_in_the_future(shortlisted):
    campaign, organiser = shortlisted
    notice = published(campaign, organiser)
    end_notice(notice)
    with pytest.raises(ValidationError) as refused:
        naming_issue(
            actor=organiser,
            campaign=campaign,
            decided_on=timezone.localdate() + timedelta(days=1),
            document_number=" ",
            level="galactic",
            title="",
            text="决定",
        )
    assert set(refused.value.message_dict) == {"decided_on", "document_number", "level", "title"}


@pytest.mark.django_db(transaction=True)
def test_two_staff_naming_at_once_make_one_decision_and_no_duplicate_number(tree, leader):
    campaign, organiser = shortlisted_campaign(tree, leader)
    other = UserFactory(username="sheng_staff_2", unit=tree.province)
    role_assign(actor=None, user=other, role=RoleAssignment.Role.STAFF, unit=tree.province)
    notice = published(campaign, organiser)
    end_notice(notice)
    outcomes, barrier = [], threading.Barrier(2)

    def name(actor):
        barrier.wait()
        try:
            naming_issue(actor=actor, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
            outcomes.append("named")
        except AwardsError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=name, args=(actor,)) for actor in (organiser, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["named", "refused"]
    assert NamingDecision.objects.count() == 1
    numbers = list(Title.objects.values_list("certificate_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 2
