"""Actions with consequences ask first and say why: publishing without quotas or with too many, and
moving a published deadline into the past; an edited published notice says when it was updated."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_update, quotas_save
from teams.services import application_start
from tests.factories import make_campaign, make_team

from .test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, role_users):
    client.force_login(role_users["staff_ancestor"])  # the province
    return client


def test_publishing_without_quotas_asks_for_confirmation_and_says_why(staff_client, tree):
    campaign = make_campaign(organiser=tree.province)
    url = reverse("campaigns:transition", args=[campaign.pk, "publish"])
    page = staff_client.get(url).content.decode()
    assert 'data-testid="warnings"' in page and "尚未分配推荐名额" in page
    response = staff_client.post(url, {})
    assert response.status_code == 200 and "请勾选确认后再继续" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT
    response = staff_client.post(url, {"confirmed": "on"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.PUBLISHED


def test_quotas_above_the_titles_are_named_before_publishing(staff_client, tree):
    campaign = make_campaign(organiser=tree.province, titles_to_award=5)
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 4, tree.city_b: 3})
    page = staff_client.get(reverse("campaigns:transition", args=[campaign.pk, "publish"])).content.decode()
    assert "合计 7 个，多于拟命名的 5 个" in page


def test_quotas_within_the_titles_publish_without_a_question(staff_client, tree):
    campaign = make_campaign(organiser=tree.province, titles_to_award=5)
    quotas_save(actor=campaign.created_by, campaign=campaign, quotas={tree.city_a: 3, tree.industry: 2})
    url = reverse("campaigns:transition", args=[campaign.pk, "publish"])
    assert 'data-testid="warnings"' not in staff_client.get(url).content.decode()
    assert staff_client.post(url, {}).status_code == 302


def test_moving_the_deadline_into_the_past_says_how_many_drafts_it_closes(staff_client, tree, role_users):
    campaign = make_campaign(organiser=tree.province, publish=True)
    leader = role_users["leader"]
    for name in ("甲班", "乙班"):
        application_start(
            actor=leader, team=make_team(leader=leader, union=tree.grassroots_a1, name=name), campaign=campaign
        )
    past = timezone.localtime() - timedelta(hours=1)
    data = form_data(
        tree,
        title=campaign.title,
        document_number=campaign.document_number,
        application_opens_at=timezone.localtime(campaign.application_opens_at).strftime("%Y-%m-%dT%H:%M"),
        application_deadline=past.strftime("%Y-%m-%dT%H:%M"),
    )
    url = reverse("campaigns:edit", args=[campaign.pk])
    response = staff_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="effects"' in page
    assert "2 份尚未提交的草稿将无法再提交" in page
    assert f'value="{past:%Y-%m-%dT%H:%M}"' in page  # what was typed is kept
    assert Campaign.objects.get(pk=campaign.pk).application_deadline == campaign.application_deadline
    response = staff_client.post(url, {**data, "confirm_effects": "on"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).application_deadline < timezone.now()


def test_an_edited_published_notice_shows_when_it_was_updated(client, tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="revised-at"' not in page
    campaign_update(actor=campaign.created_by, campaign=campaign, reminder_days=[5, 1])  # not shown to readers
    assert Campaign.objects.get(pk=campaign.pk).revised_at is None
    campaign_update(actor=campaign.created_by, campaign=campaign, title="关于创建“梦桃式班组”的通知（修订）")
    revised = Campaign.objects.get(pk=campaign.pk).revised_at
    page = client.get(reverse("notices:detail", args=[campaign.pk])).content.decode()
    assert f"更新于 {timezone.localtime(revised):%Y-%m-%d %H:%M}" in page
    assert "更新于" in client.get(reverse("notices:list")).content.decode()


def test_a_drafts_edits_are_no_revision(tree):
    campaign = make_campaign(organiser=tree.province)
    campaign_update(actor=campaign.created_by, campaign=campaign, title="新标题")
    assert Campaign.objects.get(pk=campaign.pk).revised_at is None
