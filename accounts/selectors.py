"""Reads of units and users, scoped to what the reader may see.

Staff and auditors see the subtrees they hold a role over; a superuser sees everything. List pages,
exports and the API all go through these, so that they cannot disagree.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import RoleAssignment, UnionUnit, User

OVERSIGHT_ROLES = (RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)


def _subtree_filter(paths: list[str], field: str = "path") -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def units_visible_to(user: User) -> QuerySet[UnionUnit]:
    if user.is_superuser:
        return UnionUnit.objects.all()
    return UnionUnit.objects.filter(_subtree_filter(user.scope_paths(*OVERSIGHT_ROLES)))


def unit_list(*, user: User, search: str = "", kind: str = "") -> QuerySet[UnionUnit]:
    units = units_visible_to(user)
    if search:
        units = units.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(enterprise__icontains=search))
    if kind:
        units = units.filter(kind=kind)
    return units.order_by("path")


def unit_ancestors(unit: UnionUnit) -> list[UnionUnit]:
    """From the root down to the unit's parent, in one query."""
    steps = range(unit.steplen, len(unit.path), unit.steplen)
    return list(UnionUnit.objects.filter(path__in=[unit.path[:end] for end in steps]).order_by("depth"))


def unit_children(unit: UnionUnit) -> QuerySet[UnionUnit]:
    return UnionUnit.objects.get_children(unit)


def unit_role_holders(unit: UnionUnit) -> QuerySet[RoleAssignment]:
    return unit.role_assignments.select_related("user").order_by("role", "user__username")


def users_visible_to(user: User) -> QuerySet[User]:
    """Users who belong to a unit in scope or hold a role on one."""
    if user.is_superuser:
        return User.objects.all()
    paths = user.scope_paths(*OVERSIGHT_ROLES)
    in_scope = _subtree_filter(paths, "unit__path")
    with_role_in_scope = RoleAssignment.objects.filter(_subtree_filter(paths, "unit__path")).values("user_id")
    return User.objects.filter(in_scope | Q(pk__in=with_role_in_scope))


def _leads_a_team() -> Exists:
    # Teams live in an app above this one; their leaders are reached through the reverse relation.
    leadership = User.led_teams.through
    return Exists(leadership.objects.filter(user_id=OuterRef("pk")))


TEAM_LEADER = "team_leader"


def user_list(*, user: User, search: str = "", role: str = "") -> QuerySet[User]:
    """Users in scope, each marked whether they lead a team; `role` may also be TEAM_LEADER."""
    users = users_visible_to(user).annotate(leads_teams=_leads_a_team())
    if search:
        users = users.filter(Q(name__icontains=search) | Q(username__icontains=search))
    if role == TEAM_LEADER:
        users = users.filter(leads_teams=True)
    elif role:
        users = users.filter(role_assignments__role=role).distinct()
    return (
        users.select_related("unit")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit").order_by("role"))
        )
        .order_by("username")
    )
