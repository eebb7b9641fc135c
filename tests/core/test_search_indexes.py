"""Substring search reads the trigram indexes: the index expression must be what Django's icontains
compares (`UPPER(column::text) LIKE UPPER(…)`), or every search scans the whole table."""

import pytest
from django.db import connection

from accounts.models import UnionUnit
from teams.selectors import grassroots_union_suggestions, team_list


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is too small to need an index
        # Nor may it walk another index testing every row, which the statistics left by earlier tests
        # (autovacuum's, at its own time) sometimes make the cheaper plan: only a search index answers.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_searches_read_the_trigram_indexes(tree, role_users):
    staff = role_users["superuser"]
    assert "team_name_trgm" in plan(team_list(user=staff, search="细纱车间"))
    assert "team_enterprise_trgm" in plan(team_list(user=staff, search="秦岭纺织"))
    suggestions = UnionUnit.objects.filter(name__icontains="纺织厂").order_by()
    assert "unionunit_name_trgm" in plan(suggestions)
    assert "unionunit_code_trgm" in plan(UnionUnit.objects.filter(code__icontains="T-B").order_by())
    assert grassroots_union_suggestions("纺织厂") == [tree.grassroots_b1]


def test_a_long_search_sorts_its_matches_and_a_short_one_walks_the_sort_index(tree, role_users):
    staff = role_users["superuser"]
    assert 'ORDER BY "teams_team"."name_pinyin" ASC' in str(team_list(user=staff, search="纺织").query)
    assert 'ORDER BY "teams_team"."name_pinyin" ASC' not in str(team_list(user=staff, search="纺织厂").query)
