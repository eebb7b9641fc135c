"""Campaign services: validation, the criteria freeze, transitions and their audit events."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.errors import CampaignIncomplete, CriteriaFrozen, TransitionNotAllowed
from campaigns.models import Campaign, CriteriaTemplate, Criterion
from campaigns.services import (
    CriterionChange,
    campaign_cancel,
    campaign_close,
    campaign_conclude,
    campaign_publish,
    campaign_update,
    campaigns_close_due,
    criteria_copy_from_template,
    criteria_save,
    quotas_save,
)
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_create_copies_the_template_and_is_audited_once(tree):
    campaign = make_campaign(organiser=tree.province)
    assert [c.code for c in campaign.criteria.all()] == ["1", "2", "3", "4", "5", "V1"]
    assert sum(c.max_score for c in campaign.criteria.all()) == 100
    assert AuditEvent.objects.filter(action="campaigns.create", target_id=str(campaign.pk)).count() == 1
    assert campaign.scope_unit == tree.province
    assert campaign.status == Campaign.Status.DRAFT


# The dates are worked out when the test runs, not when it is collected: a suite that runs past
# midnight in Shanghai would otherwise compare yesterday's offsets with today's campaign.
@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("application_deadline", lambda: {"application_deadline": timezone.now() - timedelta(days=2)}),
        ("recommendation_deadline", lambda: {"recommendation_deadline": timezone.now() + timedelta(days=5)}),
        ("review_ends_on", lambda: {"review_ends_on": timezone.localdate() + timedelta(days=41 - 1)}),
        ("naming_planned_on", lambda: {"naming_planned_on": timezone.localdate() + timedelta(days=50)}),
        ("review_starts_on", lambda: {"review_starts_on": timezone.localdate() + timedelta(days=35)}),
    ],
)
def test_dates_out_of_order_are_refused_on_their_field(tree, field, change):
    with pytest.raises(ValidationError) as caught:
        make_campaign(organiser=tree.province, **change())
    assert field in caught.value.message_dict
    assert not Campaign.objects.exists()


def test_the_naming_date_must_follow_the_public_notice(tree):
    review_end = timezone.localdate() + timedelta(days=50)
    with pytest.raises(ValidationError) as caught:
        make_campaign(organiser=tree.province, naming_planned_on=review_end + timedelta(days=1))
    assert "公示" in caught.value.message_dict["naming_planned_on"][0]


def test_a_duplicate_document_number_is_refused_for_the_same_organiser_only(tree):
    make_campaign(organiser=tree.city_a, document_number="甲工发〔2026〕3号")
    with pytest.raises(ValidationError) as caught:
        make_campaign(organiser=tree.city_a, document_number="甲工发[2026]3号")
    assert "document_number" in caught.value.message_dict
    assert make_campaign(organiser=tree.city_b, document_number="甲工发〔2026〕3号")


@pytest.mark.parametrize(
    "typed", ["陕工发[2026]12号", "陕工发【2026】12号", "陕工发（2026）12号", " 陕工发 〔2026〕12号"]
)
def test_document_numbers_are_stored_in_the_official_form(tree, typed):
    assert make_campaign(organiser=tree.province, document_number=typed).document_number == "陕工发〔2026〕12号"


@pytest.mark.parametrize(
    "typed", ["12号", "陕工发2026年12号", "ShaanXi〔2026〕12号", "陕工发〔26〕12号", "陕工发〔2026〕0号"]
)
def test_malformed_document_numbers_are_refused(tree, typed):
    with pytest.raises(ValidationError) as caught:
        make_campaign(organiser=tree.province, document_number=typed)
    assert "文号" in caught.value.message_dict["document_number"][0]


def test_script_in_the_body_is_removed(tree):
    body = (
        '<div>通知正文<script>alert("x")</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(1)">链接</a><strong onclick="steal()">重点</strong></div>'
    )
    campaign = make_campaign(organiser=tree.province, body=body)
    assert "script" not in campaign.body and "onerror" not in campaign.body and "onclick" not in campaign.body
    assert "javascript:" not in campaign.body
    assert "<strong>重点</strong>" in campaign.body and "通知正文" in campaign.body


def test_publishing_without_criteria_is_refused(tree):
    campaign = make_campaign(organiser=tree.province, template=False)
    with pytest.raises(CampaignIncomplete):
        campaign_publish(actor=campaign.created_by, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_publishing_with_only_veto_items_is_refused(tree):
    campaign = make_campaign(organiser=tree.province)
    campaign.criteria.filter(is_veto=False).delete()
    with pytest.raises(CampaignIncomplete):
        campaign_publish(actor=campaign.created_by, campaign=campaign)


def test_publishing_freezes_the_criteria(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    actor = campaign.created_by
    criterion = campaign.criteria.first()
    change = CriterionChange(criterion=criterion, values={"title": "改过的标题"})
    with pytest.raises(CriteriaFrozen):
        criteria_save(actor=actor, campaign=campaign, changes=[change])
    with pytest.raises(CriteriaFrozen):
        criteria_copy_from_template(actor=actor, campaign=campaign, template=CriteriaTemplate.objects.first())
    with pytest.raises(CriteriaFrozen):
        campaign_update(actor=actor, campaign=campaign, document_number="测工发〔2026〕9号")
    criterion.refresh_from_db()
    assert criterion.title != "改过的标题"


def test_a_published_notice_can_still_extend_its_deadline(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    later = campaign.application_deadline + timedelta(days=3)
    campaign_update(actor=campaign.created_by, campaign=campaign, application_deadline=later)
    campaign.refresh_from_db()
    assert campaign.application_deadline == later
    event = AuditEvent.objects.filter(action="campaigns.update").get()
    assert "application_deadline" in event.details["changes"]


def criteria_rows(campaign):
    fields = ["order", "code", "title", "description", "max_score", "weight", "statement_required",
              "min_evidence", "indicators", "is_veto"]  # fmt: skip
    return {c.pk: {f: getattr(c, f) for f in fields} for c in campaign.criteria.all()}


def test_the_criteria_set_must_keep_a_scored_criterion(tree):
    campaign = make_campaign(organiser=tree.province)
    rows = criteria_rows(campaign)
    changes = [
        CriterionChange(criterion=Criterion.objects.get(pk=pk), values=values, delete=not values["is_veto"])
        for pk, values in rows.items()
    ]
    with pytest.raises(ValidationError):
        criteria_save(actor=campaign.created_by, campaign=campaign, changes=changes)
    assert campaign.criteria.count() == 6


def test_a_veto_item_carries_no_score(tree):
    campaign = make_campaign(organiser=tree.province)
    veto = campaign.criteria.get(is_veto=True)
    values = {**criteria_rows(campaign)[veto.pk], "max_score": 10}
    with pytest.raises(ValidationError):
        criteria_save(actor=campaign.created_by, campaign=campaign, changes=[CriterionChange(veto, values)])


def test_criteria_are_added_changed_and_removed_at_once(tree):
    campaign = make_campaign(organiser=tree.province)
    rows = criteria_rows(campaign)
    first, second = list(rows)[:2]
    new = {**rows[first], "code": "6", "title": "新增方面", "order": 7}
    changes = [
        CriterionChange(Criterion.objects.get(pk=first), {**rows[first], "max_score": 30}),
        CriterionChange(Criterion.objects.get(pk=second), rows[second], delete=True),
        CriterionChange(None, new),
    ]
    criteria_save(actor=campaign.created_by, campaign=campaign, changes=changes)
    assert sorted(campaign.criteria.values_list("code", flat=True)) == ["1", "3", "4", "5", "6", "V1"]
    assert campaign.criteria.get(code="1").max_score == 30


def test_staff_of_another_unit_cannot_change_a_campaign(tree, role_users):
    campaign = make_campaign(organiser=tree.city_a)
    with pytest.raises(PermissionDenied):
        campaign_update(actor=role_users["staff_sibling"], campaign=campaign, title="被改了")
    with pytest.raises(PermissionDenied):
        campaign_publish(actor=role_users["auditor"], campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.title != "被改了" and campaign.status == Campaign.Status.DRAFT
    campaign_update(actor=role_users["staff_ancestor"], campaign=campaign, title="上级修改")


def test_close_is_refused_before_the_deadline_and_allowed_after(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    with pytest.raises(TransitionNotAllowed):
        campaign_close(actor=campaign.created_by, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        application_opens_at=timezone.now() - timedelta(days=3), application_deadline=timezone.now()
    )
    assert campaigns_close_due() == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert campaigns_close_due() == 0
    assert AuditEvent.objects.filter(action="campaigns.close", actor=None).count() == 1


def test_cancel_needs_a_reason_and_ends_the_campaign(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    with pytest.raises(ValidationError):
        campaign_cancel(actor=campaign.created_by, campaign=campaign, reason="  ")
    campaign_cancel(actor=campaign.created_by, campaign=campaign, reason="上级通知调整")
    campaign.refresh_from_db()
    assert (campaign.status, campaign.cancel_reason) == (Campaign.Status.CANCELLED, "上级通知调整")
    with pytest.raises(TransitionNotAllowed):
        campaign_update(actor=campaign.created_by, campaign=campaign, title="取消后修改")


def test_transitions_outside_the_table_are_refused(tree):
    campaign = make_campaign(organiser=tree.province)
    with pytest.raises(TransitionNotAllowed):
        campaign_conclude(actor=campaign.created_by, campaign=campaign)
    campaign_publish(actor=campaign.created_by, campaign=campaign)
    with pytest.raises(TransitionNotAllowed):
        campaign_publish(actor=campaign.created_by, campaign=campaign)


def test_quotas_are_for_the_units_directly_below(tree):
    campaign = make_campaign(organiser=tree.province)
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 5, tree.city_b: 3})
    assert dict(campaign.quotas.values_list("unit__code", "max_recommendations")) == {"T-A": 5, "T-B": 3}
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 6, tree.city_b: None})
    assert dict(campaign.quotas.values_list("unit__code", "max_recommendations")) == {"T-A": 6}
    with pytest.raises(ValidationError):
        quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.grassroots_a1: 1})
    assert AuditEvent.objects.filter(action="campaigns.quotas_save").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_staff_publishing_at_once_publish_once(tree, role_users):
    campaign = make_campaign(organiser=tree.city_a)
    actors = [role_users["staff_unit"], role_users["staff_ancestor"]]
    outcomes, barrier = [], threading.Barrier(2)

    def publish(actor):
        barrier.wait()
        try:
            campaign_publish(actor=actor, campaign=Campaign.objects.get(pk=campaign.pk))
            outcomes.append("published")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=publish, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert AuditEvent.objects.filter(action="campaigns.publish").count() == 1
