"""两级公示: on a campaign that asks for it, each recommending union publishes the shortlisted teams
it recommended first, with the same machinery (objections, findings, an upheld one taking the team
off); the organiser's notice waits until all of theirs have ended with nothing open."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from awards.errors import AwardsError
from awards.models import NoticeEntry, PublicNotice
from awards.services import naming_issue, notice_publish, objection_decide
from campaigns.models import Campaign
from reviews.models import ReviewResult
from tests.factories import unit_staff

from .test_services import DECISION, end_notice, file, published, shortlisted_campaign

CONTACT = {"contact_phone": "029-88776655", "contact_address": "甲市总工会组织部"}


@pytest.fixture
def two_level(tree, leader):
    campaign, organiser = shortlisted_campaign(tree, leader)
    Campaign.objects.filter(pk=campaign.pk).update(two_level_notice=True)
    campaign.refresh_from_db()
    return campaign, organiser


def _recommending_unit(campaign):
    (unit,) = {r.recommended_by for r in ReviewResult.objects.filter(campaign=campaign, state="shortlisted")}
    return unit


def _unit_notice(campaign, unit, staff=None):
    return notice_publish(
        actor=staff or unit_staff(unit), campaign=campaign, unit=unit, first_day=timezone.localdate(), **CONTACT
    )


def test_the_organisers_notice_waits_for_the_recommending_unions(two_level):
    campaign, organiser = two_level
    unit = _recommending_unit(campaign)
    assert unit != campaign.organiser
    with pytest.raises(AwardsError, match=unit.name):
        published(campaign, organiser)
    notice = _unit_notice(campaign, unit)
    assert notice.stage == "recommending" and notice.unit == unit
    assert notice.entries.count() == 2
    with pytest.raises(AwardsError, match="两级公示"):
        published(campaign, organiser)  # still running
    end_notice(notice)
    final = published(campaign, organiser)
    assert final.stage == "organiser" and final.entries.count() == 2


def test_only_the_recommending_unions_staff_publish_its_notice(two_level, tree):
    campaign, _organiser = two_level
    unit = _recommending_unit(campaign)
    with pytest.raises(PermissionDenied):
        _unit_notice(campaign, unit, staff=unit_staff(tree.city_b))
    _unit_notice(campaign, unit)
    with pytest.raises(AwardsError):
        _unit_notice(campaign, unit)  # once


def test_a_single_level_campaign_has_no_union_notice(shortlisted):
    campaign, _organiser = shortlisted
    with pytest.raises(AwardsError):
        _unit_notice(campaign, _recommending_unit(campaign))


def test_an_objection_upheld_at_the_first_level_keeps_the_team_off_the_organisers_notice(two_level, tree):
    campaign, organiser = two_level
    unit = _recommending_unit(campaign)
    notice = _unit_notice(campaign, unit)
    objection = file(notice)
    end_notice(notice)
    with pytest.raises(AwardsError, match=unit.name):
        published(campaign, organiser)  # an objection is open
    with pytest.raises(PermissionDenied):
        objection_decide(actor=unit_staff(tree.city_b), objection=objection, upheld=True, findings="经调查属实。")
    objection_decide(actor=unit_staff(unit), objection=objection, upheld=True, findings="经调查，反映问题属实。")
    withdrawn = NoticeEntry.objects.get(pk=objection.entry_id)
    assert withdrawn.state == "withdrawn"
    assert ReviewResult.objects.get(application_id=withdrawn.application_id).state == "not_selected"
    final = published(campaign, organiser)
    assert [e.application_id for e in final.entries.all()] != [withdrawn.application_id]
    assert final.entries.count() == 1
    end_notice(final)
    decision = naming_issue(actor=organiser, campaign=campaign, decided_on=timezone.localdate(), **DECISION)
    assert decision.titles.count() == 1


def test_the_union_publishes_from_its_page_reached_from_the_campaign(client, two_level):
    campaign, _organiser = two_level
    unit = _recommending_unit(campaign)
    staff = unit_staff(unit)
    client.force_login(staff)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    url = reverse("awards:unit_publish", args=[campaign.pk, unit.pk])
    assert url in page
    page = client.get(url).content.decode()
    assert "公示班组0" in page and "公示班组2" not in page  # its shortlisted teams only
    response = client.post(url, {**CONTACT, "first_day": timezone.localdate(), "contact_phone": "电话"})
    assert response.status_code == 200 and "甲市总工会组织部" in response.content.decode()  # kept
    response = client.post(url, {**CONTACT, "first_day": timezone.localdate()})
    notice = PublicNotice.objects.get(campaign=campaign, unit=unit)
    assert response.status_code == 302 and response.url == reverse("awards:notice", args=[notice.pk])
    page = client.get(response.url).content.decode()
    assert unit.name in page and "公示班组1" in page
    assert client.get(url).url == response.url


def test_the_organiser_sees_the_first_level_notices(client, two_level):
    campaign, organiser = two_level
    unit = _recommending_unit(campaign)
    client.force_login(organiser)
    url = reverse("awards:publish", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="first-level-row"' in page and unit.name in page and "尚未发布" in page
    _unit_notice(campaign, unit)
    page = client.get(url).content.decode()
    assert reverse("awards:notice", args=[PublicNotice.objects.get(unit=unit).pk]) in page
