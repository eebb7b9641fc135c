"""The units' tallies in a campaign's recommendation chain (ChainTally): kept by every service that
moves a place or records a decision, in its transaction, and rebuilt from the rows after a bulk load."""

from django.db.models import Count

from core.tallies import add_to_tally

from ..models import ChainTally, Decision, Recommendation

S = Recommendation.State
K = Decision.Kind
C = ChainTally.Counter

# The states of a place that a unit's tally counts, and the decisions.
HELD = {S.WAITING: C.WAITING, S.RETURNED: C.RETURNED, S.ACCEPTED: C.ACCEPTED}
DECIDED = {K.RECOMMEND: C.RECOMMENDED, K.REJECT: C.REJECTED}


def _count(campaign_id: int, unit_id: int, counter: str, change: int) -> None:
    """Add `change` to the unit's tally of `counter` in the campaign (ChainTally)."""
    add_to_tally(ChainTally, change, campaign_id=campaign_id, unit_id=unit_id, counter=counter)


def place_moved(place: Recommendation, *, before: tuple[str, int] | None) -> None:
    """Every change of a place's state or unit goes through here, and so do the units' tallies:
    `before` is the (state, unit id) the place had, None for a new one."""
    after = (place.state, place.unit_id)
    if before == after:
        return
    if before is not None and before[0] in HELD:
        _count(place.campaign_id, before[1], HELD[before[0]], -1)
    if after[0] in HELD:
        _count(place.campaign_id, after[1], HELD[after[0]], +1)


def decision_counted(decision: Decision) -> None:
    """A new decision adds to its unit's tally of recommendations or rejections."""
    if decision.kind in DECIDED:
        _count(decision.campaign_id, decision.unit_id, DECIDED[decision.kind], +1)


def chain_tallies_recount(campaign_ids=None) -> int:
    """Rebuild the units' tallies from the places and decisions themselves (after a bulk load); how
    many rows."""
    places = Recommendation.objects.filter(state__in=list(HELD))
    decisions = Decision.objects.filter(kind__in=list(DECIDED))
    tallies = ChainTally.objects.all()
    if campaign_ids is not None:
        places = places.filter(campaign_id__in=campaign_ids)
        decisions = decisions.filter(campaign_id__in=campaign_ids)
        tallies = tallies.filter(campaign_id__in=campaign_ids)
    rows = [
        ChainTally(campaign_id=campaign_id, unit_id=unit_id, counter=HELD[state], count=n)
        for campaign_id, unit_id, state, n in places.order_by()
        .values_list("campaign_id", "unit_id", "state")
        .annotate(n=Count("*"))
    ]
    rows += [
        ChainTally(campaign_id=campaign_id, unit_id=unit_id, counter=DECIDED[kind], count=n)
        for campaign_id, unit_id, kind, n in decisions.order_by()
        .values_list("campaign_id", "unit_id", "kind")
        .annotate(n=Count("*"))
    ]
    tallies.delete()
    ChainTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
