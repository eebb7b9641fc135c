"""Reads of the recommendation chain: the staff's queue, the counts on their home, an application's
path up the chain with its opinions, and the quota in view where staff decide."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import UnionUnit, User
from campaigns.models import Campaign, Quota
from core.search import sort_key
from teams.models import Application

from .chain import Deadlines, chain_units
from .models import Decision, Recommendation
from .rules import staff_unit_ids

S = Recommendation.State
K = Decision.Kind


def queue(
    *, user: User, campaign: int | None = None, evidence_complete: bool | None = None, search: str = "", union: str = ""
) -> QuerySet[Recommendation]:
    """What waits for a decision at the units the user is staff of, by team in pinyin order."""
    places = Recommendation.objects.filter(unit_id__in=staff_unit_ids(user), state=S.WAITING).select_related(
        "application__team__grassroots_union", "campaign", "unit"
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
    "application__team__grassroots_union__short_name", "campaign__title", "unit__name", "unit__short_name",
)  # fmt: skip


def queue_count(user: User) -> int:
    units = staff_unit_ids(user)
    if not units:
        return 0
    return Recommendation.objects.filter(unit_id__in=units, state=S.WAITING).count()


def queue_campaigns(user: User) -> QuerySet[Campaign]:
    """The campaigns the user's units take decisions in: the queue filter's choices."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .filter(pk__in=Recommendation.objects.filter(unit_id__in=staff_unit_ids(user)).values("campaign_id"))
        .only("pk", "title")
        .order_by("-application_opens_at", "-id")
    )


@dataclass(frozen=True)
class QuotaStatus:
    unit: UnionUnit
    limit: int | None  # None: the unit is not limited
    used: int
    deadline: datetime

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def is_full(self) -> bool:
        return self.limit is not None and self.used >= self.limit

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.deadline


def quota_status(campaign: Campaign, unit: UnionUnit, deadlines: Deadlines | None = None) -> QuotaStatus:
    quota = Quota.objects.filter(campaign=campaign, unit=unit).first()
    used = Decision.objects.filter(campaign=campaign, unit=unit, kind=K.RECOMMEND).count()
    deadline = (deadlines or Deadlines(campaign)).for_unit(unit)
    return QuotaStatus(unit=unit, limit=quota.max_recommendations if quota else None, used=used, deadline=deadline)


def quota_statuses(user: User, campaigns: list[Campaign]) -> list[QuotaStatus]:
    """The quota and deadline of each of the user's units in each campaign it decides in (the queue's head)."""
    units = list(UnionUnit.objects.filter(pk__in=staff_unit_ids(user)))
    statuses = []
    for campaign in campaigns:
        deadlines = Deadlines(campaign)
        statuses.extend(quota_status(campaign, unit, deadlines) for unit in units)
    return statuses


@dataclass
class Step:
    """One unit of an application's chain, as its page shows it."""

    unit: UnionUnit
    level: int
    is_organiser: bool
    state: str  # "done", "here" (waiting, returned, rejected or accepted here), or "ahead"
    decisions: list[Decision]
    deadline: datetime | None = None


def path_of(application: Application) -> tuple[Recommendation | None, list[Step]]:
    """The application's chain from its grassroots union up to the organiser, each unit with its
    decisions (every version's) and where the application stands. Three queries."""
    place = Recommendation.objects.select_related("unit").filter(application=application).first()
    campaign = application.campaign
    units = chain_units(application.team.grassroots_union, campaign.organiser)
    decisions = list(
        Decision.objects.filter(application=application).select_related("decided_by").order_by("decided_at", "id")
    )
    deadlines = Deadlines(campaign)
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
                deadline=deadlines.for_unit(unit),
            )
        )
    return place, steps


def opinions_for_leader(decision: Decision, campaign: Campaign) -> bool:
    """Whether the leader reads this opinion: always the reasons of a return or a rejection; a
    recommendation's opinion only where the campaign shows them to teams."""
    return decision.kind != K.RECOMMEND or campaign.show_opinions_to_teams
