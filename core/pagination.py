"""Pagination that does not count a whole province: at most `PAGE_COUNT_LIMIT` rows are counted.

A list of 100,000 teams needs no exact total to be useful; counting them all on every page view is
what makes a big list slow. Up to the limit the total is exact; beyond it the page says "more than
N" and asks the reader to narrow the list with the search and filters (the export has every row).

A list that is short by nature (`short=True`: a province's campaigns, a few dozen over the years) is
not counted when it fits on its first page: that page reads one row more than it shows, and when that
row is not there the rows read are the whole list. The other lists keep their count, so that their
number of queries is the same whatever their length (the bench and the query-count tests hold them
to that).

A list whose page query reads every row that matches anyway — a search, sorted by an expression no
index holds — is counted in that query (`count_in_rows=True`): `COUNT(*) OVER ()` beside each row,
one scan of the matches instead of two.

A list whose length the application keeps (a campaign's stored tallies) passes it (`known_count=n`),
and is not counted at all.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page=None,
        *,
        count_limit: int | None = None,
        short: bool = False,
        count_in_rows: bool = False,
        known_count: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page or settings.PAGE_SIZE, **kwargs)
        self.count_limit = count_limit or settings.PAGE_COUNT_LIMIT
        self.short = short
        self.count_in_rows = count_in_rows
        self.known_count = known_count
        self.count_is_capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if self.known_count is not None:
            counted = min(self.known_count, self.count_limit + 1)
        elif hasattr(rows, "values_list"):
            # The count needs neither the columns, nor the order, nor the joins select_related adds.
            counted = rows.order_by().values_list("pk", flat=True)[: self.count_limit + 1].count()
        else:
            counted = min(len(rows), self.count_limit + 1)
        self.count_is_capped = counted > self.count_limit
        return min(counted, self.count_limit)

    def get_page(self, number):
        queried = hasattr(self.object_list, "values_list") and self.allow_empty_first_page and not self.orphans
        if self.count_in_rows and queried:
            page = self._page_counted_in_rows(number)
            if page is not None:
                return page
        if (
            self.short
            and asks_for_first_page(number)
            and hasattr(self.object_list, "values_list")
            and self.allow_empty_first_page
        ):
            return self._first_page()
        return super().get_page(number)

    def _page_counted_in_rows(self, number):
        """The page with the count read beside its rows (tuples of values_list, or instances); None
        for a page past the end (Paginator's way then: the count, and the last page)."""
        number = 1 if asks_for_first_page(number) else int(number)
        if number < 1:
            return None
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(_count_in_rows=Window(Count("*")))[bottom : bottom + self.per_page])
        if not rows:
            if number == 1:  # nothing matches
                self.__dict__["count"] = 0
                return self._get_page(rows, 1, self)
            return None
        if isinstance(rows[0], tuple):  # the annotation comes last
            counted = rows[0][-1]
            rows = [row[:-1] for row in rows]
        else:
            counted = rows[0]._count_in_rows
        self.count_is_capped = counted > self.count_limit
        self.__dict__["count"] = min(counted, self.count_limit)
        if number > self.num_pages:  # past the pages the capped count offers
            return None
        return self._get_page(rows[: self.count - bottom], number, self)  # the last page stops at the cap

    def _first_page(self):
        """Page 1 of a query, as Paginator gives it, counted only when it does not hold every row."""
        shown = self.per_page + self.orphans  # the most rows page 1 shows (the orphans join it)
        rows = list(self.object_list[: shown + 1])
        if len(rows) <= shown:
            self.__dict__["count"] = len(rows)  # the whole list: the count is known
            return self._get_page(rows, 1, self)
        return self._get_page(rows[: self.per_page], 1, self)


def asks_for_first_page(number) -> bool:
    """Whether `Paginator.get_page(number)` gives page 1 (it does for a number that is not a whole
    number, and for 1); for a number below 1 or past the end it gives the last page."""
    try:
        if isinstance(number, float) and not number.is_integer():
            return True
        return int(number) == 1
    except (TypeError, ValueError):
        return True
