"""The campaigns' generation, and what each process keeps under it: readings of the campaigns a
reader sees (the years of the staff's campaign list, the campaigns of the application list's filter,
the campaigns a reader's units organised, which decide the revocations they see).

The staff's campaign list offers the years its campaigns opened in as a filter, and the application
list the campaigns themselves: a query each, a sixth of the campaign list's time, for what changes a
few times a year. The generation is a value in the shared cache that moves on whenever a campaign is
saved or deleted (at once and again after the commit, as accounts.user_cache does for the users); it
is read with the signed-in user at the start of each request, in the same round trip to the cache (a
companion of the user). Each process keeps what it has read under the reader's scope and the
campaigns' and the units' generations (the units decide who sees which campaign), so that a campaign
published, renamed, moved to another year or deleted, or a unit moved, shows in the filters on the
very next request. Without a generation (the user not kept in the cache: the embedded run) they are
read every time.

Writes that bypass the model's signals (`QuerySet.update()`, `bulk_create`) must call `moved_on`.
"""

import time

from django.core.cache import cache
from django.db import transaction

from accounts import user_cache
from accounts.models import RoleAssignment

NAME = "campaigns_generation"
KEY = "campaigns:generation"

# Far more than the kinds of reader a province has (each scope of roles is one): past it, afresh.
MOST_KEPT = 10_000

_kept: dict[tuple, object] = {}


def register() -> None:
    """Read the generation with every signed-in user (CampaignsConfig.ready)."""
    user_cache.register_companion(NAME, lambda pk: KEY)


def moved_on() -> None:
    """Every process reads what it keeps afresh, from this request on (and again after the commit)."""
    _move_on()
    transaction.on_commit(_move_on)


def _move_on() -> None:
    user_cache.companion_forgotten()  # not the value read with this request's user any more
    cache.set(KEY, time.time_ns(), None)


def of(user) -> int | None:
    """The campaigns' generation read with `user` at the start of the request, or None (the user is
    not kept in the cache, or a campaign was written in this process since)."""
    generation = user_cache.companion(user, NAME)
    if generation is user_cache.NOT_READ:
        return None
    if generation is None:  # not in the cache yet (or evicted): a value never used before
        cache.add(KEY, time.time_ns(), None)
        generation = cache.get(KEY)
    return generation


def kept(user, what: str, read):
    """`read()`, a reading of the campaigns `user` sees (campaigns.selectors.campaigns_visible_to),
    kept in the process under `what`, the user's scope and the campaigns' and the units' generations
    read with `user`."""
    generations = (of(user), user_cache.units_generation(user))
    if None in generations:
        return read()
    scope = (user.is_superuser, *user.scope_paths(RoleAssignment.Role.STAFF, RoleAssignment.Role.AUDITOR))
    key = (what, scope, generations)
    if key not in _kept:
        if len(_kept) >= MOST_KEPT:
            _kept.clear()
        _kept[key] = read()
    return _kept[key]
