"""Who may see and change a team: its leaders, and the staff of its grassroots union or above."""

import rules

from accounts.models import RoleAssignment

STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR


@rules.predicate
def leads_team(user, team) -> bool:
    """Whether `user` leads `team`; asked once per team object and user (a page asks it several times)."""
    if team is None:
        return False
    answers = team.__dict__.setdefault("_leads_team", {})
    if user.pk not in answers:
        answers[user.pk] = team.leaders.filter(pk=user.pk).exists()
    return answers[user.pk]


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


# Applications: the team's leaders write them; once submitted, the staff and auditors above the
# team's grassroots union read them (a draft is the team's own business until it is submitted).
@rules.predicate
def leads_applying_team(user, application) -> bool:
    return application is not None and leads_team(user, application.team)


@rules.predicate
def is_submitted(user, application) -> bool:
    return application is not None and application.status != application.Status.DRAFT


@rules.predicate
def oversees_applying_team(user, application) -> bool:
    return application is not None and oversees_team_union(user, application.team)


# Writing an application is the team leader's own act: not even a superuser writes it for them.
# Django lets superusers pass every `has_perm`, so these are checked with `may_write_application`.
rules.add_rule("teams.apply_for_team", rules.is_authenticated & leads_team)
rules.add_rule("teams.edit_application", rules.is_authenticated & leads_applying_team)
rules.add_perm("teams.apply_for_team", rules.is_authenticated & leads_team)
rules.add_perm(
    "teams.view_application",
    rules.is_authenticated & (leads_applying_team | (is_submitted & (rules.is_superuser | oversees_applying_team))),
)
rules.add_perm("teams.edit_application", rules.is_authenticated & leads_applying_team)
rules.add_perm("teams.list_applications", rules.is_authenticated & (rules.is_superuser | oversees_teams))


def may_apply_for(user, team) -> bool:
    return rules.test_rule("teams.apply_for_team", user, team)


def may_write_application(user, application) -> bool:
    return rules.test_rule("teams.edit_application", user, application)
