"""Units' display names kept in the process: read once per generation of the units, and a rename
seen on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import unit_names, user_cache
from accounts.services import unit_update
from tests.factories import make_team

pytestmark = pytest.mark.django_db


def names(pks, user):
    with CaptureQueriesContext(connection) as captured:
        found = unit_names.display_names(pks, user=user)
    return found, len(captured.captured_queries)


def test_names_are_read_once_per_generation(tree, role_users):
    user = user_cache.load(role_users["staff_unit"].pk)
    first, cold = names([tree.city_a.pk, tree.grassroots_a1.pk, 0], user)
    assert first == {tree.city_a.pk: tree.city_a.display_name, tree.grassroots_a1.pk: tree.grassroots_a1.display_name}
    assert cold == 1
    again, warm = names([tree.grassroots_a1.pk], user_cache.load(role_users["staff_unit"].pk))
    assert again == {tree.grassroots_a1.pk: tree.grassroots_a1.display_name} and warm == 0
    more, one = names([tree.grassroots_a1.pk, tree.city_b.pk], user)  # only the one not kept is read
    assert more[tree.city_b.pk] == tree.city_b.display_name and one == 1


def test_a_rename_is_seen_on_the_next_request(tree, role_users):
    actor = role_users["staff_ancestor"]
    names([tree.grassroots_a1.pk], user_cache.load(actor.pk))
    unit_update(actor=actor, unit=tree.grassroots_a1, name="甲市新名字基层工会", short_name="新名字")
    renamed, queries = names([tree.grassroots_a1.pk], user_cache.load(actor.pk))
    assert renamed == {tree.grassroots_a1.pk: "新名字"} and queries == 1


def test_without_the_user_in_the_cache_names_are_read_every_time(settings, tree, role_users):
    settings.CACHE_SIGNED_IN_USER = False
    user = user_cache.load(role_users["staff_unit"].pk)
    assert user_cache.units_generation(user) is None
    for _ in range(2):
        assert names([tree.grassroots_a1.pk], user) == ({tree.grassroots_a1.pk: tree.grassroots_a1.display_name}, 1)


def test_the_team_list_shows_a_renamed_union_at_once(client, tree, role_users):
    make_team(leader=role_users["leader"], union=tree.grassroots_a1, name="梦桃班组")
    client.force_login(role_users["staff_ancestor"])
    assert tree.grassroots_a1.display_name in client.get(reverse("teams:list")).content.decode()
    tree.grassroots_a1.short_name = "改名后的工会"
    tree.grassroots_a1.save()
    assert "改名后的工会" in client.get(reverse("teams:list")).content.decode()
