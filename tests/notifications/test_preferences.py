"""Preferences and the daily digest: mail at once or once a day, muted kinds, essential ones kept."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications import kinds
from notifications.digest import send_daily_digests
from notifications.models import Notification, OutboundEmail, Preference
from notifications.services import notify, preference_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_preferences_page_saves_the_choice_and_keeps_it(client, role_users):
    leader = role_users["leader"]
    client.force_login(leader)
    page = client.get(reverse("notifications:preferences"))
    assert "每天汇总发一封邮件" in page.content.decode()
    assert f'value="{kinds.REMINDER}"' not in page.content.decode()  # reminders cannot be muted
    response = client.post(
        reverse("notifications:preferences"), {"mail": "daily", "muted": [kinds.SHORTLISTED, kinds.SUBMITTED]}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=leader)
    assert preference.mail == "daily" and preference.muted == sorted([kinds.SHORTLISTED, kinds.SUBMITTED])
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form.initial == {"mail": "daily", "muted": sorted([kinds.SHORTLISTED, kinds.SUBMITTED])}


def test_a_bad_choice_is_refused_in_chinese_and_an_essential_kind_cannot_be_muted(client, role_users):
    client.force_login(role_users["leader"])
    response = client.post(reverse("notifications:preferences"), {"mail": "weekly", "muted": [kinds.REMINDER]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "选择一个有效的选项" in text
    assert not Preference.objects.exists()


def test_without_an_address_no_mail_is_queued_and_the_page_says_so(client, role_users):
    leader = role_users["leader"]
    leader.email = ""
    leader.save()
    assert notify(recipient=leader, kind=kinds.RETURNED, title="退回", essential=True).email is None
    assert not OutboundEmail.objects.exists()
    client.force_login(leader)
    assert "没有登记电子邮箱" in client.get(reverse("notifications:preferences")).content.decode()


def test_the_daily_digest_gathers_what_was_not_mailed_once(role_users):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    preference_save(user=leader, mail="daily", muted=[])
    for i in range(3):
        notify(recipient=leader, kind=kinds.SUBMITTED, title=f"甲班{i}已提交申报", url=f"/applications/{i}/")
    notify(recipient=leader, kind=kinds.RETURNED, title="乙班申报被退回修改", essential=True)
    notify(recipient=staff, kind=kinds.SUBMITTED, title="即时邮件")  # immediate: mailed already
    assert OutboundEmail.objects.count() == 2  # the essential one and the staff's
    assert send_daily_digests() == 1
    digest = OutboundEmail.objects.get(kind="digest")
    assert digest.to == leader.email and "3" in digest.subject
    assert all(f"甲班{i}已提交申报" in digest.text for i in range(3)) and "乙班" not in digest.text
    assert "/applications/2/" in digest.html
    assert Notification.objects.filter(recipient=leader, email=digest).count() == 3
    assert send_daily_digests() == 0  # a second run finds nothing left


def test_the_digest_leaves_out_the_muted_and_those_older_than_the_inbox(role_users):
    leader = role_users["leader"]
    preference_save(user=leader, mail="daily", muted=[kinds.NAMED])
    notify(recipient=leader, kind=kinds.NAMED, title="已命名")
    old = notify(recipient=leader, kind=kinds.SUBMITTED, title="很久以前")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert send_daily_digests() == 0


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_mail_each_notification_once(tree):
    people = [UserFactory(username=f"digest{i}") for i in range(6)]
    for person in people:
        preference_save(user=person, mail="daily", muted=[])
        for i in range(2):
            notify(recipient=person, kind=kinds.SUBMITTED, title=f"通知{i}")
    counts, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            counts.append(send_daily_digests())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert OutboundEmail.objects.filter(kind="digest").count() == 6
    assert not Notification.objects.filter(email=None).exists()
    # What one run skipped (locked by the other) was mailed by the other: nothing is left.
    assert send_daily_digests() == 0
