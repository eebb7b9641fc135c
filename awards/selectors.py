"""Reads of the naming: the titles a decision's certificates print and its latest ZIP; and the
registry of named teams (命名班组名录), shared by its pages and its exports: every title
filtered and searched on the title's own columns (as they stood on the day of the decision), never
through the teams — a province's ten thousand titles are one table."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from accounts.models import RoleAssignment, User
from campaigns import generation
from campaigns.models import Campaign
from campaigns.selectors import organised_below
from core.cache import version_from_sql
from core.search import sort_key
from teams.models import pinyin_key
from teams.selectors import applications_visible_to

from .models import CertificateBundle, NamingDecision, Revocation, Title
from .search import search_query

NAMED = Title.State.NAMED
REVOKED = Title.State.REVOKED
STAFF = RoleAssignment.Role.STAFF
AUDITOR = RoleAssignment.Role.AUDITOR

# A title's state as the registry says it (已命名 / 已摘牌).
STATE_LABELS = dict(Title.State.choices)

# What a row of the registry shows, and no more (a decision's text and a campaign's body stay in
# the database).
REGISTRY_FIELDS = (
    "team_id", "application_id", "certificate_number", "state", "team_name", "enterprise", "region",
    "industry", "year", "level", "revoked_on", "revocation_reason",
    "decision__id", "decision__document_number", "decision__decided_on", "decision__title",
    "decision__campaign__id", "decision__campaign__title", "decision__campaign__category",
)  # fmt: skip


@dataclass(frozen=True)
class RegistryFilters:
    """What the registry is narrowed to; an empty value leaves the column unfiltered."""

    search: str = ""
    region: str = ""
    industry: str = ""
    year: int | None = None
    level: str = ""
    category: str = ""
    state: str = ""


def registry_version_columns() -> tuple[str, list]:
    """The columns of the registry's version (see registry_version) for a SELECT, with their
    parameters: a page that shows more than the registry adds its own columns to the same query."""
    decisions, titles = NamingDecision._meta.db_table, Title._meta.db_table
    return (
        # The table names come from the models; the only values are parameters.
        f"(SELECT COUNT(*) FROM {decisions}), (SELECT MAX(issued_at) FROM {decisions}), "
        f"(SELECT COUNT(*) FROM {titles} WHERE state = %s), (SELECT SUM(id) FROM {titles} WHERE state = %s)",
        [REVOKED, REVOKED],
    )


def registry_version() -> str:
    """Changes whenever the registry's pages could: teams named (titles are made only by a naming
    decision: one more decision, or a later one) or a title changing state (the revoked titles, by
    number and by which). One query of the decisions, with the revoked titles read from their
    partial index (`title_revoked`) — never a scan of every title."""
    columns, params = registry_version_columns()
    return version_from_sql(f"SELECT {columns}", params)


def registry_titles(filters: RegistryFilters | None = None) -> QuerySet[Title]:
    """The named titles, newest year first, then in pinyin order of the team's name. The search
    matches any part of the team's name or enterprise, in characters, pinyin or pinyin initials."""
    filters = filters or RegistryFilters()
    titles = Title.objects.select_related("decision__campaign").only(*REGISTRY_FIELDS)
    query = search_query(filters.search)
    if query:
        # icontains: the trigram index is on UPPER(search_text) (awards/migrations/0003).
        titles = titles.filter(search_text__icontains=query)
    if filters.region:
        titles = titles.filter(region=filters.region)
    if filters.industry:
        titles = titles.filter(industry=filters.industry)
    if filters.year:
        titles = titles.filter(year=filters.year)
    if filters.level:
        titles = titles.filter(level=filters.level)
    if filters.category:
        titles = titles.filter(decision__campaign__category=filters.category)
    if filters.state:
        titles = titles.filter(state=filters.state)
    return titles.order_by("-year", sort_key("team_sort", query).asc(), "id")


@dataclass(frozen=True)
class RegistryFacets:
    """The years (newest first) and regions (in pinyin order) the registry has titles in — its
    filters' choices — and its figures: titles conferred, standing and revoked, in all and per year."""

    years: list[int]
    regions: list[str]
    figures: dict


def registry_facets() -> RegistryFacets:
    """One grouped query of the titles' own columns: a few hundred rows at most, whatever the number
    of titles."""
    rows = Title.objects.order_by().values_list("year", "region", "state").annotate(n=Count("id"))
    regions: set[str] = set()
    per_year: dict[int, dict[str, int]] = {}
    for year, region, state, n in rows:
        if region:
            regions.add(region)
        counts = per_year.setdefault(year, {NAMED: 0, REVOKED: 0})
        counts[state] = counts.get(state, 0) + n
    by_year = [
        {"year": year, "named": counts[NAMED], "revoked": counts[REVOKED], "total": counts[NAMED] + counts[REVOKED]}
        for year, counts in sorted(per_year.items(), reverse=True)
    ]
    named = sum(row["named"] for row in by_year)
    revoked = sum(row["revoked"] for row in by_year)
    return RegistryFacets(
        years=[row["year"] for row in by_year],
        regions=sorted(regions, key=pinyin_key),
        figures={"named": named, "revoked": revoked, "total": named + revoked, "by_year": by_year},
    )


def team_titles(team_id: int) -> list[Title]:
    """A team's honours over the years: its titles, newest decision first."""
    return list(
        Title.objects.filter(team_id=team_id)
        .select_related("decision__campaign")
        .only(*REGISTRY_FIELDS)
        .order_by("-decision__decided_on", "-id")
    )


def readable_applications(user: User, application_ids: list[int]) -> set[int]:
    """Which of the applications the user may open (the application's page: its leaders, and once
    submitted — a named team's always is — the staff and auditors above its grassroots union). One
    query for a whole page of titles; none for a visitor who is not signed in."""
    if not user.is_authenticated or not application_ids:
        return set()
    return set(applications_visible_to(user).filter(pk__in=application_ids).values_list("pk", flat=True))


def named_titles(decision: NamingDecision) -> QuerySet[Title]:
    """The decision's titles that still stand (not revoked), in certificate-number order, with what a
    certificate prints."""
    return (
        Title.objects.filter(decision=decision, state=Title.State.NAMED)
        .select_related("team", "decision__campaign__organiser")
        .order_by("certificate_number")
    )


def latest_bundle(decision: NamingDecision) -> CertificateBundle | None:
    return (
        CertificateBundle.objects.filter(decision=decision)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )


def revocations_visible_to(user: User) -> QuerySet[Revocation]:
    """The revocations of titles conferred by a unit the user staffs or audits (or one below it)."""
    revocations = Revocation.objects.all()
    if user.is_superuser:
        return revocations
    paths = user.scope_paths(STAFF, AUDITOR)
    if not paths:
        return revocations.none()
    # The campaigns those units organised, kept in the process (campaigns.generation): the list's
    # queries join three tables instead of five, and PostgreSQL plans them in half the time.
    return revocations.filter(title__decision__campaign_id__in=organised_campaigns(user))


def organised_campaigns(user: User) -> list[int]:
    """The ids of the campaigns organised by the units the user staffs or audits, or below them."""

    def read() -> list[int]:
        match = organised_below(user.scope_paths(STAFF, AUDITOR))
        return list(Campaign.objects.filter(match).order_by("pk").values_list("pk", flat=True))

    return generation.kept(user, "organised", read)
