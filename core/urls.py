"""reverse() once per URL name, then only fill in the ids.

A list page links every row to its record; reverse() costs as much as rendering the rest of the row
(tens of microseconds: it matches the pattern's regular expression on every call), so a list of
fifty rows spent a third of its rendering time in it. `reverse_fast("teams:detail", pk)` reverses the
name once per script prefix with stand-ins for the ids and replaces them afterwards.
"""

import functools

from django.urls import get_script_prefix, reverse

# Stand-ins no real id equals, distinct per position, that every integer path converter accepts.
_STAND_INS = [str(987_654_320_000 + n) for n in range(5)]


@functools.cache
def _template(name: str, arity: int, prefix: str) -> str:
    return reverse(name, args=_STAND_INS[:arity])


def reverse_fast(name: str, *ids: int) -> str:
    """The path of `name` for the integer `ids`, as reverse(name, args=ids) gives it."""
    url = _template(name, len(ids), get_script_prefix())
    for stand_in, value in zip(_STAND_INS, ids, strict=False):
        url = url.replace(stand_in, str(int(value)), 1)
    return url
