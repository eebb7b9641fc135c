"""The re-assessment's (复核) notifications and reminders: the leaders are told when it starts and when
their report is returned; before the report deadline the leaders of the teams that have not reported
are reminded, before the review deadline the staff of the units where reports wait — each exactly
once, through the sweep's log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import reassessment as services
from awards.models import Reassessment
from notifications import kinds
from notifications.models import Notification, ReminderLog
from notifications.reminders import sweep
from tests.awards.test_reassessment import build, fill, item_of, start

pytestmark = pytest.mark.django_db

D = ReminderLog.Deadline


def told(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    return list(rows.filter(kind=kind) if kind else rows)


def test_the_leaders_are_told_when_it_starts_and_when_their_report_is_returned(
    tree, django_capture_on_commit_callbacks
):
    world = build(tree)
    with django_capture_on_commit_callbacks(execute=True):
        reassessment = start(world, tree)
    started = told(world.leader, kinds.REASSESSMENT)
    assert len(started) == 3  # one per team the leader leads
    item = item_of(reassessment, world.teams[0])
    assert any(n.url == reverse("awards:reassessment_report", args=[item.pk]) for n in started)
    assert all(reassessment.document_number in n.body for n in started)
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_decide(actor=world.staff_a1, item=item, kind="return", opinion="请补充师带徒台帐。")
    [back] = told(world.leader, kinds.RETURNED)
    assert back.essential and "请补充师带徒台帐" in back.body and world.teams[0].name in back.title


def test_the_sweep_reminds_the_leaders_who_have_not_reported_and_the_staff_where_reports_wait(tree):
    world = build(tree)
    reassessment = start(world, tree)
    now = timezone.now()
    Reassessment.objects.filter(pk=reassessment.pk).update(
        report_deadline=now + timedelta(days=2), review_deadline=now + timedelta(days=5)
    )
    reassessment.refresh_from_db()
    item = item_of(reassessment, world.teams[0])
    fill(item, world.leader)
    services.report_submit(actor=world.leader, item=item)
    counts = sweep(now)
    logs = ReminderLog.objects.all()
    reports = {
        (log.recipient_id, log.object_id, log.threshold) for log in logs.filter(deadline_kind=D.REASSESSMENT_REPORT)
    }
    others = [item_of(reassessment, t).pk for t in world.teams[1:]]
    assert reports == {(world.leader.pk, pk, 3) for pk in others}
    waiting = logs.get(deadline_kind=D.REASSESSMENT_REVIEW)
    assert (waiting.recipient_id, waiting.object_id, waiting.threshold) == (world.staff_a1.pk, item.pk, 7)
    assert waiting.campaign_id == world.campaign.pk
    [digest] = told(world.leader, kinds.REMINDER)
    assert digest.body.count(reverse("awards:reassessment_report", args=[others[0]])) == 1
    assert counts.reminders == 3
    # Exactly once: the same sweep again sends nothing.
    assert sweep(now).reminders == 0
    assert Notification.objects.filter(kind=kinds.REMINDER).count() == 2
    # Nothing once the re-assessment is concluded.
    Reassessment.objects.filter(pk=reassessment.pk).update(state=Reassessment.State.CONCLUDED)
    assert sweep(now + timedelta(days=1, hours=1)).reminders == 0
