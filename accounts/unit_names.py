"""The display names of union units by id, kept in each process under the units' generation.

Lists name a unit on every row (a team's grassroots union): a query for the page's fifty names cost
the team list about a millisecond, for names that change once in a long while. Every process keeps the
names it has read, for the generation of the units it read them under (accounts.user_cache: it moves
on whenever a unit is saved, deleted or moved, and is read with the signed-in user at the start of
each request). A request under another generation than the kept names' starts them afresh; names
read after the generation was read are never older than it. Without a generation (the user is not
kept in the cache: the embedded run) the names are read every time.
"""

from collections.abc import Iterable

from .models import UnionUnit
from .user_cache import units_generation

# Far more than any province's units (about 40,000): past it the process starts afresh.
MOST_KEPT = 100_000

_kept: dict[int, str] = {}
_kept_generation: int | None = None


def _read(pks) -> dict[int, str]:
    return {
        pk: UnionUnit.display_name_of(name, short_name)
        for pk, name, short_name in UnionUnit.objects.filter(pk__in=pks).values_list("pk", "name", "short_name")
    }


def display_names(pks: Iterable[int], *, user) -> dict[int, str]:
    """The display names of the units `pks` (those that exist), as `user`'s request sees them."""
    global _kept_generation
    pks = set(pks)
    generation = units_generation(user)
    if generation is None:
        return _read(pks)
    if generation != _kept_generation or len(_kept) > MOST_KEPT:
        _kept.clear()
        _kept_generation = generation
    missing = pks.difference(_kept)
    if missing:
        _kept.update(_read(missing))
    return {pk: _kept[pk] for pk in pks if pk in _kept}
