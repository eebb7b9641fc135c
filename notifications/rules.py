"""Who may read the notifications' staff pages.

The outbox, and sending a failed e-mail again: superusers, and the staff of the province federation (a
root of the union tree). An e-mail may go to anyone in the province, about anything, so no unit below
the root sees the outbox; the people of a unit see their own notifications in the inbox.

A campaign's deadline reminders (the coming ones and those sent): the organiser's staff and the
oversight above it, as the campaign's other organiser pages (its progress, its ranking)."""

import rules

from accounts.models import RoleAssignment
from campaigns.rules import oversees_organiser

STAFF = RoleAssignment.Role.STAFF


@rules.predicate
def staffs_a_root_unit(user) -> bool:
    return any(a.role == STAFF and a.unit.depth == 1 for a in user.role_assignment_list())


rules.add_perm("notifications.manage_outbox", rules.is_authenticated & (rules.is_superuser | staffs_a_root_unit))
rules.add_perm("notifications.view_reminders", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
