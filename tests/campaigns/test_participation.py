"""Staff of every unit inside a published campaign's scope read it — with their own quota and their
level's deadline — while only the organiser manages it; drafts stay the organiser's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.services import role_assign
from campaigns.models import Campaign
from campaigns.services import campaign_update, quotas_save
from teams.services import application_start, application_submit
from tests.factories import UserFactory, fill_application, make_campaign, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_campaign(tree):
    campaign = make_campaign(organiser=tree.province, publish=True)
    organiser_staff = campaign.created_by
    quotas_save(actor=organiser_staff, campaign=campaign, quotas={tree.city_a: 6, tree.city_b: 4})
    grassroots_deadline = campaign.application_deadline + timedelta(days=3)
    campaign_update(
        actor=organiser_staff, campaign=campaign, level_deadlines={"grassroots": grassroots_deadline, "city": None}
    )
    return Campaign.objects.get(pk=campaign.pk)


@pytest.fixture
def grassroots_staff(tree):
    user = UserFactory(username="a1_staff", unit=tree.grassroots_a1)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.STAFF, unit=tree.grassroots_a1)
    return user


def test_city_staff_see_the_provinces_campaign_read_only_with_their_quota_and_deadline(
    client, province_campaign, role_users
):
    client.force_login(role_users["staff_unit"])  # city A
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert province_campaign.title in listing
    response = client.get(reverse("campaigns:detail", args=[province_campaign.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="participation"' in page
    assert "甲市总工会可推荐 6 个" in page  # its own quota, not city B's
    assert "4 个" not in page
    deadline = timezone.localtime(province_campaign.recommendation_deadline).strftime("%Y-%m-%d %H:%M")
    assert deadline in page  # the city level has no deadline of its own: the general one
    assert reverse("campaigns:edit", args=[province_campaign.pk]) not in page
    assert 'data-testid="transition-' not in page
    assert client.get(reverse("campaigns:edit", args=[province_campaign.pk])).status_code == 403
    assert client.get(reverse("campaigns:quotas", args=[province_campaign.pk])).status_code == 403
    assert f"{reverse('applications:list')}?campaign={province_campaign.pk}" in page


def test_grassroots_staff_see_their_citys_quota_and_the_grassroots_deadline(
    client, province_campaign, grassroots_staff
):
    client.force_login(grassroots_staff)
    page = client.get(reverse("campaigns:detail", args=[province_campaign.pk])).content.decode()
    assert "甲市机械厂工会" in page and "甲市总工会可推荐 6 个" in page
    own = province_campaign.recommendation_deadline_for("grassroots")
    assert own != province_campaign.recommendation_deadline
    assert timezone.localtime(own).strftime("%Y-%m-%d %H:%M") in page


def test_a_draft_stays_the_organisers(client, tree, role_users):
    draft = make_campaign(organiser=tree.province, document_number="测工发〔2026〕7号")
    client.force_login(role_users["staff_unit"])
    assert draft.title not in client.get(reverse("campaigns:list")).content.decode()
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404


def test_a_unit_outside_the_scope_does_not_see_it(client, tree, role_users):
    city_a_only = make_campaign(organiser=tree.province, publish=True, scope_unit=tree.city_a)
    client.force_login(role_users["staff_sibling"])  # city B
    assert client.get(reverse("campaigns:detail", args=[city_a_only.pk])).status_code == 404
    client.force_login(role_users["staff_unit"])
    assert client.get(reverse("campaigns:detail", args=[city_a_only.pk])).status_code == 200


def test_the_list_counts_only_the_readers_own_applications(client, tree, role_users, province_campaign):
    leader = role_users["leader"]
    for union, name in ((tree.grassroots_a1, "甲班"), (tree.grassroots_b1, "乙班"), (tree.grassroots_b1, "丙班")):
        team = make_team(leader=leader, union=union, name=name)
        application = application_start(actor=leader, team=team, campaign=province_campaign)
        fill_application(application, actor=leader)
        application_submit(actor=leader, application=application)
    client.force_login(role_users["staff_unit"])
    response = client.get(reverse("campaigns:list"))
    [campaign] = response.context["page_obj"].object_list
    assert campaign.application_counts == [("submitted", "已提交", 1)]
    client.force_login(role_users["staff_ancestor"])
    [campaign] = client.get(reverse("campaigns:list")).context["page_obj"].object_list
    assert campaign.application_counts == [("submitted", "已提交", 3)]
    # The count links to the list of those applications, which shows the same rows.
    client.force_login(role_users["staff_unit"])
    listing = client.get(reverse("applications:list"), {"campaign": province_campaign.pk, "status": "submitted"})
    assert [a.team.name for a in listing.context["page_obj"]] == ["甲班"]


def test_the_application_filter_offers_a_campaign_without_applications(client, province_campaign, role_users):
    client.force_login(role_users["staff_unit"])
    listing = client.get(reverse("applications:list"), {"campaign": province_campaign.pk})
    assert listing.context["form"].is_valid()
