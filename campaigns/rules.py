"""Who may see and change campaigns: staff of the organising unit or of a unit above it."""

import rules

from accounts.models import RoleAssignment

STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR


@rules.predicate
def is_union_staff(user) -> bool:
    return user.has_role(STAFF)


@rules.predicate
def oversees_campaigns(user) -> bool:
    return user.has_role(STAFF, AUDITOR)


@rules.predicate
def staffs_organiser(user, campaign) -> bool:
    return campaign is not None and user.has_role_over(campaign.organiser, STAFF)


@rules.predicate
def oversees_organiser(user, campaign) -> bool:
    return campaign is not None and user.has_role_over(campaign.organiser, STAFF, AUDITOR)


rules.add_perm("campaigns.list_campaigns", rules.is_authenticated & (rules.is_superuser | oversees_campaigns))
rules.add_perm("campaigns.create_campaign", rules.is_authenticated & (rules.is_superuser | is_union_staff))
rules.add_perm("campaigns.view_campaign", rules.is_authenticated & (rules.is_superuser | oversees_organiser))
rules.add_perm("campaigns.manage_campaign", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
