"""BoundedPaginator: pages as Django's Paginator gives them, with a count capped at the limit; a short
list (`short=True`) is not counted when its first page holds it whole."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UnionUnit
from accounts.services import unit_create
from core.pagination import BoundedPaginator

pytestmark = pytest.mark.django_db


def units(n: int):
    kind = UnionUnit.Kind
    root = unit_create(actor=None, parent=None, name="陕西省总工会", kind=kind.PROVINCIAL, code="610000")
    for i in range(n):
        unit_create(actor=None, parent=root, name=f"基层工会{i:03d}", kind=kind.GRASSROOTS, code=f"6101{i:03d}")
    return UnionUnit.objects.filter(depth=2).order_by("path")


def same_page(ours, django):
    assert [u.pk for u in ours.object_list] == [u.pk for u in django.object_list]
    assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
        django.number,
        django.paginator.count,
        django.paginator.num_pages,
    )
    assert (ours.has_next(), ours.has_previous()) == (django.has_next(), django.has_previous())


@pytest.mark.parametrize("short", [True, False])
@pytest.mark.parametrize("rows", [0, 1, 9, 10, 11, 12, 13, 25])
@pytest.mark.parametrize("number", [None, "", "1", 1, "x", 1.5, "2", "3", "0", "99"])
def test_every_page_is_the_one_django_gives(rows, number, short):
    queryset = units(rows)
    ours = BoundedPaginator(queryset, 10, orphans=2, short=short).get_page(number)
    same_page(ours, Paginator(queryset, 10, orphans=2).get_page(number))


def test_a_list_that_fits_on_its_first_page_is_not_counted():
    queryset = units(12)
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPaginator(queryset, 10, orphans=2, short=True).get_page(None)
        assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (12, 1, 12)
    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"]


def test_a_longer_list_is_counted_once_and_its_first_page_read_once():
    queryset = units(13)
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPaginator(queryset, 10, orphans=2, short=True).get_page("1")
        assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (13, 2, 10)
        list(page.object_list)
    assert ["COUNT" in q["sql"] for q in queries] == [False, True]


def test_other_lists_are_counted_whatever_their_length():
    queryset = units(3)
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPaginator(queryset, 10).get_page(None)
        list(page.object_list)
    assert ["COUNT" in q["sql"] for q in queries] == [True, False]


def test_the_count_stops_at_the_limit():
    page = BoundedPaginator(units(12), 5, count_limit=8).get_page("2")
    assert (page.paginator.count, page.paginator.count_is_capped) == (8, True)


@pytest.mark.parametrize("rows", [0, 1, 10, 11, 25])
@pytest.mark.parametrize("number", [None, "1", "x", "2", "3", "0", "99"])
def test_a_page_counted_in_its_rows_is_the_one_django_gives(rows, number):
    queryset = units(rows)
    ours = BoundedPaginator(queryset, 10, count_in_rows=True).get_page(number)
    same_page(ours, Paginator(queryset, 10).get_page(number))
    values = BoundedPaginator(queryset.values_list("pk", "name"), 10, count_in_rows=True).get_page(number)
    assert [row[0] for row in values.object_list] == [u.pk for u in ours.object_list]
    assert values.paginator.count == rows


@pytest.mark.parametrize("rows", [0, 3])
def test_a_first_page_counted_in_its_rows_is_one_query(rows):
    queryset = units(rows).values_list("pk", "name")
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPaginator(queryset, 2, count_in_rows=True).get_page(None)
        assert (page.paginator.count, len(page.object_list)) == (rows, min(rows, 2))
    assert len(queries) == 1 and "COUNT(*) OVER ()" in queries[0]["sql"]
    assert all(len(row) == 2 for row in page.object_list)  # the count is not left in the rows


def test_a_count_in_the_rows_stops_at_the_limit():
    page = BoundedPaginator(units(12), 5, count_limit=8, count_in_rows=True).get_page("2")
    assert (page.paginator.count, page.paginator.count_is_capped, len(page.object_list)) == (8, True, 3)


@pytest.mark.parametrize("rows", [0, 3, 12])
@pytest.mark.parametrize("number", [None, "2", "99"])
def test_a_known_count_is_not_counted_again_and_gives_django_s_pages(rows, number):
    queryset = units(rows)
    with CaptureQueriesContext(connection) as queries:
        ours = BoundedPaginator(queryset, 5, known_count=rows).get_page(number)
        list(ours.object_list)
    assert not any("COUNT" in q["sql"] for q in queries)
    same_page(ours, Paginator(queryset, 5).get_page(number))


def test_a_known_count_stops_at_the_limit():
    page = BoundedPaginator(units(12), 5, count_limit=8, known_count=12).get_page("2")
    assert (page.paginator.count, page.paginator.count_is_capped, page.paginator.num_pages) == (8, True, 2)
