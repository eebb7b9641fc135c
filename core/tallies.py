"""Counts kept in rows (a campaign's applications per state, a unit's place in the chain): added to in
the transaction that changes what they count, so that pages read a count instead of counting."""

from django.db import IntegrityError, models, transaction
from django.db.models import F


def add_to_tally(model: type[models.Model], change: int, **key) -> None:
    """Add `change` to the `count` of `model`'s row with `key` (its unique fields), creating the row
    when it is missing: one UPDATE in the common case."""
    tallies = model._default_manager.filter(**key)
    if tallies.update(count=F("count") + change):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**key, count=max(change, 0))
    except IntegrityError:  # another transaction created it a moment ago
        tallies.update(count=F("count") + change)
