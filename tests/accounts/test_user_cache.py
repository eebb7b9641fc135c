"""The signed-in user and their roles come from the cache after the first request, and every change
that matters — roles, the account itself, the units — is seen on the very next request."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.models import RoleAssignment
from accounts.services import role_assign, role_revoke, unit_move, unit_update, user_set_password
from core.redis_cache import RedisCache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEAMS = reverse("teams:list")


def user_queries(client, path=TEAMS):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    tables = ('FROM "accounts_user"', 'FROM "accounts_roleassignment"')
    return response, [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]


def test_the_user_and_roles_are_read_once_then_from_the_cache(client, role_users):
    client.force_login(role_users["staff_unit"])
    first, cold = user_queries(client)
    second, warm = user_queries(client)
    assert first.status_code == second.status_code == 200
    assert len(cold) == 1 and warm == []  # a user with roles comes with them in one query
    assert second.wsgi_request.user == role_users["staff_unit"]
    assert [a.role for a in second.wsgi_request.user.role_assignment_list()] == [RoleAssignment.Role.STAFF]


def test_a_signed_in_page_reads_the_user_the_generations_and_the_bell_in_one_trip(client, role_users, monkeypatch):
    """Each trip to Redis costs more than what it carries: beside the session (in the database here,
    in the cache with Redis), a signed-in page makes one call to the cache."""
    from django.core.cache import cache

    client.force_login(role_users["staff_unit"])
    client.get(TEAMS)  # fills the cache
    calls, depth = [], [0]

    def counted(name, method):
        def call(*args, **kwargs):
            if not depth[0]:  # not the calls one method makes to another (LocMemCache.get_many to get)
                calls.append((name, args[0]))
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "has_key"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    user = role_users["staff_unit"]
    response = client.get(TEAMS)
    assert response.status_code == 200 and response.context["notification_bell"].unread == 0
    [(name, keys)] = calls  # the companions (the bell, the campaigns' generation) in the order they registered
    assert name == "get_many" and keys[:2] == [user_cache.GENERATION_KEY, f"auth-user:{user.pk}"]
    assert sorted(keys[2:]) == [f"bell:{user.pk}", "campaigns:generation"]


def test_a_role_granted_or_revoked_counts_on_the_next_request(client, tree, role_users):
    leader = role_users["leader"]
    client.force_login(leader)
    assert client.get(TEAMS).status_code == 403
    assignment = role_assign(actor=None, user=leader, role=RoleAssignment.Role.STAFF, unit=tree.city_a)
    assert client.get(TEAMS).status_code == 200
    role_revoke(actor=None, assignment=assignment)
    assert client.get(TEAMS).status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(client, role_users):
    staff = role_users["staff_unit"]
    client.force_login(staff)
    assert client.get(TEAMS).status_code == 200
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    response = client.get(TEAMS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_password_changed_elsewhere_ends_the_other_sessions(client, role_users):
    staff = role_users["staff_unit"]
    client.force_login(staff)
    assert client.get(TEAMS).status_code == 200
    user_set_password(actor=role_users["superuser"], user=staff, raw_password="Another#Passw0rd-2026")
    response = client.get(TEAMS)
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_a_moved_or_renamed_unit_reaches_the_cached_roles(client, tree):
    staff = UserFactory(username="jiceng_staff", unit=tree.grassroots_a1)
    role_assign(actor=None, user=staff, role=RoleAssignment.Role.STAFF, unit=tree.grassroots_a1)
    client.force_login(staff)
    assert client.get(TEAMS).wsgi_request.user.role_assignment_list()[0].unit.path.startswith(tree.city_a.path)

    unit_move(actor=None, unit=tree.grassroots_a1, new_parent=tree.city_b)
    moved = client.get(TEAMS).wsgi_request.user.role_assignment_list()[0].unit
    tree.city_b.refresh_from_db()
    assert moved.path.startswith(tree.city_b.path)

    unit_update(actor=None, unit=moved, name="乙市机械厂工会")
    assert client.get(TEAMS).wsgi_request.user.role_assignment_list()[0].unit.name == "乙市机械厂工会"


def test_a_write_that_sends_no_signal_is_forgotten_by_hand(client, role_users):
    """`QuerySet.update()` sends no post_save: whoever writes users so calls `forget`."""
    staff = role_users["staff_unit"]
    client.force_login(staff)
    client.get(TEAMS)
    type(staff).objects.filter(pk=staff.pk).update(name="改名之后")
    assert client.get(TEAMS).wsgi_request.user.name != "改名之后"  # the cached copy, as documented
    user_cache.forget(staff.pk)
    assert client.get(TEAMS).wsgi_request.user.name == "改名之后"


def test_a_user_without_roles_is_read_in_a_second_query(client, role_users):
    client.force_login(role_users["leader"])
    _response, cold = user_queries(client, reverse("home"))
    assert len(cold) == 2
    assert user_cache.load(role_users["leader"].pk).role_assignment_list() == []


def test_an_unknown_user_is_none():
    assert user_cache.load(10**9) is None


def test_the_redis_cache_keeps_one_client_per_pool():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set (make test sets it)")
    cache = RedisCache(redis_url, {"KEY_PREFIX": "test-redis-cache"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client("any", write=False) is client
    cache.set("a", {"用户": 1}, 30)
    assert cache.get("a") == {"用户": 1}
    assert cache.get_many(["a", "b"]) == {"a": {"用户": 1}}
    cache.delete_many(["a"])
    assert cache.get("a") is None


def test_without_a_shared_cache_every_request_reads_the_user(client, role_users, settings):
    """The embedded run's in-memory cache is each worker's own: there nothing is kept, and a role
    revoked in one worker counts in every other at once."""
    settings.CACHE_SIGNED_IN_USER = False
    client.force_login(role_users["staff_unit"])
    _first, cold = user_queries(client)
    _second, again = user_queries(client)
    assert len(cold) == len(again) == 1
    with CaptureQueriesContext(connection) as captured:
        client.get(TEAMS)
    assert sum("notifications_notification" in q["sql"] for q in captured.captured_queries) == 1
