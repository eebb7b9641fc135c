"""The audit-trail page: scope, filters and a bounded number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def add_events(n, unit, action="accounts.login_failed", **kwargs):
    for i in range(n):
        record(actor=None, action=action, unit=unit, details={"username": f"u{i}"}, **kwargs)


def test_staff_see_the_events_of_their_subtree_only(client, tree, role_users):
    add_events(1, tree.grassroots_a1)
    add_events(1, tree.grassroots_b1, action="accounts.logout")
    client.force_login(role_users["staff_unit"])
    events = list(client.get(reverse("audit:event_list")).context["page_obj"])
    assert tree.grassroots_a1 in {e.unit for e in events}
    assert all(e.unit.is_in_subtree_of(tree.city_a) for e in events)
    assert not any(e.action == "accounts.logout" for e in events)


def test_filter_by_action_and_date(client, tree, role_users):
    add_events(2, tree.city_a, action="accounts.password_change")
    add_events(1, tree.city_a, action="accounts.logout")
    client.force_login(role_users["staff_unit"])
    response = client.get(reverse("audit:event_list"), {"action": "accounts.logout"})
    assert [e.action for e in response.context["page_obj"]] == ["accounts.logout"]
    today = datetime.now(SHANGHAI).date()
    tomorrow = (today + timedelta(days=1)).isoformat()
    changes = {"action": "accounts.password_change"}
    response = client.get(reverse("audit:event_list"), {**changes, "occurred_after": tomorrow})
    assert list(response.context["page_obj"]) == []
    response = client.get(reverse("audit:event_list"), {**changes, "occurred_after": today.isoformat()})
    assert len(response.context["page_obj"]) == 2


def test_filter_by_actor(client, tree, role_users):
    add_events(1, tree.city_a)
    record(actor=role_users["staff_unit"], action="accounts.logout", unit=tree.city_a)
    client.force_login(role_users["staff_ancestor"])
    response = client.get(reverse("audit:event_list"), {"actor": "staff_unit"})
    assert [e.actor for e in response.context["page_obj"]] == [role_users["staff_unit"]]


def test_the_page_shows_chinese_action_labels_and_shanghai_time(client, tree, role_users):
    record(actor=None, action="accounts.logout", unit=tree.city_a)
    event = AuditEvent.objects.get(action="accounts.logout")
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "退出登录" in page
    assert event.occurred_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") in page


@pytest.mark.parametrize("rows", [1, 3])
def test_query_count_does_not_grow_with_rows(client, tree, role_users, django_assert_num_queries, rows):
    add_events(rows, tree.city_a, action="accounts.password_change")
    client.force_login(role_users["staff_unit"])
    # session, user, role assignments, count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("audit:event_list"), {"action": "accounts.password_change"})
    assert len(response.context["page_obj"]) == rows
