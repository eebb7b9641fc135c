"""The in-app inbox: the bell's count, the list of the last 90 days, marking read, and privacy."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import user_cache
from notifications.models import Notification
from notifications.selectors import BELL, unread_count
from notifications.services import notification_mark_read, notifications_mark_all_read, notify, notify_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add(user, n, **kwargs):
    for i in range(n):
        notify(recipient=user, kind="test.thing", title=f"通知{i}", body="正文", url=f"/teams/{i}/", **kwargs)


def test_notify_many_writes_one_row_per_active_person_once(role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    gone = UserFactory(username="gone", is_active=False)
    rows = notify_many(recipients=[leader, staff, leader, gone, None], kind="test.thing", title="标题", url="/x/")
    assert sorted(r.recipient_id for r in rows) == sorted([leader.pk, staff.pk])
    assert Notification.objects.count() == 2
    assert notify_many(recipients=[], kind="test.thing", title="标题") == []


def test_the_bell_shows_the_unread_count_of_the_user_only(client, role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    add(leader, 3)
    add(staff, 1)
    notification_mark_read(user=leader, notification_id=Notification.objects.filter(recipient=leader).first().pk)
    client.force_login(leader)
    response = client.get(reverse("home"))
    assert response.context["notification_bell"].unread == 2
    assert b'data-testid="unread-count">2<' in response.content


def test_no_bell_count_when_nothing_is_unread_and_none_for_visitors(client, role_users):
    client.force_login(role_users["leader"])
    response = client.get(reverse("home"))
    assert b'data-testid="bell"' in response.content and b'data-testid="unread-count"' not in response.content
    client.logout()
    assert b'data-testid="bell"' not in client.get(reverse("home")).content


def test_the_bell_is_counted_once_then_kept_until_a_notification_changes(client, role_users):
    """The count is one query on a cold cache (asked once even when the template reads it twice, the
    count and the label), none while nothing changes, and right again after every kind of change."""
    leader = role_users["leader"]
    client.force_login(leader)

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("profile"))
        count = re.search(rb'data-testid="unread-count">(\d+)<', response.content)
        return (int(count.group(1)) if count else 0), sum(
            "notifications_notification" in q["sql"] for q in captured.captured_queries
        )

    assert page() == (0, 1)
    assert page() == (0, 0)
    add(leader, 5)
    assert page() == (5, 1)
    assert page() == (5, 0)
    notification_mark_read(user=leader, notification_id=Notification.objects.filter(recipient=leader).first().pk)
    assert page() == (4, 1)
    notifications_mark_all_read(user=leader)
    assert page() == (0, 1)
    Notification.objects.create(recipient=leader, kind="test.thing", title="单独一条", created_at=timezone.now())
    assert page() == (1, 1)
    Notification.objects.filter(recipient=leader, read_at__isnull=True).get().delete()
    assert page() == (0, 1)


def test_the_bell_read_with_the_user_is_not_used_once_a_notification_changed(role_users):
    """The figure comes with the signed-in user in one trip to the cache; a change made later in the
    same request (the inbox marking read, a notice sent) makes the page count again."""
    leader = role_users["leader"]
    assert unread_count(user=leader) == 0  # now in the cache
    user = user_cache.load(leader.pk)
    assert user_cache.companion(user, BELL) == 0 and unread_count(user=user) == 0
    add(leader, 2)
    assert user_cache.companion(user, BELL) is user_cache.NOT_READ
    assert unread_count(user=user) == 2
    assert user_cache.companion(user_cache.load(leader.pk), BELL) == 2


@pytest.mark.parametrize("rows", [1, 3, 30])
def test_the_inbox_query_count_does_not_grow_with_rows(client, role_users, django_assert_num_queries, rows):
    leader = role_users["leader"]
    add(leader, rows)
    client.force_login(leader)
    # The session, the user, the roles (navigation), the page's count, its rows, the bell.
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["page_obj"]) == rows


def test_the_inbox_lists_the_last_90_days_newest_first_own_only(client, role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    old = notify(recipient=leader, kind="test.thing", title="三个月前的通知")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    notify(recipient=leader, kind="test.thing", title="较早的通知")
    newer = notify(recipient=leader, kind="test.thing", title="最新的通知", body="第一行\n第二行", url="/teams/1/")
    notify(recipient=staff, kind="test.thing", title="别人的通知")
    client.force_login(leader)
    response = client.get(reverse("notifications:inbox"))
    titles = [n.title for n in response.context["page_obj"]]
    assert titles == ["最新的通知", "较早的通知"]
    assert "第一行<br>第二行" in response.content.decode()
    # The old one does not count on the bell either.
    assert unread_count(user=leader) == 2
    assert newer.url == "/teams/1/"


def test_open_marks_read_and_goes_to_the_object(client, role_users):
    leader = role_users["leader"]
    notification = notify(recipient=leader, kind="test.thing", title="申报被退回", url="/applications/7/")
    client.force_login(leader)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/applications/7/"
    notification.refresh_from_db()
    assert notification.is_read
    first_read = notification.read_at
    # Marking it again keeps the first time.
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_open_never_leaves_the_site(client, role_users):
    leader = role_users["leader"]
    notification = notify(recipient=leader, kind="test.thing", title="外部链接", url="https://example.com/")
    client.force_login(leader)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:inbox")


def test_a_forged_id_is_404_and_changes_nothing(client, role_users):
    others = notify(recipient=role_users["staff_unit"], kind="test.thing", title="别人的通知")
    client.force_login(role_users["leader"])
    assert client.post(reverse("notifications:read", args=[others.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[others.pk + 1000])).status_code == 404
    others.refresh_from_db()
    assert not others.is_read
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=role_users["leader"], notification_id=others.pk)


def test_mark_all_read_is_the_users_own(client, role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    add(leader, 3)
    add(staff, 2)
    client.force_login(leader)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "3" in next(str(m) for m in response.context["messages"])
    assert unread_count(user=leader) == 0 and unread_count(user=staff) == 2
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert len(list(response.context["messages"])) == 1
    assert notifications_mark_all_read(user=leader) == 0


def test_marking_read_is_post_only(client, role_users):
    notification = notify(recipient=role_users["leader"], kind="test.thing", title="通知")
    client.force_login(role_users["leader"])
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405
