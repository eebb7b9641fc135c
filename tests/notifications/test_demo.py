"""The demo's inbox: the demo leader signs in to a bell with unread notifications, each linking to an
application of their teams. Loaded twice, nothing changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def test_the_demo_leader_has_unread_notifications(client):
    call_command("seed_demo")
    leader = User.objects.get(username="leader")
    notifications = list(Notification.objects.filter(recipient=leader))
    assert notifications and unread_count(user=leader) == len(notifications)
    assert all(n.url.startswith("/applications/") for n in notifications)
    assert not Notification.objects.exclude(recipient=leader).exists()

    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert f'data-testid="unread-count">{len(notifications)}<' in page
    inbox = client.get(reverse("notifications:inbox"))
    assert len(inbox.context["page_obj"]) == len(notifications)
    # Each opens its application, which the leader may read.
    response = client.post(reverse("notifications:read", args=[notifications[0].pk]), {"open": "1"}, follow=True)
    assert response.status_code == 200 and response.request["PATH_INFO"] == notifications[0].url

    call_command("seed_demo")
    assert Notification.objects.count() == len(notifications)
