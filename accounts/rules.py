"""Permission predicates for accounts: who may see the union tree and who may change roles."""

import rules

from .models import RoleAssignment

STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR


@rules.predicate
def has_oversight_role(user) -> bool:
    return user.has_role(STAFF, AUDITOR)


@rules.predicate
def oversees_unit(user, unit) -> bool:
    return unit is not None and user.has_role_over(unit, STAFF, AUDITOR)


@rules.predicate
def staffs_unit(user, unit) -> bool:
    return unit is not None and user.has_role_over(unit, STAFF)


rules.add_perm("accounts.list_units", rules.is_authenticated & (rules.is_superuser | has_oversight_role))
rules.add_perm("accounts.view_unit", rules.is_authenticated & (rules.is_superuser | oversees_unit))
rules.add_perm("accounts.list_users", rules.is_authenticated & (rules.is_superuser | has_oversight_role))
rules.add_perm("accounts.manage_roles", rules.is_authenticated & (rules.is_superuser | staffs_unit))
