"""Reads of teams, scoped to what the reader may see, in pinyin order."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, UnionUnit, User
from accounts.unit_names import display_names
from campaigns import generation
from campaigns.models import Campaign
from campaigns.selectors import campaigns_visible_to, open_campaigns_for
from core.choices import choice_labels
from core.rows import ValueRows
from core.search import sort_key
from core.urls import reverse_fast

from .models import Application, ApplicationTally, LedgerEntry, Team
from .transitions import leader_next_step

# A draft is "close to its deadline" this many days before the application deadline.
DRAFT_DUE_DAYS = 7

OVERSIGHT = (RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)


def in_subtrees(paths: list[str], field: str = "union_path") -> Q:
    """Rows whose union path lies in one of the subtrees: an index range each (Team.union_path and
    Application.union_path are copies of the grassroots union's path)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def _led_by(user: User) -> Q:
    return Q(pk__in=Team.leaders.through.objects.filter(user=user).values("team_id"))


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Teams the user leads, and the teams of the grassroots unions in the subtrees they staff or audit."""
    teams = Team.objects.select_related("grassroots_union")
    if user.is_superuser:
        return teams
    return teams.filter(_led_by(user) | in_subtrees(user.scope_paths(*OVERSIGHT)))


def drafts_due(now=None) -> QuerySet[Application]:
    """Unsubmitted drafts of campaigns still open whose application deadline is near."""
    now = now or timezone.now()
    return Application.objects.filter(
        status=Application.Status.DRAFT,
        campaign__status=Campaign.Status.PUBLISHED,
        campaign__application_deadline__gt=now,
        campaign__application_deadline__lte=now + timedelta(days=DRAFT_DUE_DAYS),
    )


def teams_in_scope(user: User) -> QuerySet[Team]:
    """The teams of the subtrees the user staffs or audits: the staff's list. (A staff member's own
    team outside their scope is theirs to open, through teams_visible_to, not a row of that list.)
    Without the "or leads it" of teams_visible_to, the list and its count are one index range."""
    teams = Team.objects.select_related("grassroots_union")
    if user.is_superuser:
        return teams
    return teams.filter(in_subtrees(user.scope_paths(*OVERSIGHT)))


def team_list(
    *, user: User, search: str = "", status: str = "", industry: str = "", draft_due: bool = False
) -> QuerySet[Team]:
    teams = teams_in_scope(user)
    if search:
        teams = teams.filter(Q(name__icontains=search) | Q(enterprise__icontains=search))
    if status:
        teams = teams.filter(status=status)
    if industry:
        teams = teams.filter(industry=industry)
    if draft_due:
        teams = teams.filter(Exists(drafts_due().filter(team=OuterRef("pk"))))
    return teams.order_by(sort_key("name_pinyin", search).asc(), "id")


@dataclass(frozen=True, slots=True)
class TeamRow:
    """A row of the team list, read as plain values: a page of fifty team instances with deferred
    fields and their fifty unions took about 1 ms of CPU more to read, build and render (3.6 against
    2.6 ms, README "What changed since the run at 9fe0e26")."""

    pk: int
    name: str
    enterprise: str
    union: str  # the grassroots union's display name
    industry: str  # the label
    member_count: int
    status: str
    status_label: str

    def get_absolute_url(self) -> str:
        return reverse_fast("teams:detail", self.pk)


# What a row of the team list reads of a team (the description and the rest stay in the database).
TEAM_ROW_FIELDS = ("pk", "name", "enterprise", "industry", "member_count", "status", "grassroots_union_id")


def for_team_list(teams: QuerySet[Team]) -> QuerySet:
    """The values of the teams' rows, their unions' names apart (`team_rows`)."""
    return teams.select_related(None).values_list(*TEAM_ROW_FIELDS)


def team_rows(values: Iterable[tuple], *, user: User) -> list[TeamRow]:
    """A page of `for_team_list` as rows, with each team's union named apart, for the page's rows
    alone (accounts.unit_names: kept in the process, else a second query): joined, a search's matches
    were hashed against every union of the province (40,000 of them, 20 ms) before the page's 50 rows
    were taken."""
    values = list(values)
    unions = display_names({v[-1] for v in values}, user=user)
    language = get_language()
    industries = choice_labels(Team._meta.get_field("industry"), language)
    statuses = choice_labels(Team._meta.get_field("status"), language)
    return [
        TeamRow(
            pk=pk,
            name=name,
            enterprise=enterprise,
            union=unions.get(union_id, ""),
            industry=industries.get(industry, industry),
            member_count=member_count,
            status=status,
            status_label=statuses.get(status, status),
        )
        for pk, name, enterprise, industry, member_count, status, union_id in values
    ]


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


def grassroots_union_suggestions(text: str, limit: int = 5) -> list[UnionUnit]:
    """Active grassroots unions whose code or name contains `text`, for "did you mean…"."""
    text = text.strip()
    if not text:
        return []
    return list(
        UnionUnit.objects.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(enterprise__icontains=text),
            kind=UnionUnit.Kind.GRASSROOTS,
            is_active=True,
        ).order_by("code")[:limit]
    )


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
    in_scope = in_subtrees(user.scope_paths(*OVERSIGHT)) & ~Q(status=Application.Status.DRAFT)
    led = Q(team_id__in=Team.leaders.through.objects.filter(user=user).values("team_id"))
    return applications.filter(in_scope | led)


def applications_in_scope(user: User):
    """The submitted applications of the teams in the user's subtrees: the staff's list and export
    (their own team's application, if they lead one, they reach as its leader)."""
    applications = Application.objects.select_related("team__grassroots_union", "campaign").exclude(
        status=Application.Status.DRAFT
    )
    if user.is_superuser:
        return applications
    return applications.filter(in_subtrees(user.scope_paths(*OVERSIGHT)))


def application_list(*, user: User, campaign: int | None = None, status: str = "", search: str = ""):
    applications = applications_in_scope(user)
    if campaign:
        applications = applications.filter(campaign_id=campaign)
    if status:
        applications = applications.filter(status=status)
    if search:
        applications = applications.filter(Q(team__name__icontains=search) | Q(team__enterprise__icontains=search))
    # By team in pinyin order (Application.team_sort, an index), the newest campaign first.
    return applications.order_by(sort_key("team_sort", search).asc(), "team_id", "-campaign_id", "id")


# A row of the application list, read as plain values (core.rows): the long texts (summary, account,
# the notice's body) stay in the database, and the teams come apart (`application_rows`).
APPLICATION_ROWS = ValueRows(
    Application, ("pk", "status", "version", "submitted_at", "campaign__title", "team_id"), labelled=("status",)
)


def application_page(
    applications: QuerySet[Application], number, *, user: User, known_count: int | None = None
) -> Page:
    """A page of the application list, each row with its `team` (name, enterprise and its grassroots
    union's name) read in a second query for the page's teams alone, the unions named from memory
    (accounts.unit_names). Joined in the page's query, PostgreSQL 15 planned the two joins as Memoize
    nodes sized for every application of the campaign (tens of thousands) before the page's 50 rows
    were taken: 3 ms to run instead of 1. `known_count`: see `stored_count`."""
    page = APPLICATION_ROWS.page(applications, number, known_count=known_count)
    rows = page.object_list
    teams = {
        pk: (name, enterprise, union_id)
        for pk, name, enterprise, union_id in Team.objects.filter(pk__in={row.team_id for row in rows}).values_list(
            "pk", "name", "enterprise", "grassroots_union_id"
        )
    }
    unions = display_names({union_id for _name, _enterprise, union_id in teams.values()}, user=user)
    for row in rows:
        name, enterprise, union_id = teams.get(row.team_id, ("", "", None))
        row.team = SimpleNamespace(name=name, enterprise=enterprise, union=unions.get(union_id, ""))
    return page


def with_reader_view(applications: QuerySet[Application], user: User) -> QuerySet[Application]:
    """The applications with what `content.summary_for_reader` needs besides their own columns, in
    the same query: `reader_writes`, whether the reader leads the team."""
    return applications.annotate(reader_writes=Exists(Team.objects.filter(pk=OuterRef("team_id"), leaders=user)))


def application_campaign_choices(user: User) -> list[tuple[int, str]]:
    """(pk, title) of `application_campaigns`: the choices of the list's filter."""
    return [(pk, title) for pk, title, _scope in _application_campaign_rows(user)]


def _application_campaign_rows(user: User) -> list[tuple[int, str, str]]:
    """(pk, title, path of the scope unit) of `application_campaigns`, kept in the process
    (campaigns.generation)."""
    return generation.kept(
        user,
        "application_campaigns",
        lambda: list(application_campaigns(user).values_list("pk", "title", "scope_unit__path")),
    )


def stored_count(*, user: User, campaign: int | None, status: str = "", search: str = "") -> int | None:
    """How many applications `application_list` gives, from the campaign's stored tallies
    (ApplicationTally) instead of a count of its rows, where the tallies count exactly those: one
    campaign, no search, and a reader who oversees the campaign's whole scope (every application of a
    campaign comes from inside it). None otherwise. The same numbers as the campaign list shows."""
    if not campaign or search:
        return None
    scope = next((path for pk, _title, path in _application_campaign_rows(user) if pk == campaign), None)
    if scope is None or not (user.is_superuser or any(scope.startswith(path) for path in user.scope_paths(*OVERSIGHT))):
        return None
    # A campaign has a tally per state, a handful of rows: summed here, cheaper than an aggregate.
    tallies = ApplicationTally.objects.filter(campaign_id=campaign).values_list("status", "count")
    return sum(n for state, n in tallies if state != Application.Status.DRAFT and (not status or state == status))


def application_campaigns(user: User):
    """The published campaigns the user sees, newest first: the choices of the list's filter (a
    campaign with no application yet still filters to an empty list, not to every application)."""
    return (
        campaigns_visible_to(user)
        .exclude(status=Campaign.Status.DRAFT)
        .select_related(None)
        .only("pk", "title")
        .order_by("-application_opens_at", "-id")
    )


# What the leader's home shows of a team and of an application: building the SQL for every column of
# three models took as long as running it.
LEADER_HOME_TEAM_FIELDS = (
    "name", "name_pinyin", "status", "enterprise", "industry", "reject_reason",
    "grassroots_union__name", "grassroots_union__path",
)  # fmt: skip
LEADER_HOME_APPLICATION_FIELDS = (
    "team", "campaign", "status", "first_decision_at", "return_reason", "team__name", "team__name_pinyin",
    "campaign__title", "campaign__application_deadline", "campaign__recommendation_deadline",
)  # fmt: skip


def applications_of_leader(user: User):
    """The applications of the teams the user leads, with their teams and campaigns: the states,
    titles and deadlines the leader's home shows, and nothing more."""
    return (
        Application.objects.filter(team__leaders=user)
        .select_related("team", "campaign")
        .only(*LEADER_HOME_APPLICATION_FIELDS)
        .order_by("-campaign__application_deadline", "team__name_pinyin")
    )


# --- Homes ------------------------------------------------------------------------------------


@dataclass
class LeaderHome:
    """What a team leader meets first: returned applications, then each team with its applications
    and the campaigns it may apply to."""

    teams: list[Team]
    returned: list[Application]
    applications: list[Application] = field(default_factory=list)


def leader_home(user: User) -> LeaderHome:
    """Four queries whatever the number of teams: teams, applications, open campaigns, and nothing
    per team (each team's lists are assembled in memory)."""
    teams = list(teams_led_by(user).only(*LEADER_HOME_TEAM_FIELDS))
    applications = list(applications_of_leader(user))
    for application in applications:
        application.next_step = leader_next_step(application)
    open_campaigns = open_campaigns_for(t for t in teams if t.status == Team.Status.APPROVED)
    for team in teams:
        team.my_applications = [a for a in applications if a.team_id == team.pk]
        # A campaign the team has applied to shows once, with its application above.
        started = {a.campaign_id for a in team.my_applications}
        team.open_campaigns = [c for c in open_campaigns.get(team.pk, []) if c.pk not in started]
    returned = [a for a in applications if a.status == Application.Status.RETURNED]
    return LeaderHome(teams=teams, returned=returned, applications=applications)


@dataclass(frozen=True)
class WaitingItem:
    """A count of things waiting for a staff member, linking to the list that shows them."""

    label: Promise
    count: int
    url: str
    icon: str


def staff_waiting(user: User) -> list[WaitingItem]:
    """What waits for union staff in the subtrees they staff: one count query per item."""
    paths = user.scope_paths(RoleAssignment.Role.STAFF)
    if not paths and not user.is_superuser:
        return []

    in_scope = Q() if user.is_superuser else in_subtrees(paths)

    teams = reverse("teams:list")
    return [
        WaitingItem(
            _("Teams awaiting approval"),
            Team.objects.filter(in_scope, status=Team.Status.PENDING).count(),
            f"{teams}?{urlencode({'status': Team.Status.PENDING})}",
            "person-check",
        ),
        WaitingItem(
            _("Teams with a draft due within %(days)s days") % {"days": DRAFT_DUE_DAYS},
            drafts_due().filter(in_scope).values("team").distinct().count(),
            f"{teams}?{urlencode({'applications': 'draft_due'})}",
            "hourglass-split",
        ),
    ]
