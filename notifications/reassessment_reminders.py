"""Deadline reminders of the re-assessments (复核) that are running: the leaders of the teams whose
report is not submitted (before the report deadline; a returned one, before the review deadline), and
the acting staff of each unit where a report waits (before the review deadline). The object is the
item (one title in one re-assessment); the log's campaign is the campaign that named the title. The
thresholds are the defaults (7, 3 and 1 days before): a re-assessment has no reminder days of its own.
Sent by the same sweep, through the same exactly-once log, as the campaigns' reminders."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from awards.models import Reassessment, ReassessmentItem
from core.urls import reverse_fast

from .models import ReminderLog
from .reminders import DEFAULT_THRESHOLDS, Item, Window
from .staff import nearest_staff

D = ReminderLog.Deadline
S = ReassessmentItem.State


def _covers(window: Window, deadline: datetime) -> bool:
    if deadline <= window.now:
        return False
    return window.everything_ahead or deadline - timedelta(days=DEFAULT_THRESHOLDS[0]) <= window.now


def _running(window: Window) -> dict[int, Reassessment]:
    """The running re-assessments with a deadline the window covers (few: one query)."""
    return {
        r.pk: r
        for r in Reassessment.objects.filter(state=Reassessment.State.RUNNING).only(
            "id", "title", "report_deadline", "review_deadline"
        )
        if _covers(window, r.report_deadline) or _covers(window, r.review_deadline)
    }


def reports_due(window: Window) -> Iterator[Item]:
    """Leaders of the teams whose re-assessment report is not submitted yet (object: the item)."""
    running = _running(window)
    if not running:
        return
    rows = (
        ReassessmentItem.objects.filter(
            reassessment_id__in=list(running),
            state__in=[S.NOT_STARTED, S.DRAFT, S.RETURNED],
            team__leaders__is_active=True,
        )
        .order_by()
        .values_list("pk", "reassessment_id", "state", "team__name", "team__leaders", "title__decision__campaign_id")
    )
    for pk, reassessment_id, state, team, leader, campaign_id in rows.iterator(2000):
        reassessment = running[reassessment_id]
        due = reassessment.review_deadline if state == S.RETURNED else reassessment.report_deadline
        if not _covers(window, due):
            continue
        label = _("Submit the re-assessment report of %(team)s to “%(reassessment)s”") % {
            "team": team,
            "reassessment": reassessment.title,
        }
        url = reverse_fast("awards:reassessment_report", pk)
        yield Item(leader, D.REASSESSMENT_REPORT, pk, due, campaign_id, DEFAULT_THRESHOLDS, label, url)


WAITING_FIELDS = ("id", "reassessment_id", "unit__name", "unit__path", "team__name", "title__decision__campaign_id")


def reports_waiting(window: Window) -> Iterator[Item]:
    """The acting staff of each unit where a re-assessment report waits, before the review deadline
    (object: the item)."""
    running = {pk: r for pk, r in _running(window).items() if _covers(window, r.review_deadline)}
    if not running:
        return
    items = list(
        ReassessmentItem.objects.filter(reassessment_id__in=list(running), state=S.WAITING)
        .select_related("unit", "team", "title__decision")
        .only(*WAITING_FIELDS)
        .order_by("id")
    )
    if not items:
        return
    acting = nearest_staff({item.unit_id: item.unit for item in items}.values())
    url = reverse_fast("awards:reassessment_queue")
    for item in items:
        reassessment = running[item.reassessment_id]
        label = _("Give your opinion on the re-assessment report of %(team)s waiting at %(unit)s") % {
            "team": item.team.name,
            "unit": item.unit.name,
        }
        for user in acting[item.unit_id]:
            yield Item(
                user.pk, D.REASSESSMENT_REVIEW, item.pk, reassessment.review_deadline,
                item.title.decision.campaign_id, DEFAULT_THRESHOLDS, label, url,
            )  # fmt: skip


SOURCES = [reports_due, reports_waiting]
