"""The demo's inbox: the demo's actions tell people as real ones do, so the demo leader signs in to a
bell with unread notifications, each linking to something they may open. Loaded twice, nothing changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from notifications import kinds
from notifications.models import Notification, ReminderLog
from notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def test_the_demo_leader_has_unread_notifications(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    leader = User.objects.get(username="leader")
    notifications = list(Notification.objects.filter(recipient=leader))
    assert {n.kind for n in notifications} >= {kinds.RETURNED}
    # The reminder sweep ran once: those who owe an action before a coming deadline were reminded.
    assert ReminderLog.objects.exists()
    assert (
        Notification.objects.filter(kind=kinds.REMINDER).count()
        == ReminderLog.objects.values("recipient").distinct().count()
    )
    assert unread_count(user=leader) == len(notifications)
    # The province's staff were told of the recommendations that reached them, the named teams' leaders of their titles.
    assert Notification.objects.filter(recipient__username="sheng_staff", kind=kinds.RECOMMENDED).exists()
    assert Notification.objects.filter(kind=kinds.NAMED).count() >= 16

    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert f'data-testid="unread-count">{len(notifications)}<' in page
    inbox = client.get(reverse("notifications:inbox"))
    assert len(inbox.context["page_obj"]) == len(notifications)
    # Each opens what it is about, which the leader may read.
    for notification in notifications:
        response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"}, follow=True)
        assert response.status_code == 200 and response.request["PATH_INFO"] == notification.url

    count = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert Notification.objects.count() == count
