"""Reads of teams, scoped to what the reader may see, in pinyin order."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from accounts.models import RoleAssignment, UnionUnit, User
from campaigns.models import Campaign

from .models import Application, ApplicationVersion, LedgerEntry, Team

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


def ledger_entries(team: Team, *, kind: str = "", year: int | None = None) -> QuerySet[LedgerEntry]:
    """The team's ledger, latest first, each entry with its attachments."""
    entries = LedgerEntry.objects.filter(team=team).prefetch_related("attachments")
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(occurred_on__year=year)
    return entries.order_by("-occurred_on", "-id")


def ledger_years(team: Team) -> list[int]:
    """The years the team's ledger has entries in, latest first (the choices of the year filter)."""
    return [day.year for day in LedgerEntry.objects.filter(team=team).dates("occurred_on", "year", order="DESC")]


def find_grassroots_union(text: str) -> UnionUnit | None:
    """A grassroots union by its exact code or exact name, if exactly one matches."""
    text = text.strip()
    matches = list(
        UnionUnit.objects.filter(Q(code__iexact=text) | Q(name=text), kind=UnionUnit.Kind.GRASSROOTS, is_active=True)[
            :2
        ]
    )
    return matches[0] if len(matches) == 1 else None


# --- Applications -----------------------------------------------------------------------------


def applications_visible_to(user: User):
    """The user's own teams' applications, and the submitted applications of the teams in the
    subtrees they staff or audit (a draft stays the team's own until it is submitted)."""
    applications = Application.objects.select_related("team__grassroots_union", "campaign")
    if user.is_superuser:
        return applications.exclude(status=Application.Status.DRAFT)
    in_scope = Q(pk__in=[])
    for path in user.scope_paths(*OVERSIGHT):
        in_scope |= Q(team__grassroots_union__path__startswith=path)
    in_scope &= ~Q(status=Application.Status.DRAFT)
    return applications.filter(in_scope | Q(team__in=Team.objects.filter(leaders=user)))


def application_list(*, user: User, campaign: int | None = None, status: str = "", search: str = ""):
    applications = applications_visible_to(user)
    if campaign:
        applications = applications.filter(campaign_id=campaign)
    if status:
        applications = applications.filter(status=status)
    if search:
        applications = applications.filter(Q(team__name__icontains=search) | Q(team__enterprise__icontains=search))
    return applications.order_by("team__name_pinyin", "team_id", "-campaign__application_opens_at", "id")


def with_reader_view(applications: QuerySet[Application], user: User) -> QuerySet[Application]:
    """The applications with what `content.summary_for_reader` needs, in the same query:
    `reader_writes` (the reader leads the team) and `submitted_summary` (the latest submitted
    version's summary; NULL when the application was never submitted)."""
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return applications.annotate(
        reader_writes=Exists(Team.objects.filter(pk=OuterRef("team_id"), leaders=user)),
        submitted_summary=Subquery(latest.values(text=KT("content__summary"))[:1]),
    )


def application_campaigns(user: User):
    """The campaigns the user's visible applications belong to, newest first (for the filter)."""
    return Campaign.objects.filter(pk__in=applications_visible_to(user).values("campaign_id")).order_by(
        "-application_opens_at", "-id"
    )


def applications_of_leader(user: User):
    return (
        Application.objects.filter(team__leaders=user)
        .select_related("team", "campaign")
        .order_by("-campaign__application_deadline", "team__name_pinyin")
    )
