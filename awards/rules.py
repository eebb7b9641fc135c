"""Who runs the public notice and the naming: the staff of the organising unit (or above it); who
reads an objector's identity: they and the auditors above the organiser. On a two-level notice
(两级公示) a recommending union's staff publish its own notice and settle its objections, and its
staff and auditors (and those above) read them."""

import rules

from accounts.models import RoleAssignment
from campaigns.rules import oversees_organiser, staffs_organiser
from teams.rules import oversees_team_union

STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR


@rules.predicate
def staffs_unit(user, unit) -> bool:
    return unit is not None and user.has_role_over(unit, STAFF)


@rules.predicate
def staffs_notice_unit(user, notice) -> bool:
    return notice is not None and user.has_role_over(notice.unit, STAFF)


@rules.predicate
def oversees_notice_unit(user, notice) -> bool:
    return notice is not None and user.has_role_over(notice.unit, STAFF, AUDITOR)


rules.add_perm("awards.manage_awards", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
rules.add_perm("awards.view_objections", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
rules.add_perm("awards.publish_unit_notice", rules.is_authenticated & (rules.is_superuser | staffs_unit))
rules.add_perm("awards.manage_notice", rules.is_authenticated & (rules.is_superuser | staffs_notice_unit))
rules.add_perm("awards.view_notice", rules.is_authenticated & (rules.is_superuser | oversees_notice_unit))

# A team's history (履历, awards.history): the staff and auditors of its grassroots union or above.
rules.add_perm("awards.view_team_history", rules.is_authenticated & (rules.is_superuser | oversees_team_union))
