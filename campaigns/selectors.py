"""Reads of campaigns: the staff's scoped lists and the public notices."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import RoleAssignment, UnionUnit, User
from core.cache import version_from_sql
from core.choices import choice_labels
from core.rows import ValueRows

from . import generation
from .models import Campaign, Quota


def _ancestor_paths(paths: list[str]) -> set[str]:
    """Every path from the root down to each of `paths` (each path included)."""
    step = UnionUnit.steplen
    return {path[:end] for path in paths for end in range(step, len(path) + 1, step)}


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Campaigns organised by a unit the user staffs or audits, or by one below it; and, once
    published, the campaigns their units take part in (their unit lies inside the campaign's scope,
    or the scope inside their subtree), which they read but do not manage."""
    campaigns = Campaign.objects.select_related("organiser", "scope_unit")
    if user.is_superuser:
        return campaigns
    paths = user.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)
    scope_below = Q(pk__in=[])
    for path in paths:
        scope_below |= Q(scope_unit__path__startswith=path)
    taking_part = ~Q(status=Campaign.Status.DRAFT) & (Q(scope_unit__path__in=_ancestor_paths(paths)) | scope_below)
    return campaigns.filter(organised_below(paths) | taking_part)


def organised_below(paths) -> Q:
    """Campaigns organised by the units at `paths` or by units below them."""
    organised = Q(pk__in=[])
    for path in paths:
        organised |= Q(organiser__path__startswith=path)
    return organised


def unit_takes_part(campaign: Campaign, unit: UnionUnit) -> bool:
    """Whether `unit` recommends in the campaign: it lies inside the scope, or the scope inside it."""
    scope = campaign.scope_unit.path
    return unit.path.startswith(scope) or scope.startswith(unit.path)


@dataclass(frozen=True)
class Participation:
    """How one of the reader's units takes part in a campaign it does not organise."""

    unit: UnionUnit
    quota_unit: UnionUnit | None  # the unit directly below the organiser whose quota applies
    quota: int | None
    deadline: datetime | None  # when this unit must have recommended


def participations(campaign: Campaign, user: User) -> list[Participation]:
    """The reader's own quota and level deadline, for each unit they staff or audit that takes part.
    Two queries (quotas with their units, and the quota units), whatever the number of roles."""
    organiser = campaign.organiser
    units = [
        a.unit
        for a in user.role_assignment_list()
        if a.role in (RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)
        and unit_takes_part(campaign, a.unit)
        and a.unit.path != organiser.path
        and a.unit.path.startswith(organiser.path)
    ]
    if not units:
        return []
    quota_path_length = len(organiser.path) + UnionUnit.steplen
    quota_paths = {unit.path[:quota_path_length] for unit in units}
    quota_units = {u.path: u for u in UnionUnit.objects.filter(path__in=quota_paths)}
    quotas = {q.unit_id: q.max_recommendations for q in campaign.quotas.all()}
    rows = []
    for unit in sorted(units, key=lambda u: u.path):
        quota_unit = quota_units.get(unit.path[:quota_path_length])
        rows.append(
            Participation(
                unit=unit,
                quota_unit=quota_unit,
                quota=quotas.get(quota_unit.pk) if quota_unit else None,
                deadline=campaign.recommendation_deadline_for(unit.kind),
            )
        )
    return rows


def campaign_list(*, user: User, status: str = "", category: str = "", year: int | None = None, search: str = ""):
    campaigns = campaigns_visible_to(user)
    if status:
        campaigns = campaigns.filter(status=status)
    if category:
        campaigns = campaigns.filter(category=category)
    if year:
        campaigns = campaigns.filter(application_opens_at__year=year)
    if search:
        campaigns = campaigns.filter(Q(title__icontains=search) | Q(document_number__icontains=search))
    return campaigns.order_by("-application_opens_at", "-id")


# A row of the staff's campaign list, read as plain values (core.rows), with the scope its counts are
# read by: the notice's body and the rest of the campaign's thirty-odd columns stay in the database.
CAMPAIGN_ROWS = ValueRows(
    Campaign,
    (
        "pk", "title", "document_number", "category", "status", "application_deadline",
        "organiser__name", "organiser__short_name", "scope_unit__path",
    ),
    labelled=("category", "status"),
)  # fmt: skip


def campaign_years(user: User) -> list[int]:
    """The years the user's campaigns opened in, newest first; kept in the process (campaigns.generation)."""
    return generation.kept(user, "years", lambda: _read_years(user))


def _read_years(user: User) -> list[int]:
    return sorted({d.year for d in campaigns_visible_to(user).dates("application_opens_at", "year")}, reverse=True)


def campaign_for_page(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Everything a notice page shows, in a fixed number of queries."""
    return queryset.prefetch_related("criteria", "attachments", "level_deadlines")


def public_notices_version() -> str:
    """Changes whenever a public notice page could change: a notice published, edited, closed or
    cancelled, or an attachment added or removed (each saves the campaign). One query of the
    campaigns."""
    # The table name comes from the model; nothing else is put into the statement.
    return version_from_sql(
        f"SELECT COUNT(*), MAX(updated_at) FROM {Campaign._meta.db_table} WHERE published_at IS NOT NULL"
    )


def public_notices(*, search: str = "") -> QuerySet[Campaign]:
    """Every notice that has been published, including those closed, concluded or cancelled since."""
    notices = Campaign.objects.filter(published_at__isnull=False).select_related("organiser", "scope_unit")
    if search:
        notices = notices.filter(
            Q(title__icontains=search) | Q(document_number__icontains=search) | Q(organiser__name__icontains=search)
        )
    return notices.order_by("-published_at", "-id")


def quota_rows(campaign: Campaign) -> list[tuple[UnionUnit, Quota | None]]:
    """The units directly below the organiser, each with its quota if one is set."""
    quotas = {q.unit_id: q for q in campaign.quotas.all()}
    return [(unit, quotas.get(unit.pk)) for unit in UnionUnit.objects.get_children(campaign.organiser)]


def scope_choices(organiser: UnionUnit) -> QuerySet[UnionUnit]:
    """The organiser and the federations and industry unions below it (grassroots units are too many)."""
    return UnionUnit.objects.filter(path__startswith=organiser.path).exclude(
        Q(kind=UnionUnit.Kind.GRASSROOTS) & ~Q(pk=organiser.pk)
    )


def open_campaigns_for(teams) -> dict[int, list[Campaign]]:
    """Per team, the published campaigns open for applications now whose scope (subtree, industries)
    admits it, soonest deadline first; one query for all the teams."""
    teams = list(teams)
    ancestor_paths = {
        union.path[:end]
        for union in (team.grassroots_union for team in teams)
        for end in range(union.steplen, len(union.path) + 1, union.steplen)
    }
    now = timezone.now()
    candidates = list(
        Campaign.objects.filter(
            status=Campaign.Status.PUBLISHED,
            application_opens_at__lte=now,
            application_deadline__gt=now,
            scope_unit__path__in=ancestor_paths,
        )
        .select_related("scope_unit")
        # A list of open campaigns shows titles and deadlines; the scope decides which team may apply.
        .only("title", "application_deadline", "industries", "scope_unit__path")
        .order_by("application_deadline")
    )
    # Industries are filtered here rather than in SQL: SQLite (the embedded run) cannot query inside JSON lists.
    return {
        team.pk: [c for c in candidates if campaign_admits(c, team.grassroots_union, team.industry)] for team in teams
    }


def campaign_admits(campaign: Campaign, union: UnionUnit, industry: str) -> bool:
    """Whether the campaign's scope (its subtree and industries) admits a team of `union` and `industry`."""
    return union.path.startswith(campaign.scope_unit.path) and (
        not campaign.industries or industry in campaign.industries
    )


def application_counts(campaigns, *, reader: User) -> dict[int, list[tuple[str, str, int]]]:
    """Per campaign, how many applications of the reader's subtrees are in each state, as
    (status, label, count): a city taking part in the province's campaign counts its own.

    Where the reader oversees a campaign's whole scope (every application of a campaign comes from
    inside it), the counts are the campaign's stored tallies; otherwise the reader's own applications
    are counted on the (campaign, union path) index. Applications and their tallies belong to the
    teams app, above this one; they are reached through reverse relations, without importing it."""
    application = Campaign._meta.get_field("applications").related_model
    tally = Campaign._meta.get_field("application_tallies").related_model
    labels = choice_labels(application._meta.get_field("status"), get_language())  # translated once per language
    order = {status: place for place, status in enumerate(labels)}
    paths = reader.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)
    whole = [c.pk for c in campaigns if reader.is_superuser or any(c.scope_unit.path.startswith(p) for p in paths)]
    part = [c.pk for c in campaigns if c.pk not in whole]
    rows = list(tally.objects.filter(campaign__in=whole, count__gt=0).values_list("campaign_id", "status", "count"))
    if part:
        in_subtrees = Q(pk__in=[])
        for path in paths:
            in_subtrees |= Q(union_path__startswith=path)  # the application's copy of its union's path
        rows += (
            application.objects.filter(in_subtrees, campaign__in=part)
            .values_list("campaign_id", "status")
            .annotate(count=Count("*"))
            .order_by()
        )
    counts: dict[int, list[tuple[str, str, int]]] = {}
    for campaign_id, status, count in sorted(rows, key=lambda row: order.get(row[1], 99)):
        counts.setdefault(campaign_id, []).append((status, labels.get(status, status), count))
    return counts
