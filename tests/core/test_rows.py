"""ValueRows: a list's rows as plain values, relations nested as the field names say, labels beside
the values of fields with choices, in the reader's language."""

import pytest
from django.utils import translation

from core.rows import ValueRows
from teams.models import Team
from tests.factories import UserFactory, make_team

pytestmark = pytest.mark.django_db

ROWS = ValueRows(Team, ("pk", "name", "status", "grassroots_union__name"), labelled=("status",))


def test_relations_nest_and_labels_follow_the_language(tree):
    team = make_team(leader=UserFactory(), union=tree.grassroots_a1, name="细纱甲班")
    values = ROWS.values(Team.objects.select_related("grassroots_union").filter(pk=team.pk))
    for language, label in (("zh-hans", "已登记"), ("en", "Registered")):
        with translation.override(language):
            [row] = ROWS.build(values)
        assert (row.pk, row.name, row.status, row.status_label) == (team.pk, "细纱甲班", "approved", label)
        assert row.grassroots_union.name == "甲市机械厂工会"


def test_the_rows_read_only_their_columns(tree, django_assert_num_queries):
    make_team(leader=UserFactory(), union=tree.grassroots_a1)
    with django_assert_num_queries(1) as queries:
        ROWS.build(ROWS.values(Team.objects.select_related("grassroots_union")))
    sql = queries.captured_queries[0]["sql"]
    assert '"teams_team"."description"' not in sql and '"accounts_unionunit"."path"' not in sql


@pytest.mark.parametrize(
    ("number", "names"), [("1", ["甲0", "甲1"]), ("2", ["甲2", "甲3", "甲4"]), ("x", ["甲0", "甲1"])]
)
def test_a_page_holds_the_rows_django_s_paginator_gives(tree, number, names):
    for n in range(5):
        make_team(leader=UserFactory(), union=tree.grassroots_a1, name=f"甲{n}")
    page = ROWS.page(Team.objects.order_by("name"), number, per_page=2, orphans=1)
    assert [row.name for row in page.object_list] == names
    assert (page.paginator.count, page.paginator.num_pages) == (5, 2)


def test_an_empty_list_is_one_empty_page(tree):
    page = ROWS.page(Team.objects.order_by("name"), None)
    assert (list(page.object_list), page.paginator.count, page.number) == ([], 0, 1)


def test_the_count_leaves_the_rows_joins_out(tree, django_assert_num_queries):
    make_team(leader=UserFactory(), union=tree.grassroots_a1)
    with django_assert_num_queries(2) as queries:
        ROWS.page(Team.objects.order_by("name"), None)
    count = next(q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"])
    assert "accounts_unionunit" not in count


@pytest.mark.parametrize(
    ("teams", "number", "names", "queries"),
    [(3, None, ["甲0", "甲1", "甲2"], 1), (5, "1", ["甲0", "甲1"], 2), (5, "2", ["甲2", "甲3", "甲4"], 2)],
)
def test_a_short_list_reads_its_first_page_as_values_and_counts_only_a_longer_one(
    tree, django_assert_num_queries, teams, number, names, queries
):
    for n in range(teams):
        make_team(leader=UserFactory(), union=tree.grassroots_a1, name=f"甲{n}")
    with django_assert_num_queries(queries):
        page = ROWS.page(Team.objects.order_by("name"), number, per_page=2, orphans=1, short=True)
        assert [row.name for row in page.object_list] == names
        assert [row.grassroots_union.name for row in page.object_list] == [tree.grassroots_a1.name] * len(names)
        assert page.paginator.count == teams
