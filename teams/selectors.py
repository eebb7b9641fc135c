"""Reads of teams, scoped to what the reader may see, in pinyin order."""

from django.db.models import Count, Q, QuerySet

from accounts.models import RoleAssignment, UnionUnit, User

from .models import Team

OVERSIGHT = (RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Teams the user leads, and the teams of the grassroots unions in the subtrees they staff or audit."""
    teams = Team.objects.select_related("grassroots_union")
    if user.is_superuser:
        return teams
    in_scope = Q(leaders=user)
    for path in user.scope_paths(*OVERSIGHT):
        in_scope |= Q(grassroots_union__path__startswith=path)
    return teams.filter(pk__in=Team.objects.filter(in_scope).values("pk"))


def team_list(*, user: User, search: str = "", status: str = "", industry: str = "") -> QuerySet[Team]:
    teams = teams_visible_to(user)
    if search:
        teams = teams.filter(Q(name__icontains=search) | Q(enterprise__icontains=search))
    if status:
        teams = teams.filter(status=status)
    if industry:
        teams = teams.filter(industry=industry)
    return teams.annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True))).order_by(
        "name_pinyin", "id"
    )


def teams_led_by(user: User) -> QuerySet[Team]:
    return Team.objects.filter(leaders=user).select_related("grassroots_union").order_by("name_pinyin")


def find_grassroots_union(text: str) -> UnionUnit | None:
    """A grassroots union by its exact code or exact name, if exactly one matches."""
    text = text.strip()
    matches = list(
        UnionUnit.objects.filter(Q(code__iexact=text) | Q(name=text), kind=UnionUnit.Kind.GRASSROOTS, is_active=True)[
            :2
        ]
    )
    return matches[0] if len(matches) == 1 else None
