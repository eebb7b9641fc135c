"""List pages of accounts keep the same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from accounts.models import UnionUnit
from accounts.services import unit_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add_units(parent, n):
    for i in range(n):
        unit_create(actor=None, parent=parent, name=f"新增基层工会{i}", kind=UnionUnit.Kind.GRASSROOTS, code=f"N-{i}")


@pytest.mark.parametrize("extra", [1, 3])
def test_unit_list(client, tree, role_users, django_assert_num_queries, extra):
    add_units(tree.city_a, extra)
    client.force_login(role_users["staff_unit"])
    with django_assert_num_queries(5):  # session, the user with their roles, count, page, the bell
        response = client.get(reverse("unit_list"))
    assert len(response.context["page_obj"]) == 2 + extra


@pytest.mark.parametrize("extra", [1, 3])
def test_unit_detail(client, tree, role_users, django_assert_num_queries, extra):
    add_units(tree.city_a, extra)
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, unit, ancestors, children count+page, holders, the bell
    with django_assert_num_queries(8):
        response = client.get(reverse("unit_detail", args=[tree.city_a.pk]))
    assert len(response.context["page_obj"]) == 1 + extra


@pytest.mark.parametrize("extra", [1, 3])
def test_user_list(client, tree, role_users, django_assert_num_queries, extra):
    for _ in range(extra):
        UserFactory(unit=tree.grassroots_a1)
    client.force_login(role_users["staff_unit"])
    with django_assert_num_queries(6):  # session, the user with their roles, count, page, role prefetch, the bell
        response = client.get(reverse("user_list"))
    assert len(response.context["page_obj"]) == 2 + extra
