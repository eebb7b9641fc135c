"""Pagination that does not count a whole province: at most `PAGE_COUNT_LIMIT` rows are counted.

A list of 100,000 teams needs no exact total to be useful; counting them all on every page view is
what makes a big list slow. Up to the limit the total is exact; beyond it the page says "more than
N" and asks the reader to narrow the list with the search and filters (the export has every row).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page=None, *, count_limit: int | None = None, **kwargs):
        super().__init__(object_list, per_page or settings.PAGE_SIZE, **kwargs)
        self.count_limit = count_limit or settings.PAGE_COUNT_LIMIT
        self.count_is_capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "values_list"):
            # The count needs neither the columns, nor the order, nor the joins select_related adds.
            counted = rows.order_by().values_list("pk", flat=True)[: self.count_limit + 1].count()
        else:
            counted = min(len(rows), self.count_limit + 1)
        self.count_is_capped = counted > self.count_limit
        return min(counted, self.count_limit)
