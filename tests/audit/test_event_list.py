"""The audit-trail page: scope, filters and a bounded number of queries."""

from datetime import UTC, datetime, timedelta
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


def add_campaign_edits(n, unit):
    """Events as a campaign edit records them: the details table reads the campaign's field names."""
    for i in range(n):
        AuditEvent.objects.create(
            action="campaigns.update",
            target_type="campaigns.campaign",
            target_id=str(i),
            target_repr=f"通知{i}",
            unit=unit,
            details={
                "changes": {
                    "title": ["旧标题", f"新标题{i}"],
                    "level_deadlines": {"grassroots": [None, "2026-05-31T10:00:00+00:00"]},
                }
            },
        )


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
    page = response.content.decode()
    assert '<option value="accounts.logout" selected>' in page  # the filter shows what was chosen
    assert '<option value="">请选择…</option>' in page
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


def test_the_filter_reads_dates_as_beijing_days(client, tree, role_users):
    # 17:00 UTC on 31 May is 01:00 on 1 June in Beijing.
    AuditEvent.objects.create(
        action="accounts.logout", unit=tree.city_a, occurred_at=datetime(2026, 5, 31, 17, 0, tzinfo=UTC)
    )
    client.force_login(role_users["staff_unit"])
    url = reverse("audit:event_list")
    june_first = {"action": "accounts.logout", "occurred_after": "2026-06-01", "occurred_before": "2026-06-01"}
    may_31 = {"action": "accounts.logout", "occurred_after": "2026-05-31", "occurred_before": "2026-05-31"}
    assert len(client.get(url, june_first).context["page_obj"]) == 1
    assert len(client.get(url, may_31).context["page_obj"]) == 0
    assert "2026-06-01 01:00:00" in client.get(url, june_first).content.decode()


def test_the_details_show_as_a_chinese_table_in_a_row_below_the_event(client, tree, role_users):
    add_campaign_edits(1, tree.city_a)
    event = AuditEvent.objects.get(action="campaigns.update")
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("audit:event_list")).content.decode()
    assert "{'" not in page and "&#x27;" not in page  # no raw dict
    assert "<details" not in page
    toggle = (
        f'data-bs-toggle="collapse" data-bs-target="#event-{event.pk}-details" aria-expanded="false" '
        f'aria-controls="event-{event.pk}-details" aria-label="展开“修改创建活动”的详情"'
    )
    assert toggle in page
    assert f'<tr class="collapse audit-details-row" id="event-{event.pk}-details">' in page
    assert '<td colspan="7">' in page
    for text in (
        "字段",
        "修改前",
        "修改后",
        "标题",
        "旧标题",
        "新标题0",
        "分级推荐截止时间（基层工会）",
        "2026-05-31 18:00",
    ):
        assert text in page


def test_an_event_without_details_has_no_button(client, tree, role_users):
    record(actor=None, action="accounts.logout", unit=tree.city_a)
    client.force_login(role_users["staff_unit"])
    page = client.get(reverse("audit:event_list"), {"action": "accounts.logout"}).content.decode()
    assert '-details"' not in page
    assert "audit-details-row" not in page


@pytest.mark.parametrize("rows", [1, 3])
def test_query_count_does_not_grow_with_rows(client, tree, role_users, django_assert_num_queries, rows):
    add_events(rows, tree.city_a, action="accounts.password_change")
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, count, page
    with django_assert_num_queries(5):  # and the bell
        response = client.get(reverse("audit:event_list"), {"action": "accounts.password_change"})
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_query_count_with_details_tables_does_not_grow(client, tree, role_users, django_assert_num_queries, rows):
    add_campaign_edits(rows, tree.city_a)
    client.force_login(role_users["staff_unit"])
    # session, the user with their roles, count, page: the tables need no query of their own
    with django_assert_num_queries(5):  # and the bell
        response = client.get(reverse("audit:event_list"), {"action": "campaigns.update"})
    assert response.content.decode().count("audit-details-row") == rows


def test_the_action_filter_s_choices_follow_the_language_and_new_actions(monkeypatch):
    from django.utils import translation

    from audit import registry

    monkeypatch.setattr(registry, "_actions", dict(registry._actions))
    try:
        with translation.override("zh-hans"):
            chinese = dict(registry.action_choices())
        with translation.override("en"):
            english = dict(registry.action_choices())
        assert chinese["accounts.role_assign"] != english["accounts.role_assign"]
        with translation.override("en"):
            registry.register_actions({"tests.example": "An example"})
            assert dict(registry.action_choices())["tests.example"] == "An example"
    finally:
        registry._choices_in.cache_clear()  # nothing kept from the registry the example was added to
