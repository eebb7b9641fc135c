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
