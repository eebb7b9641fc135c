"""`attach_related`: a page's foreign keys filled from one `id IN (…)` query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UnionUnit
from core.related import attach_related
from teams.models import Team
from tests.factories import UserFactory, make_team

pytestmark = pytest.mark.django_db


def test_each_object_gets_its_row_in_one_query(tree):
    leader = UserFactory()
    teams = [
        make_team(leader=leader, union=tree.grassroots_a1, name="甲班"),
        make_team(leader=leader, union=tree.grassroots_b1, name="乙班"),
        make_team(leader=leader, union=tree.grassroots_a1, name="丙班"),
    ]
    fresh = Team.objects.filter(pk__in=[t.pk for t in teams]).order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        rows = attach_related(fresh, "grassroots_union", UnionUnit.objects.only("name"))
        names = [team.grassroots_union.name for team in rows]
    assert names == ["甲市机械厂工会", "乙市纺织厂工会", "甲市机械厂工会"]
    assert len(queries) == 2  # the teams, then their two unions
    assert "IN (" in queries[1]["sql"]
    assert rows[0].grassroots_union is rows[2].grassroots_union


def test_a_row_the_queryset_leaves_out_is_not_read_again_and_nothing_is_read_for_no_objects(tree):
    team = make_team(leader=UserFactory(), union=tree.grassroots_a1)
    fresh = Team.objects.get(pk=team.pk)
    [row] = attach_related([fresh], "grassroots_union", UnionUnit.objects.exclude(pk=tree.grassroots_a1.pk))
    with CaptureQueriesContext(connection) as queries, pytest.raises(UnionUnit.DoesNotExist):
        row.grassroots_union  # noqa: B018
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert attach_related([], "grassroots_union") == []
    assert len(queries) == 0
