"""Reads of campaigns: the staff's scoped lists and the public notices."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import RoleAssignment, UnionUnit, User

from .models import Campaign, Quota


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """Campaigns organised by a unit the user staffs or audits, or by one below it."""
    campaigns = Campaign.objects.select_related("organiser", "scope_unit")
    if user.is_superuser:
        return campaigns
    paths = user.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR)
    in_scope = Q(pk__in=[])
    for path in paths:
        in_scope |= Q(organiser__path__startswith=path)
    return campaigns.filter(in_scope)


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


def campaign_years(user: User) -> list[int]:
    return sorted({d.year for d in campaigns_visible_to(user).dates("application_opens_at", "year")}, reverse=True)


def campaign_for_page(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Everything a notice page shows, in a fixed number of queries."""
    return queryset.prefetch_related("criteria", "attachments", "level_deadlines")


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
        .select_related("organiser", "scope_unit")
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


def application_counts(campaigns) -> dict[int, list[tuple[str, str, int]]]:
    """Per campaign, how many applications are in each state, as (status, label, count).

    Applications belong to the teams app, above this one; they are reached through the reverse
    relation so that this module does not import it."""
    application = Campaign._meta.get_field("applications").related_model
    labels = dict(application._meta.get_field("status").flatchoices)
    order = list(labels)
    rows = (
        application.objects.filter(campaign__in=[c.pk for c in campaigns])
        .values_list("campaign_id", "status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[int, list[tuple[str, str, int]]] = {}
    for campaign_id, status, count in sorted(rows, key=lambda row: order.index(row[1]) if row[1] in order else 99):
        counts.setdefault(campaign_id, []).append((status, str(labels.get(status, status)), count))
    return counts
