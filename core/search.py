"""Substring search on the lists, and the order of what it finds.

A search of three characters or more reads the trigram indexes (`core.migration_operations`), which
find the few matching rows of a province in a millisecond. PostgreSQL cannot tell how few: it guesses
about one row in a hundred, and so prefers to walk the list's sort index and test every row on the
way until it has a page — tens of thousands of rows for a company's name, 25–100 ms. Sorting on an
expression the sort index does not hold leaves it the trigram plan and a sort of the matches. A
shorter search ("纺织", "车间") has no trigram to look up and matches a large share of the rows:
walking the sort index is then the right plan, and the list keeps it.
"""

from django.db.models import F, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Concat

TRIGRAM_LENGTH = 3


def reads_every_match(search: str) -> bool:
    """Whether a list searched for `search` (sorted by `sort_key`) reads and sorts all its matches:
    its page's query may then count them too (core.pagination, `count_in_rows`)."""
    return len(search) >= TRIGRAM_LENGTH


def sort_key(field: str, search: str) -> Expression:
    """`field` as the list's first sort key: itself, or, for a search the trigram indexes answer,
    the same value written so that its index is not used to sort."""
    if reads_every_match(search):
        return Concat(F(field), Value(""))
    return F(field)
