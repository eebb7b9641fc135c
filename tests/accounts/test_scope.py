"""Staff see their own subtree of the union tree and the people in it, never a sibling's."""

import pytest
from django.urls import reverse

from accounts import selectors
from accounts.models import RoleAssignment
from accounts.services import role_assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_city_staff_see_their_subtree_and_not_the_sibling_city(tree, role_users):
    staff = role_users["staff_unit"]  # staff of city A
    visible = set(selectors.units_visible_to(staff))
    assert visible == {tree.city_a, tree.grassroots_a1}


def test_city_staff_see_the_people_of_their_subtree_only(tree, role_users):
    staff = role_users["staff_unit"]
    visible = set(selectors.users_visible_to(staff))
    assert role_users["leader"] in visible  # belongs to grassroots A1
    assert staff in visible
    assert role_users["staff_sibling"] not in visible
    assert role_users["staff_ancestor"] not in visible


def test_a_role_held_in_scope_makes_a_person_visible(tree, role_users):
    outsider = UserFactory(unit=tree.city_b)
    role_assign(actor=None, user=outsider, role=RoleAssignment.Role.EXPERT, unit=tree.grassroots_a1)
    assert outsider in set(selectors.users_visible_to(role_users["staff_unit"]))


def test_unit_list_page_shows_only_the_subtree(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("unit_list")).content.decode()
    assert tree.city_a.name in page and tree.grassroots_a1.name in page
    assert tree.city_b.name not in page and tree.grassroots_b1.name not in page
    assert tree.province.name not in page


def test_user_list_page_shows_only_the_subtree(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("user_list")).content.decode()
    assert "staff_sibling" not in page
    assert "leader" in page


def test_sibling_unit_detail_is_not_found(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    assert client.get(reverse("unit_detail", args=[tree.grassroots_b1.pk])).status_code == 404
    assert client.get(reverse("unit_detail", args=[tree.grassroots_a1.pk])).status_code == 200


def test_breadcrumb_hides_ancestors_outside_the_scope(client, tree, role_users):
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("unit_detail", args=[tree.grassroots_a1.pk])).content.decode()
    assert tree.city_a.display_name in page
    assert reverse("unit_detail", args=[tree.province.pk]) not in page


def test_provincial_staff_see_the_whole_province(tree, role_users):
    assert selectors.units_visible_to(role_users["staff_ancestor"]).count() == 7


def test_nested_assignments_do_not_duplicate_units(tree):
    user = UserFactory()
    role_assign(actor=None, user=user, role=RoleAssignment.Role.STAFF, unit=tree.province)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.AUDITOR, unit=tree.city_a)
    assert user.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR) == [tree.province.path]
    assert selectors.units_visible_to(user).count() == 7


def test_search_filters_units(client, tree, role_users):
    client.force_login(role_users["staff_ancestor"])
    page = client.get(reverse("unit_list"), {"q": "机械厂"}).content.decode()
    assert tree.grassroots_a1.name in page and tree.grassroots_b1.name not in page
