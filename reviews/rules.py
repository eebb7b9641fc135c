"""Who decides in the chain: the staff of the unit where the application waits, and no one else —
not the staff above it (they decide when it reaches them), not auditors, experts or superusers."""

import rules

from accounts.models import RoleAssignment
from campaigns.rules import oversees_organiser, staffs_organiser

STAFF = RoleAssignment.Role.STAFF


def staff_unit_ids(user) -> list[int]:
    """The units the user is staff of (their own units, not the subtrees below them)."""
    return [a.unit_id for a in user.role_assignment_list() if a.role == STAFF]


@rules.predicate
def staffs_waiting_unit(user, recommendation) -> bool:
    return recommendation is not None and recommendation.unit_id in staff_unit_ids(user)


@rules.predicate
def is_union_staff(user) -> bool:
    return user.has_role(STAFF)


rules.add_rule("reviews.decide", rules.is_authenticated & staffs_waiting_unit)
rules.add_perm("reviews.view_queue", rules.is_authenticated & is_union_staff)
rules.add_perm("reviews.extend_deadline", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
rules.add_perm("reviews.view_progress", rules.is_authenticated & (rules.is_superuser | oversees_organiser))


def may_decide(user, recommendation) -> bool:
    # A rule, not a permission: Django lets superusers pass every `has_perm`.
    return rules.test_rule("reviews.decide", user, recommendation)


# --- The expert review -------------------------------------------------------------------------

EXPERT = RoleAssignment.Role.EXPERT


@rules.predicate
def is_expert(user) -> bool:
    return user.has_role(EXPERT)


@rules.predicate
def is_assigned_expert(user, assignment) -> bool:
    return assignment is not None and assignment.expert_id == user.pk and user.has_role(EXPERT)


# The organiser's staff (and those above them) run the review; the oversight above reads its ranking.
rules.add_perm("reviews.manage_review", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
rules.add_perm("reviews.view_ranking", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
rules.add_perm("reviews.view_my_reviews", rules.is_authenticated & is_expert)
# A rule, not a permission: only the expert the review is assigned to scores it, never a superuser.
rules.add_rule("reviews.score", rules.is_authenticated & is_assigned_expert)


def may_score(user, assignment) -> bool:
    return rules.test_rule("reviews.score", user, assignment)
