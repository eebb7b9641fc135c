"""The admin writes through the services: tree rules hold and every change is audited."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment, UnionUnit
from accounts.services import unit_create
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users["superuser"])
    return client


def test_creating_a_unit_in_the_admin_is_audited(admin_client, tree):
    before = AuditEvent.objects.filter(action="accounts.unit_create").count()
    response = admin_client.post(
        reverse("admin:accounts_unionunit_add"),
        {"parent": tree.city_a.pk, "name": "甲市电厂工会", "kind": "grassroots", "code": "T-A-9", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    unit = UnionUnit.objects.get(code="T-A-9")
    assert unit.is_in_subtree_of(tree.city_a)
    assert AuditEvent.objects.filter(action="accounts.unit_create").count() == before + 1


def test_the_admin_refuses_a_wrong_kind_below_a_parent_with_a_chinese_message(admin_client, tree):
    response = admin_client.post(
        reverse("admin:accounts_unionunit_add"),
        {"parent": tree.grassroots_a1.pk, "name": "错误单位", "kind": "city", "code": "T-BAD", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "市总工会不能直接隶属于基层工会" in response.content.decode()
    assert not UnionUnit.objects.filter(code="T-BAD").exists()


def test_moving_a_unit_in_the_admin_goes_through_the_service(admin_client, tree):
    url = reverse("admin:accounts_unionunit_change", args=[tree.grassroots_a1.pk])
    data = {"parent": tree.industry.pk, "name": tree.grassroots_a1.name, "kind": "grassroots", "code": "T-A-1"}
    response = admin_client.post(url, {**data, "is_active": "on"})
    assert response.status_code == 302
    tree.grassroots_a1.refresh_from_db()
    assert UnionUnit.objects.get_parent(tree.grassroots_a1) == tree.industry
    assert AuditEvent.objects.filter(action="accounts.unit_move", target_id=str(tree.grassroots_a1.pk)).count() == 1


def test_granting_and_revoking_a_role_in_the_admin_is_audited(admin_client, tree):
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_roleassignment_add"), {"user": person.pk, "role": "auditor", "unit": tree.city_b.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    response = admin_client.post(reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    actions = AuditEvent.objects.filter(target_type="accounts.roleassignment", target_id=str(assignment.pk))
    assert sorted(actions.values_list("action", flat=True)) == ["accounts.role_assign", "accounts.role_revoke"]


def test_editing_a_user_in_the_admin_is_audited(admin_client, tree):
    person = UserFactory(name="旧名字")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    response = admin_client.post(
        url,
        {
            "username": person.username,
            "name": "新名字",
            "email": person.email,
            "phone": "",
            "unit": tree.city_a.pk,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "新名字"
    event = AuditEvent.objects.get(action="accounts.user_update", target_id=str(person.pk))
    assert set(event.details["fields"]) >= {"name", "unit"}


def test_the_admin_refuses_a_kind_its_children_cannot_stand_below(admin_client, tree):
    unit_create(actor=None, parent=tree.city_a, name="甲市某区总工会", kind=UnionUnit.Kind.COUNTY, code="T-A-C")
    url = reverse("admin:accounts_unionunit_change", args=[tree.city_a.pk])
    data = {"parent": tree.province.pk, "name": tree.city_a.name, "kind": "industry", "code": "T-A", "is_active": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "县(区)总工会不能直接隶属于产业工会" in response.content.decode()
    tree.city_a.refresh_from_db()
    assert tree.city_a.kind == "city"
