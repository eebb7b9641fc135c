"""The units' tallies of the recommendation chain, compared with the places and decisions they count."""

from reviews.models import ChainTally
from reviews.services import chain_tallies_recount


def kept_tallies() -> dict:
    return {(t.campaign_id, t.unit_id, t.counter): t.count for t in ChainTally.objects.all() if t.count}


def assert_the_tallies_match_the_chain() -> None:
    """The tallies the services kept are the ones counted afresh from the rows."""
    kept = kept_tallies()
    chain_tallies_recount()
    assert kept_tallies() == kept
