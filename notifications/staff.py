"""Who acts for a union: its own staff, or where it has none — many grassroots unions have no account
of their own — the staff of the nearest union above it that has some, who may decide for it (the
chain's rules let staff act anywhere in their subtree). The events and the reminders ask the same."""

from collections.abc import Iterable

from accounts.models import RoleAssignment, UnionUnit, User


def nearest_staff(units: Iterable[UnionUnit]) -> dict[int, list[User]]:
    """Each unit's acting staff, by unit id (one query for any number of units)."""
    units = list(units)
    step = UnionUnit.steplen
    prefixes = {u.path[:end] for u in units for end in range(step, len(u.path) + 1, step)}
    by_path: dict[str, list[User]] = {}
    for assignment in (
        RoleAssignment.objects.filter(role=RoleAssignment.Role.STAFF, unit__path__in=prefixes, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user_id")
    ):
        by_path.setdefault(assignment.unit.path, []).append(assignment.user)
    found = {}
    for unit in units:
        found[unit.pk] = next(
            (by_path[unit.path[:end]] for end in range(len(unit.path), 0, -step) if unit.path[:end] in by_path), []
        )
    return found
