"""Reads of the recommendation chain: the staff's queue, the counts on their home, an application's
path up the chain with its opinions, and the quota in view where staff decide."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import UnionUnit, User
from campaigns.models import Campaign, Quota
from core.search import sort_key
from teams.models import Application
from teams.selectors import WaitingItem

from ..chain import Deadlines, chain_units
from ..models import ChainTally, Decision, Recommendation
from ..rules import staff_unit_ids

S = Recommendation.State
K = Decision.Kind


def queue(
    *, user: User, campaign: int | None = None, evidence_complete: bool | None = None, search: str = "", union: str = ""
) -> QuerySet[Recommendation]:
    """What waits for a decision at the units the user is staff of, by team in pinyin order."""
    # The campaigns' titles and the units' names come from the page's other reads, not from each row.
    places = Recommendation.objects.filter(unit_id__in=staff_unit_ids(user), state=S.WAITING).select_related(
        "application__team__grassroots_union"
    )
    if campaign:
        places = places.filter(campaign_id=campaign)
    if evidence_complete is not None:
        places = places.filter(evidence_complete=evidence_complete)
    if search:
        places = places.filter(
            Q(application__team__name__icontains=search) | Q(application__team__enterprise__icontains=search)
        )
    if union:
        places = places.filter(application__team__grassroots_union__name__icontains=union)
    return places.order_by(sort_key("team_sort", search).asc(), "application_id")


# What a row of the queue shows: the long texts of the application and the notice stay behind.
QUEUE_FIELDS = (
    "state", "version", "arrived_at", "evidence_complete", "team_sort", "unit_id", "campaign_id",
    "application__submitted_at", "application__version", "application__team__name",
    "application__team__enterprise", "application__team__grassroots_union__name",
    "application__team__grassroots_union__short_name",
)  # fmt: skip


# What the decision page reads of the application where it waits: its unit whole; the application's
# state, team and campaign as the header, the chain, the quota and the deadlines need them. Selecting
# every column of the seven models cost the page about 2 ms on every view.
DECIDE_FIELDS = (
    "state", "version", "campaign", "unit", "application__status", "application__version",
    "application__union_path", "application__first_decision_at", "application__team__name",
    "application__team__enterprise", "application__team__grassroots_union__path",
    "application__team__grassroots_union__name", "application__team__grassroots_union__short_name",
    "application__campaign__title", "application__campaign__document_number", "application__campaign__status",
    "application__campaign__organiser", "application__campaign__recommendation_deadline",
    "application__campaign__review_starts_on", "application__campaign__show_opinions_to_teams",
)  # fmt: skip


def staff_waiting(user: User) -> list[WaitingItem]:
    """The staff home's count of what waits at the user's units (one query), linking to the queue."""
    units = staff_unit_ids(user)
    if not units:
        return []
    count = Recommendation.objects.filter(unit_id__in=units, state=S.WAITING).count()
    return [WaitingItem(_("Applications waiting for your unit's decision"), count, reverse("reviews:queue"), "inbox")]


def queue_campaigns(user: User) -> QuerySet[Campaign]:
    """The campaigns the user's units take decisions in: the queue filter's choices."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .filter(pk__in=Recommendation.objects.filter(unit_id__in=staff_unit_ids(user)).values("campaign_id"))
        # With what the quota's deadline needs (Deadlines), so that no field is fetched later.
        .only("pk", "title", "organiser_id", "recommendation_deadline", "review_starts_on")
        .order_by("-application_opens_at", "-id")
    )


@dataclass(frozen=True)
class QuotaStatus:
    unit: UnionUnit
    limit: int | None  # None: the unit is not limited
    used: int | None  # None: at the organiser, which accepts rather than recommends upwards
    deadline: datetime

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def is_full(self) -> bool:
        return self.limit is not None and self.used is not None and self.used >= self.limit

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.deadline


def quota_status(campaign: Campaign, unit: UnionUnit) -> QuotaStatus:
    """The unit's quota in the campaign, how much of it is used, and its deadline (the decision page)."""
    return quota_statuses_of([campaign], [unit])[0]


def quota_statuses(user: User, campaigns: list[Campaign]) -> list[QuotaStatus]:
    """The quota and deadline of each of the user's units in each campaign (the queue's head)."""
    return quota_statuses_of(campaigns, list(UnionUnit.objects.filter(pk__in=staff_unit_ids(user)).order_by("path")))


def quota_statuses_of(campaigns: list[Campaign], units: list[UnionUnit]) -> list[QuotaStatus]:
    """Each unit's quota, use and deadline in each campaign: four queries at most, whatever their
    numbers. The organiser accepts rather than recommends upwards: it has no quota, and its
    acceptances are not counted (nor asked for, when every unit is the campaign's organiser)."""
    if not units or not campaigns:
        return []
    unit_ids = [u.pk for u in units]
    counted = [c.pk for c in campaigns if any(u != c.organiser_id for u in unit_ids)]
    limits = (
        {
            (c, u): n
            for c, u, n in Quota.objects.filter(campaign_id__in=counted, unit_id__in=unit_ids).values_list(
                "campaign_id", "unit_id", "max_recommendations"
            )
        }
        if counted
        else {}
    )
    used = (
        {
            (c, u): n
            for c, u, n in Decision.objects.filter(campaign_id__in=counted, unit_id__in=unit_ids, kind=K.RECOMMEND)
            .values_list("campaign_id", "unit_id")
            .annotate(n=Count("*"))
            .order_by()
        }
        if counted
        else {}
    )
    deadlines = Deadlines.of_campaigns(campaigns)
    return [
        QuotaStatus(
            unit=unit,
            limit=limits.get((campaign.pk, unit.pk)),
            used=None if unit.pk == campaign.organiser_id else used.get((campaign.pk, unit.pk), 0),
            deadline=deadlines[campaign.pk].for_unit(unit),
        )
        for campaign in campaigns
        for unit in units
    ]


@dataclass
class Step:
    """One unit of an application's chain, as its page shows it."""

    unit: UnionUnit
    level: int
    is_organiser: bool
    state: str  # "done", "here" (waiting, returned, rejected or accepted here), or "ahead"
    decisions: list[Decision]


def path_of(application: Application, place: Recommendation | None = None) -> tuple[Recommendation | None, list[Step]]:
    """The application's chain from its grassroots union up to the organiser, each unit with its
    decisions (every version's) and where the application stands. Three queries (two when the
    place is given)."""
    if place is None:
        place = Recommendation.objects.select_related("unit").filter(application=application).first()
    campaign = application.campaign
    units = chain_units(application.team.grassroots_union, campaign.organiser_id)
    decisions = list(
        Decision.objects.filter(application=application).select_related("decided_by").order_by("decided_at", "id")
    )
    here = place.unit_id if place is not None and place.state != S.WITHDRAWN else None
    reached = True
    steps = []
    for level, unit in enumerate(units, start=1):
        if unit.pk == here:
            state, reached = "here", False
        elif reached and here is not None:
            state = "done"
        else:
            state = "ahead"
        steps.append(
            Step(
                unit=unit,
                level=level,
                is_organiser=unit.pk == campaign.organiser_id,
                state=state,
                decisions=[d for d in decisions if d.unit_id == unit.pk],
            )
        )
    return place, steps


def opinions_for_leader(decision: Decision, campaign: Campaign) -> bool:
    """Whether the leader reads this opinion: always the reasons of a return or a rejection; a
    recommendation's opinion only where the campaign shows them to teams."""
    return decision.kind != K.RECOMMEND or campaign.show_opinions_to_teams


@dataclass
class UnitProgress:
    """One recommending unit's work in a campaign. Every application that reached the unit is in
    exactly one of: waiting there, returned by it (with the leader now), recommended by it, rejected
    by it — so `received` is their sum."""

    unit: UnionUnit
    waiting: int = 0
    returned: int = 0
    recommended: int = 0
    rejected: int = 0
    quota: int | None = None
    deadline: datetime | None = None
    has_children: bool = False

    @property
    def received(self) -> int:
        return self.waiting + self.returned + self.recommended + self.rejected

    @property
    def overdue(self) -> int:
        """Applications still waiting here after the unit's deadline (逾期未推荐)."""
        return self.waiting if self.deadline is not None and timezone.now() >= self.deadline else 0


@dataclass
class CampaignProgress:
    campaign: Campaign
    accepted: int
    waiting_at_organiser: int
    overdue_below: int  # applications waiting at a lower unit whose deadline has passed


def campaign_progress(campaign: Campaign, deadlines: Deadlines) -> CampaignProgress:
    """The organiser's totals: accepted for expert review, waiting at the organiser (both from the
    organiser's tally), and overdue below it (逾期未推荐: waiting at a unit whose deadline has passed)."""
    counts = dict(
        ChainTally.objects.filter(campaign=campaign, unit_id=campaign.organiser_id).values_list("counter", "count")
    )
    now = timezone.now()
    passed_kinds = [kind for kind in UnionUnit.Kind.values if now >= deadlines.level_deadline(kind)]
    extended = deadlines.by_unit
    passed_units = [unit_id for unit_id, deadline in extended.items() if now >= deadline]
    overdue = (
        Recommendation.objects.filter(campaign=campaign, state=S.WAITING)
        .exclude(unit_id=campaign.organiser_id)
        .filter((Q(unit__kind__in=passed_kinds) & ~Q(unit_id__in=list(extended))) | Q(unit_id__in=passed_units))
        .count()
        if passed_kinds or passed_units
        else 0
    )
    return CampaignProgress(
        campaign=campaign,
        accepted=counts.get(ChainTally.Counter.ACCEPTED, 0),
        waiting_at_organiser=counts.get(ChainTally.Counter.WAITING, 0),
        overdue_below=overdue,
    )


def units_below(parent: UnionUnit) -> QuerySet[UnionUnit]:
    """The units directly below `parent`, in tree order: the rows of one page of the progress table."""
    return UnionUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("path")


# What a unit's row counts (accepted applications are the organiser's, in its totals).
UNIT_COUNTERS = frozenset(ChainTally.Counter) - {ChainTally.Counter.ACCEPTED}


def unit_progress(
    campaign: Campaign, units: list[UnionUnit], deadlines: Deadlines, *, every_unit: bool = False
) -> list[UnitProgress]:
    """The progress of each of `units`: their tallies (ChainTally, kept by the chain's services) and
    the quotas, whatever the campaign's size. A page reads its units' rows only; the export
    (`every_unit`) reads the campaign's all at once, so that its queries do not grow with them."""
    ids = [u.pk for u in units]
    only_these = {} if every_unit else {"unit_id__in": ids}
    rows = {u.pk: UnitProgress(unit=u, deadline=deadlines.for_unit(u)) for u in units}
    tallies = ChainTally.objects.filter(campaign=campaign, **only_these).values_list("unit_id", "counter", "count")
    for unit_id, counter, n in tallies:
        if unit_id in rows and counter in UNIT_COUNTERS:
            setattr(rows[unit_id], counter, n)
    for unit_id, limit in Quota.objects.filter(campaign=campaign, **only_these).values_list(
        "unit_id", "max_recommendations"
    ):
        if unit_id in rows:
            rows[unit_id].quota = limit
    for row in rows.values():
        row.has_children = row.unit.numchild > 0
    return [rows[pk] for pk in ids]


def active_units(campaign: Campaign) -> QuerySet[UnionUnit]:
    """The units below the organiser that hold or decided an application of the campaign (the export's rows)."""
    held = Recommendation.objects.filter(campaign=campaign).values("unit_id")
    decided = Decision.objects.filter(campaign=campaign).values("unit_id")
    return (
        UnionUnit.objects.filter(Q(pk__in=held) | Q(pk__in=decided)).exclude(pk=campaign.organiser_id).order_by("path")
    )
