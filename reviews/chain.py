"""The chain's shape and clock: which units an application climbs through, and until when each may decide.

The levels come from the tree, not from code: the chain is the team's grassroots union and every unit
above it up to the campaign's organiser. A grassroots union directly under the province climbs one
level; one under a district under a city climbs three."""

from datetime import datetime, time

from django.utils import timezone

from accounts.models import UnionUnit
from campaigns.models import Campaign, LevelDeadline

from .models import DeadlineExtension


def chain_paths(grassroots_path: str, organiser_path: str) -> list[str]:
    """The tree paths of the chain, from the grassroots union up to the organiser."""
    if not grassroots_path.startswith(organiser_path):
        raise ValueError("the team's union lies outside the organiser's subtree")
    step = UnionUnit.steplen
    return [grassroots_path[:end] for end in range(len(grassroots_path), len(organiser_path) - 1, -step)]


def chain_units(grassroots: UnionUnit, organiser_id: int) -> list[UnionUnit]:
    """The chain's units, lowest first: the grassroots union and its ancestors up to the organiser
    (one query, which needs no more than the organiser's id)."""
    step = UnionUnit.steplen
    prefixes = [grassroots.path[:end] for end in range(step, len(grassroots.path) + 1, step)]
    ancestors = sorted(UnionUnit.objects.filter(path__in=prefixes), key=lambda u: -len(u.path))
    ids = [u.pk for u in ancestors]
    if organiser_id not in ids:
        raise ValueError("the team's union lies outside the organiser's subtree")
    return ancestors[: ids.index(organiser_id) + 1]


def level_of(unit: UnionUnit, grassroots_path: str) -> int:
    """1 for the grassroots union, one more per unit above it."""
    return (len(grassroots_path) - len(unit.path)) // UnionUnit.steplen + 1


def parent_path(unit: UnionUnit) -> str:
    return unit.path[: -UnionUnit.steplen]


def organiser_deadline(campaign: Campaign) -> datetime:
    """The organising unit accepts applications for expert review until the review starts (00:00
    Beijing time of its first day)."""
    return timezone.make_aware(datetime.combine(campaign.review_starts_on, time.min))


class Deadlines:
    """Until when each unit may decide in one campaign: the organiser until the expert review starts;
    below it, the unit's own extension, else its level's extension, else its level's deadline (the
    campaign's level deadline, else its general recommendation deadline). Two queries, then memory."""

    def __init__(self, campaign: Campaign, levels=None, extensions=None):
        self.campaign = campaign
        if levels is None:
            levels = [(d.unit_kind, d.deadline) for d in campaign.level_deadlines.all()]
        if extensions is None:
            extensions = list(
                DeadlineExtension.objects.filter(campaign=campaign)
                .select_related("unit", "granted_by")
                .order_by("granted_at", "id")
            )
        self.extensions = extensions  # oldest first
        self.levels = dict(levels)
        self.by_unit: dict[int, datetime] = {}
        self.by_kind: dict[str, datetime] = {}
        for extension in extensions:
            if extension.unit_id:
                self.by_unit[extension.unit_id] = extension.deadline
            else:
                self.by_kind[extension.unit_kind] = extension.deadline

    @classmethod
    def of_campaigns(cls, campaigns: list[Campaign]) -> dict[int, "Deadlines"]:
        """The deadlines of several campaigns in two queries, by campaign id."""
        ids = [c.pk for c in campaigns]
        levels: dict[int, list] = {pk: [] for pk in ids}
        for campaign_id, kind, deadline in LevelDeadline.objects.filter(campaign_id__in=ids).values_list(
            "campaign_id", "unit_kind", "deadline"
        ):
            levels[campaign_id].append((kind, deadline))
        extensions: dict[int, list] = {pk: [] for pk in ids}
        for extension in DeadlineExtension.objects.filter(campaign_id__in=ids).order_by("granted_at", "id"):
            extensions[extension.campaign_id].append(extension)
        return {c.pk: cls(c, levels[c.pk], extensions[c.pk]) for c in campaigns}

    def level_deadline(self, kind: str) -> datetime:
        return self.by_kind.get(kind) or self.levels.get(kind, self.campaign.recommendation_deadline)

    def for_unit(self, unit: UnionUnit) -> datetime:
        if unit.pk == self.campaign.organiser_id:
            return organiser_deadline(self.campaign)
        return self.by_unit.get(unit.pk) or self.level_deadline(unit.kind)
