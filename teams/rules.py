"""Who may see and change a team: its leaders, and the staff of its grassroots union or above."""

import rules

from accounts.models import RoleAssignment

STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR


@rules.predicate
def leads_team(user, team) -> bool:
    return team is not None and team.leaders.filter(pk=user.pk).exists()


@rules.predicate
def staffs_team_union(user, team) -> bool:
    return team is not None and user.has_role_over(team.grassroots_union, STAFF)


@rules.predicate
def oversees_team_union(user, team) -> bool:
    return team is not None and user.has_role_over(team.grassroots_union, STAFF, AUDITOR)


@rules.predicate
def is_union_staff(user) -> bool:
    return user.has_role(STAFF)


@rules.predicate
def oversees_teams(user) -> bool:
    return user.has_role(STAFF, AUDITOR)


rules.add_perm("teams.register_team", rules.is_authenticated)
rules.add_perm("teams.create_team", rules.is_authenticated & (rules.is_superuser | is_union_staff))
rules.add_perm("teams.list_teams", rules.is_authenticated & (rules.is_superuser | oversees_teams))
rules.add_perm("teams.view_team", rules.is_authenticated & (rules.is_superuser | leads_team | oversees_team_union))
rules.add_perm("teams.edit_team", rules.is_authenticated & (rules.is_superuser | leads_team | staffs_team_union))
rules.add_perm("teams.review_team", rules.is_authenticated & (rules.is_superuser | staffs_team_union))


@rules.predicate
def holds_no_union_role(user) -> bool:
    return not user.role_assignment_list()


# The "My teams" entry of the navigation: for people who are not union staff, experts or auditors.
rules.add_perm("teams.own_teams", rules.is_authenticated & holds_no_union_role)
