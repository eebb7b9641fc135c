"""The years of the staff's campaign filter, kept in the process under the campaigns' and the units'
generations: read once, and a campaign written seen on the very next request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import user_cache
from campaigns import generation, selectors
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def years(user):
    with CaptureQueriesContext(connection) as captured:
        found = selectors.campaign_years(user)
    return found, len(captured.captured_queries)


def this_year() -> int:
    return timezone.localdate().year


def test_the_years_are_read_once_per_generation(tree, role_users):
    make_campaign(organiser=tree.province)
    staff = role_users["staff_ancestor"]
    assert years(user_cache.load(staff.pk)) == ([this_year()], 1)
    assert years(user_cache.load(staff.pk)) == ([this_year()], 0)


def test_readers_of_other_scopes_get_their_own_years(tree, role_users):
    make_campaign(organiser=tree.city_b, document_number="乙工发〔2026〕1号")
    assert years(user_cache.load(role_users["staff_ancestor"].pk))[0] == [this_year()]
    assert years(user_cache.load(role_users["staff_unit"].pk))[0] == []  # city A's staff see no draft of city B


def test_a_campaign_saved_in_another_year_shows_on_the_next_request(tree, role_users):
    campaign = make_campaign(organiser=tree.province)
    staff = role_users["staff_ancestor"]
    years(user_cache.load(staff.pk))
    campaign.application_opens_at -= timedelta(days=800)
    campaign.save()
    found, queries = years(user_cache.load(staff.pk))
    assert found == [campaign.application_opens_at.year] and queries == 1


def test_the_list_s_filter_offers_a_new_campaign_s_year_at_once(client, tree, role_users):
    make_campaign(organiser=tree.province)
    client.force_login(role_users["staff_ancestor"])
    assert f'value="{this_year() - 3}"' not in client.get(reverse("campaigns:list")).content.decode()
    make_campaign(
        organiser=tree.province,
        document_number="陕工发〔2023〕9号",
        application_opens_at=timezone.now() - timedelta(days=3 * 366),
    )
    assert f'value="{this_year() - 3}"' in client.get(reverse("campaigns:list")).content.decode()


def test_without_the_user_in_the_cache_the_years_are_read_every_time(settings, tree, role_users):
    settings.CACHE_SIGNED_IN_USER = False
    make_campaign(organiser=tree.province)
    user = user_cache.load(role_users["staff_ancestor"].pk)
    assert generation.of(user) is None
    for _ in range(2):
        assert years(user) == ([this_year()], 1)


def test_the_application_list_offers_a_renamed_campaign_at_once(client, tree, role_users):
    campaign = make_campaign(organiser=tree.province, publish=True)
    client.force_login(role_users["staff_ancestor"])
    assert campaign.title in client.get(reverse("applications:list")).content.decode()
    campaign.title = "2026年度陕西省“梦桃式班组”创建活动（更正）"
    campaign.save()
    assert campaign.title in client.get(reverse("applications:list")).content.decode()
