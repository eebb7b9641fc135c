"""Reads of the expert review: an expert's assignments, the organiser's assignment overview and
progress, the ranking (page and export alike), and what an expert may read of an application."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import UnionUnit, User
from campaigns.models import Campaign, Criterion
from core.rows import ValueRows
from teams.selectors import WaitingItem

from ..models import ACTIVE_ASSIGNMENT_STATES, DONE_STATES, Assignment, PanelMember, ReviewResult

A = Assignment.State
R = ReviewResult.State

OPEN_STATES = (A.ASSIGNED, A.STARTED)


def my_assignments(user: User) -> QuerySet[Assignment]:
    """The expert's reviews: those still to do first, then the newest campaign first, each campaign's
    in the order its applications were accepted (the index `assignment_expert_list`)."""
    return (
        Assignment.objects.filter(expert=user, state__in=[*ACTIVE_ASSIGNMENT_STATES, A.DECLINED])
        .select_related("campaign", "result__application__team")
        .only(*MY_FIELDS)
        .annotate(done=ExpressionWrapper(Q(state__in=DONE_STATES), output_field=BooleanField()))
        .order_by("done", "-campaign_id", "result_id", "pk")
    )


def reviews_to_do(user: User, *, limit: int = 5) -> list[Assignment]:
    """The expert's home: the first reviews they still owe, with each campaign's review window."""
    return list(my_assignments(user).filter(state__in=OPEN_STATES, result__state=R.REVIEWING)[:limit])


# A row of the expert's list: the long texts of the campaign and of the application stay behind.
MY_FIELDS = (
    "state", "assigned_at", "submitted_at", "total", "vetoed", "campaign_id", "result_id",
    "campaign__title", "campaign__review_starts_on", "campaign__review_ends_on", "campaign__blind_review",
    "campaign__status", "result__code", "result__state", "result__application_id",
    "result__application__team__name", "result__application__team__enterprise",
)  # fmt: skip


# The same rows on the expert's list, read as plain values (core.rows): `done` is my_assignments' own.
MY_ROWS = ValueRows(
    Assignment,
    (
        "pk", "state", "total", "vetoed", "done", "campaign__title", "campaign__review_starts_on",
        "campaign__review_ends_on", "campaign__blind_review", "result__code", "result__application__team__name",
        "result__application__team__enterprise",
    ),
    labelled=("state",),
)  # fmt: skip


def expert_waiting(user: User) -> list[WaitingItem]:
    """The expert's home: how many reviews they still owe (one query), linking to their list."""
    if not user.has_role("expert"):
        return []
    count = Assignment.objects.filter(expert=user, state__in=OPEN_STATES, result__state=R.REVIEWING).count()
    return [WaitingItem(_("Reviews to score and submit"), count, reverse("reviews:my_reviews"), "clipboard-check")]


def criteria_of(campaign: Campaign) -> list[Criterion]:
    return list(campaign.criteria.order_by("order", "id"))


def ranking(campaign: Campaign, *, unit: int | None = None) -> QuerySet[ReviewResult]:
    """The campaign's reviewed applications by rank, the unranked (no review in yet, vetoed, excluded)
    after them; optionally those a given unit recommended."""
    results = ReviewResult.objects.filter(campaign=campaign).select_related("application__team", "recommended_by")
    if unit:
        results = results.filter(recommended_by_id=unit)
    return results.only(*RANKING_FIELDS).order_by(F("rank").asc(nulls_last=True), "team_sort", "pk")


RANKING_FIELDS = (
    "code", "rank", "total", "criterion_scores", "reviews_done", "reviews_assigned", "spread", "vetoes",
    "state", "shortlist_reason", "excluded_reason", "application_id", "recommended_by_id", "campaign_id",
    "application__team__name", "application__team__enterprise", "recommended_by__name",
    "recommended_by__short_name",
)  # fmt: skip


def recommending_units(campaign: Campaign) -> list[tuple[int, str]]:
    """The units that recommended applications to the organiser, in tree order: the ranking's filter.

    A few dozen units among thousands of results: the distinct units are found by stepping through
    the index (campaign, recommended_by) from one unit to the next — a probe per unit — where
    `DISTINCT` or `IN (SELECT …)` read every result of the campaign (3.7 ms for 16,000 at province
    size, against 0.2). Table and column names come from the models; the campaign is a parameter."""
    results, units = ReviewResult._meta.db_table, UnionUnit._meta.db_table
    sql = f"""
        WITH RECURSIVE found(unit_id) AS (
            SELECT (SELECT recommended_by_id FROM {results} WHERE campaign_id = %s
                    ORDER BY recommended_by_id LIMIT 1)
            UNION ALL
            SELECT (SELECT recommended_by_id FROM {results} WHERE campaign_id = %s AND recommended_by_id > found.unit_id
                    ORDER BY recommended_by_id LIMIT 1)
            FROM found WHERE found.unit_id IS NOT NULL
        )
        SELECT id, name FROM {units} WHERE id IN (SELECT unit_id FROM found) ORDER BY path
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, campaign.pk])
        return [(pk, name) for pk, name in cursor.fetchall()]


@dataclass
class RankingRow:
    """A row of the ranking, its numbers written out once here (Django's per-value number formatting
    was a third of the page's time)."""

    result: ReviewResult
    total: str
    by_criterion: list[str]
    spread: str
    spread_flag: bool
    vetoes: str  # "2 vetoes", or "" without one


def vetoes_text(count: int) -> str:
    return ngettext("%(n)s veto", "%(n)s vetoes", count) % {"n": count} if count else ""


def points_text(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def ranking_rows(campaign: Campaign, results, criteria: list[Criterion]) -> list[RankingRow]:
    scored = [c for c in criteria if not c.is_veto]
    return [
        RankingRow(
            result=r,
            total=points_text(r.total),
            by_criterion=[points_text(decimal_or_none(r.criterion_scores.get(str(c.pk)))) for c in scored],
            spread=points_text(r.spread),
            spread_flag=r.spread is not None and r.spread > campaign.spread_threshold,
            vetoes=vetoes_text(r.vetoes),
        )
        for r in results
    ]


def decimal_or_none(value) -> Decimal | None:
    """A stored per-criterion score (text in JSON) as a number."""
    return Decimal(value) if value not in (None, "") else None


@dataclass
class ExpertProgress:
    member: PanelMember
    counts: Counter = field(default_factory=Counter)

    @property
    def assigned(self) -> int:
        return sum(self.counts[s] for s in ACTIVE_ASSIGNMENT_STATES)

    @property
    def started(self) -> int:
        return self.counts[A.STARTED]

    @property
    def submitted(self) -> int:
        return self.counts[A.SUBMITTED]

    @property
    def declined(self) -> int:
        return self.counts[A.DECLINED]


def panel(campaign: Campaign) -> list[PanelMember]:
    return list(
        PanelMember.objects.filter(campaign=campaign).select_related("expert", "unit").order_by("expert__username")
    )


def expert_progress(campaign: Campaign, members: list[PanelMember]) -> list[ExpertProgress]:
    """Per expert of the panel: assigned, started, submitted, declined (one grouped count)."""
    rows = {m.expert_id: ExpertProgress(member=m) for m in members}
    for expert_id, state, n in (
        Assignment.objects.filter(campaign=campaign).values_list("expert_id", "state").annotate(n=Count("*")).order_by()
    ):
        if expert_id in rows:
            rows[expert_id].counts[state] = n
    return list(rows.values())


@dataclass(frozen=True)
class ReviewTotals:
    applications: int
    fully_assigned: int
    reviews_assigned: int
    reviews_done: int
    shortlisted: int


def review_totals(campaign: Campaign) -> ReviewTotals:
    """The organiser's overall progress: one aggregate over the results, one over the assignments."""
    row = (
        ReviewResult.objects.filter(campaign=campaign)
        .exclude(state=R.EXCLUDED)
        .aggregate(
            applications=Count("pk"),
            fully_assigned=Count("pk", filter=Q(reviews_assigned__gte=campaign.experts_per_application)),
            shortlisted=Count("pk", filter=Q(state=R.SHORTLISTED)),
        )
    )
    done = Assignment.objects.filter(campaign=campaign).aggregate(
        assigned=Count("pk", filter=Q(state__in=ACTIVE_ASSIGNMENT_STATES)),
        done=Count("pk", filter=Q(state=A.SUBMITTED)),
    )
    return ReviewTotals(
        applications=row["applications"],
        fully_assigned=row["fully_assigned"],
        reviews_assigned=done["assigned"],
        reviews_done=done["done"],
        shortlisted=row["shortlisted"],
    )


def overview(campaign: Campaign) -> QuerySet[ReviewResult]:
    """The assignment page's rows: every application under review or decided, by code."""
    return (
        ReviewResult.objects.filter(campaign=campaign)
        .select_related("application__team")
        .only(
            "code", "state", "reviews_assigned", "reviews_done", "total", "rank", "vetoes", "campaign_id",
            "application_id", "application__team__name", "application__team__enterprise",
        )
        .order_by("code")
    )  # fmt: skip


def assignments_of(results: list[ReviewResult]) -> dict[int, list[Assignment]]:
    """The assignments of a page of results, with the experts' names (one query)."""
    found: dict[int, list[Assignment]] = {r.pk: [] for r in results}
    for a in (
        Assignment.objects.filter(result_id__in=list(found))
        .select_related("expert")
        .only("state", "result_id", "total", "vetoed", "assigned_by_id", "expert__username", "expert__name")
        .order_by("assigned_at", "pk")
    ):
        found[a.result_id].append(a)
    return found
