"""Every write to users, the union tree and role assignments. Each runs in one transaction,
checks the actor's right to make it, and writes one audit event."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record

from .models import RoleAssignment, UnionUnit, User
from .signals import unit_moved


def _require(actor: User | None, perm: str, obj=None) -> None:
    """`actor` None means the system itself (a migration, a seed, a scheduled task)."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to perform this action."))


def check_kind_under(parent: UnionUnit | None, kind: str) -> None:
    """Raise a ValidationError (on `kind`) when a unit of `kind` may not stand below `parent`."""
    if parent is None:
        if kind != UnionUnit.Kind.PROVINCIAL:
            raise ValidationError({"kind": _("Only a provincial federation can stand at the top of the tree.")})
        return
    if kind not in UnionUnit.ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            {
                "kind": _("A %(kind)s cannot stand directly below a %(parent)s.")
                % {"kind": UnionUnit.Kind(kind).label, "parent": parent.get_kind_display()}
            }
        )


def check_placement(*, unit: UnionUnit | None, parent: UnionUnit | None, kind: str) -> None:
    """A unit of `kind` below `parent`, keeping `unit`'s existing children: is the tree's shape kept?"""
    check_kind_under(parent, kind)
    if unit is not None and unit.pk:
        as_kind = UnionUnit(kind=kind)
        for child in UnionUnit.objects.get_children(unit):
            check_kind_under(as_kind, child.kind)


UNIT_FIELDS = ("name", "short_name", "kind", "code", "enterprise", "region", "is_active")


@transaction.atomic
def unit_create(*, actor: User | None, parent: UnionUnit | None, **fields) -> UnionUnit:
    _require(actor, "accounts.manage_roles", parent)
    check_kind_under(parent, fields.get("kind", ""))
    unit = UnionUnit(**{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        unit = UnionUnit.objects.add_root(instance=unit)
    else:
        parent = UnionUnit.objects.select_for_update().get(pk=parent.pk)
        unit = UnionUnit.objects.add_child(parent, instance=unit)
    record(actor=actor, action="accounts.unit_create", target=unit, unit=unit, details={"code": unit.code})
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: UnionUnit, **fields) -> UnionUnit:
    unit = UnionUnit.objects.select_for_update().get(pk=unit.pk)
    _require(actor, "accounts.manage_roles", unit)
    changes = {}
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        if getattr(unit, name) != value:
            changes[name] = [getattr(unit, name), value]
            setattr(unit, name, value)
    if "kind" in changes:
        check_placement(unit=unit, parent=UnionUnit.objects.get_parent(unit), kind=unit.kind)
    if not changes:
        return unit
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save()
    record(actor=actor, action="accounts.unit_update", target=unit, unit=unit, details={"changes": changes})
    return unit


@transaction.atomic
def unit_move(*, actor: User | None, unit: UnionUnit, new_parent: UnionUnit) -> UnionUnit:
    unit = UnionUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = UnionUnit.objects.select_for_update().get(pk=new_parent.pk)
    _require(actor, "accounts.manage_roles", unit)
    _require(actor, "accounts.manage_roles", new_parent)
    old_parent = UnionUnit.objects.get_parent(unit)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return unit
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved below itself."))
    check_kind_under(new_parent, unit.kind)
    old_path = unit.path
    UnionUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    unit_moved.send(sender=UnionUnit, unit=unit, old_path=old_path, new_path=unit.path)
    record(
        actor=actor,
        action="accounts.unit_move",
        target=unit,
        unit=unit,
        details={"from": old_parent.name if old_parent else None, "to": new_parent.name},
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    email: str = "",
    unit: UnionUnit | None = None,
    phone: str = "",
    password: str | None = None,
    is_superuser: bool = False,
) -> User:
    if unit is not None:
        _require(actor, "accounts.manage_roles", unit)
    elif actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("You do not have permission to perform this action."))
    user = User(username=username, name=name, email=email, unit=unit, phone=phone)
    user.is_superuser = user.is_staff = is_superuser
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, action="accounts.user_create", target=user, unit=unit)
    return user


@transaction.atomic
def user_save(*, actor: User, user: User, created: bool, changed_fields: list[str]) -> User:
    """Save a user edited in the admin, whose form has already validated it."""
    if not actor.is_superuser:
        raise PermissionDenied(_("You do not have permission to perform this action."))
    user.save()
    record(
        actor=actor,
        action="accounts.user_create" if created else "accounts.user_update",
        target=user,
        unit=user.unit,
        details={"fields": sorted(f for f in changed_fields if f not in ("password", "password1", "password2"))},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User | None, user: User, raw_password: str) -> User:
    """Change a password: by its owner, by a reset link (actor None), or by a superuser."""
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You do not have permission to perform this action."))
    validate_password(raw_password, user)
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    record(actor=actor or user, action="accounts.password_change", target=user, unit=user.unit)
    return user


@transaction.atomic
def role_assign(*, actor: User | None, user: User, role: str, unit: UnionUnit) -> RoleAssignment:
    _require(actor, "accounts.manage_roles", unit)
    if role not in RoleAssignment.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    User.objects.select_for_update().get(pk=user.pk)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor}
    )
    if created:
        record(
            actor=actor,
            action="accounts.role_assign",
            target=assignment,
            unit=unit,
            details={"user": user.username, "role": role},
        )
    user.forget_roles()
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    _require(actor, "accounts.manage_roles", assignment.unit)
    deleted, _count = RoleAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        record(
            actor=actor,
            action="accounts.role_revoke",
            target=assignment,
            unit=assignment.unit,
            details={"user": assignment.user.username, "role": assignment.role},
        )
    assignment.user.forget_roles()
