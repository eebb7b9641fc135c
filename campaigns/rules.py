"""Who may see and change campaigns: staff of the organising unit or of a unit above it manage them;
staff and auditors of the units taking part read them once published."""

import rules

from accounts.models import RoleAssignment

from .selectors import unit_takes_part

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


@rules.predicate
def takes_part_in(user, campaign) -> bool:
    """Staff and auditors of a unit inside a published campaign's scope read it (not its drafts)."""
    if campaign is None or campaign.status == campaign.Status.DRAFT:
        return False
    return any(a.role in (STAFF, AUDITOR) and unit_takes_part(campaign, a.unit) for a in user.role_assignment_list())


rules.add_perm("campaigns.list_campaigns", rules.is_authenticated & (rules.is_superuser | oversees_campaigns))
rules.add_perm("campaigns.create_campaign", rules.is_authenticated & (rules.is_superuser | is_union_staff))
rules.add_perm(
    "campaigns.view_campaign", rules.is_authenticated & (rules.is_superuser | oversees_organiser | takes_part_in)
)
rules.add_perm("campaigns.manage_campaign", rules.is_authenticated & (rules.is_superuser | staffs_organiser))
