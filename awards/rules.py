"""Who runs the public notice and the naming: the staff of the organising unit (or above it); who
reads an objector's identity: they and the auditors above the organiser. On a two-level notice
(两级公示) a recommending union's staff publish its own notice and settle its objections, and its
staff and auditors (and those above) read them."""

import rules

from accounts.models import RoleAssignment
from campaigns.rules import oversees_organiser, staffs_organiser
from reviews.rules import staff_unit_ids
from teams.rules import leads_team, oversees_team_union

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

# --- Re-assessment (复核) ----------------------------------------------------------------------------
# The staff of a unit (or above it) start and run its re-assessments; its auditors read them. Each
# level's opinion is given by the staff of the unit where the report waits, and the conclusion by the
# organiser's own staff — a rule, not a permission: not by a superuser. The team's leaders write its
# report (not even a superuser writes it for them); the oversight above its grassroots union reads it.


@rules.predicate
def oversees_reassessment(user, reassessment) -> bool:
    return reassessment is not None and user.has_role_over(reassessment.organiser, STAFF, AUDITOR)


@rules.predicate
def staffs_reassessment(user, reassessment) -> bool:
    return reassessment is not None and user.has_role_over(reassessment.organiser, STAFF)


@rules.predicate
def staffs_reassessment_organiser(user, item) -> bool:
    return item is not None and item.reassessment.organiser_id in staff_unit_ids(user)


@rules.predicate
def staffs_item_unit(user, item) -> bool:
    return item is not None and item.unit_id is not None and item.unit_id in staff_unit_ids(user)


@rules.predicate
def leads_reassessed_team(user, item) -> bool:
    return item is not None and leads_team(user, item.team)


@rules.predicate
def oversees_reassessed_team(user, item) -> bool:
    return item is not None and user.has_role_over(item.team.grassroots_union, STAFF, AUDITOR)


@rules.predicate
def oversees_units(user) -> bool:
    return user.has_role(STAFF, AUDITOR)


@rules.predicate
def is_union_staff(user) -> bool:
    return user.has_role(STAFF)


rules.add_perm("awards.list_reassessments", rules.is_authenticated & (rules.is_superuser | oversees_units))
rules.add_perm("awards.manage_reassessment", rules.is_authenticated & (rules.is_superuser | staffs_unit))
rules.add_perm("awards.view_reassessment", rules.is_authenticated & (rules.is_superuser | oversees_reassessment))
rules.add_perm("awards.run_reassessment", rules.is_authenticated & (rules.is_superuser | staffs_reassessment))
rules.add_perm(
    "awards.view_reassessment_item",
    rules.is_authenticated & (leads_reassessed_team | rules.is_superuser | oversees_reassessed_team),
)
rules.add_perm("awards.view_reassessment_queue", rules.is_authenticated & is_union_staff)
rules.add_rule("awards.write_reassessment_report", rules.is_authenticated & leads_reassessed_team)
rules.add_rule("awards.decide_reassessment", rules.is_authenticated & staffs_item_unit)
rules.add_rule("awards.conclude_reassessment", rules.is_authenticated & staffs_reassessment_organiser)


def may_write_report(user, item) -> bool:
    return rules.test_rule("awards.write_reassessment_report", user, item)


def may_decide_report(user, item) -> bool:
    return rules.test_rule("awards.decide_reassessment", user, item)


def may_conclude(user, item) -> bool:
    return rules.test_rule("awards.conclude_reassessment", user, item)
