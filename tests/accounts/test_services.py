"""The accounts services: tree shape, permission of the actor, one audit event per change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import RoleAssignment, UnionUnit
from accounts.services import role_assign, role_revoke, unit_create, unit_move, unit_update, user_create
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
K = UnionUnit.Kind


def test_only_a_provincial_federation_can_be_a_root(db):
    with pytest.raises(ValidationError):
        unit_create(actor=None, parent=None, name="某市总工会", kind=K.CITY, code="X")
    assert not UnionUnit.objects.exists()


def test_a_city_cannot_stand_below_a_grassroots_union(tree):
    with pytest.raises(ValidationError) as caught:
        unit_create(actor=None, parent=tree.grassroots_a1, name="错误", kind=K.CITY, code="BAD")
    assert "kind" in caught.value.message_dict
    assert not UnionUnit.objects.filter(code="BAD").exists()


def test_the_tree_may_be_any_depth(tree):
    parent = tree.grassroots_a1
    for level in range(5):
        parent = unit_create(actor=None, parent=parent, name=f"二级工会{level}", kind=K.GRASSROOTS, code=f"D{level}")
    assert parent.depth == 8
    assert parent.is_in_subtree_of(tree.city_a)
    assert not parent.is_in_subtree_of(tree.city_b)


def test_duplicate_codes_are_refused(tree):
    with pytest.raises(ValidationError):
        unit_create(actor=None, parent=tree.city_a, name="重复", kind=K.GRASSROOTS, code="T-A-1")


def test_staff_may_create_units_in_their_subtree_only(tree, role_users):
    staff = role_users["staff_unit"]
    unit_create(actor=staff, parent=tree.city_a, name="甲市新厂工会", kind=K.GRASSROOTS, code="T-A-2")
    with pytest.raises(PermissionDenied):
        unit_create(actor=staff, parent=tree.city_b, name="乙市新厂工会", kind=K.GRASSROOTS, code="T-B-2")
    assert not UnionUnit.objects.filter(code="T-B-2").exists()


def test_moving_a_unit_moves_its_subtree_and_is_audited(tree):
    second_level = unit_create(actor=None, parent=tree.grassroots_a1, name="二级工会", kind=K.GRASSROOTS, code="A-1-1")
    before = AuditEvent.objects.count()
    unit_move(actor=None, unit=tree.grassroots_a1, new_parent=tree.industry)
    second_level.refresh_from_db()
    assert second_level.path.startswith(UnionUnit.objects.get(pk=tree.industry.pk).path)
    assert not second_level.is_in_subtree_of(UnionUnit.objects.get(pk=tree.city_a.pk))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "accounts.unit_move"


def test_a_unit_cannot_move_below_itself(tree):
    with pytest.raises(ValidationError):
        unit_move(actor=None, unit=tree.city_a, new_parent=tree.grassroots_a1)


def test_changing_a_kind_checks_the_children(tree):
    with pytest.raises(ValidationError):
        unit_update(actor=None, unit=tree.city_a, kind=K.COUNTY)  # a county has no city below the province
    tree.city_a.refresh_from_db()
    assert tree.city_a.kind == K.CITY


def test_role_assign_is_idempotent_and_audited_once(tree):
    user = UserFactory()
    before = AuditEvent.objects.count()
    role_assign(actor=None, user=user, role=RoleAssignment.Role.EXPERT, unit=tree.province)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.EXPERT, unit=tree.province)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.count() == before + 1


def test_staff_cannot_grant_roles_outside_their_subtree(tree, role_users):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        role_assign(actor=role_users["staff_unit"], user=user, role=RoleAssignment.Role.STAFF, unit=tree.city_b)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_role_revoke_removes_the_scope_at_once(tree):
    user = UserFactory()
    assignment = role_assign(actor=None, user=user, role=RoleAssignment.Role.STAFF, unit=tree.city_a)
    assert user.has_role_over(tree.grassroots_a1, RoleAssignment.Role.STAFF)
    role_revoke(actor=None, assignment=assignment)
    assert not user.has_role_over(tree.grassroots_a1, RoleAssignment.Role.STAFF)


def test_user_create_validates_the_password(tree):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="weak", name="弱密码", password="12345678")
    assert not UserFactory._meta.model.objects.filter(username="weak").exists()
