"""The reminder sweep on real Celery workers (tests/celery_tools.py) on the Redis broker: driven by its
real beat entry, and retried after its worker was killed in the middle of it (acks_late), each
reminder goes out once."""

import os
import re
import signal
import time
from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from mengtao.celery import app as celery_app
from notifications import kinds
from notifications.models import Notification, OutboundEmail, ReminderLog
from notifications.tasks import send_reminders
from teams.services import application_start
from tests.factories import UserFactory, make_campaign, make_team
from tests.notifications.test_reminders import set_deadline

pytestmark = [pytest.mark.celery_worker]

# The worker's broker gives a task whose worker died to another this soon (seconds).
VISIBILITY = 2
SUCCEEDED = re.compile(r"Task notifications\.send_reminders\[[^\]]+\] succeeded")


def leaders_with_drafts(tree, n=3):
    """`n` leaders, each with a draft of a campaign whose deadline is a day away: the 1-day threshold
    is due now."""
    campaign = make_campaign(organiser=tree.province, publish=True)
    leaders, drafts = [], []
    for i in range(n):
        leader = UserFactory(username=f"leader-w{i}")
        team = make_team(leader=leader, union=tree.grassroots_a1, name=f"班{i}")
        drafts.append(application_start(actor=leader, team=team, campaign=campaign))
        leaders.append(leader)
    set_deadline(campaign, timezone.now() + timedelta(hours=20))
    campaign.refresh_from_db()
    return campaign, leaders, drafts


def told_once_each(leaders) -> bool:
    return all(Notification.objects.filter(recipient=u, kind=kinds.REMINDER).count() == 1 for u in leaders)


def assert_exactly_once(leaders):
    assert ReminderLog.objects.count() == len(leaders)
    assert told_once_each(leaders)
    assert OutboundEmail.objects.filter(kind=kinds.REMINDER).count() == len(leaders)
    assert set(ReminderLog.objects.values_list("notification__recipient", flat=True)) == {u.pk for u in leaders}


@pytest.mark.django_db(transaction=True)
def test_the_beat_entry_runs_the_sweep_and_its_reruns_send_nothing(tree, redis_broker, start_worker, beat_entries):
    _campaign, leaders, _drafts = leaders_with_drafts(tree)
    # The migration's entry, hourly at minute 5, made to run every second as staff could in the admin.
    entry = PeriodicTask.objects.get(task="notifications.send_reminders")
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(pk=entry.pk).update(crontab=None, interval=every_second)
    PeriodicTask.objects.exclude(pk=entry.pk).update(enabled=False)
    worker = start_worker(redis_broker, beat_interval=3600)
    worker.wait_until(lambda: told_once_each(leaders), timeout=60)
    worker.wait_until(lambda: len(SUCCEEDED.findall(worker.log.read_text())) >= 3)  # and twice again
    assert_exactly_once(leaders)


def _hold_reminder_row(leader, draft, campaign):
    """Insert, uncommitted, the log row the sweep will want for `draft`: its own insert waits for it."""
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or "127.0.0.1", port=db["PORT"]
    )
    with holder.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ReminderLog._meta.db_table} (recipient_id, campaign_id, deadline_kind, object_id, deadline, "
            "threshold, sent_at) VALUES (%s, %s, 'application', %s, %s, 1, now())",
            [leader.pk, campaign.pk, draft.pk, campaign.application_deadline],
        )
    return holder


def _sweep_waits() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE %s",
            [f"%INSERT INTO%{ReminderLog._meta.db_table}%"],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_sweep_whose_worker_was_killed_is_retried_and_sends_each_reminder_once(tree, redis_broker, start_worker):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test's PostgreSQL database")
    campaign, leaders, drafts = leaders_with_drafts(tree)
    broker = {**redis_broker, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}
    holder = _hold_reminder_row(leaders[0], drafts[0], campaign)
    try:
        first = start_worker(broker)
        with celery_app.connection_for_write(broker["CELERY_BROKER_URL"]) as conn:
            send_reminders.apply_async(producer=conn.Producer())
        first.wait_until(_sweep_waits, timeout=60)  # inside the sweep, its batch's rows not committed
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait()
    finally:
        holder.rollback()
        holder.close()
    assert ReminderLog.objects.count() == 0 and Notification.objects.count() == 0  # nothing half-done
    time.sleep(VISIBILITY + 0.5)
    second = start_worker(broker)  # gets the unacknowledged task again
    second.wait_until(lambda: told_once_each(leaders), timeout=60)
    second.wait_until(lambda: SUCCEEDED.search(second.log.read_text()) is not None)
    assert_exactly_once(leaders)
