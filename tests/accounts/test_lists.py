"""The user list marks team leaders (and filters them); the unit list finds part of a code or name."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, make_team

pytestmark = pytest.mark.django_db


def test_the_user_list_marks_team_leaders_and_filters_them(client, tree, role_users):
    leader = role_users["leader"]
    make_team(leader=leader, union=tree.grassroots_a1)
    UserFactory(username="plain", unit=tree.grassroots_a1)
    client.force_login(role_users["staff_unit"])
    response = client.get(reverse("user_list"))
    marked = {u.username: u.leads_teams for u in response.context["page_obj"]}
    assert marked["leader"] is True and marked["plain"] is False
    assert response.content.decode().count('data-testid="team-leader"') == 1
    leaders = client.get(reverse("user_list"), {"role": "team_leader"}).context["page_obj"]
    assert [u.username for u in leaders] == ["leader"]


def test_unit_search_matches_part_of_a_code_or_a_name(client, tree, role_users):
    client.force_login(role_users["staff_ancestor"])
    by_code = client.get(reverse("unit_list"), {"q": "a-1"}).context["page_obj"]
    assert [u.code for u in by_code] == ["T-A-1"]
    by_name = client.get(reverse("unit_list"), {"q": "机械"}).context["page_obj"]
    assert [u.code for u in by_name] == ["T-A-1"]
