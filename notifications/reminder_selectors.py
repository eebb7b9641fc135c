"""Reads of one campaign's deadline reminders for its "what will be sent" page: who is owed a reminder,
about what and when the next one goes out (from the very sources the sweep reads), and the reminders
already sent with the state of their e-mail."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign

from .models import ReminderLog
from .reminders import Item, Window, due_threshold, pending


@dataclass
class Coming:
    """One item's next reminder: its threshold and the moment it comes (None: nothing more to send)."""

    item: Item
    recipient: User | None
    threshold: int | None
    at: datetime | None
    at_next_sweep: bool

    @property
    def deadline_label(self) -> str:
        return ReminderLog.Deadline(self.item.kind).label


def coming_reminders(campaign: Campaign, now: datetime | None = None) -> list[Item]:
    """Every item someone owes before a deadline of `campaign` still ahead, the nearest deadline first."""
    if campaign.status not in Campaign.RUNNING:
        return []
    items = list(pending([campaign], Window(timezone.now() if now is None else now, everything_ahead=True)))
    items.sort(key=lambda i: (i.deadline, i.kind, i.object_id, i.recipient_id))
    return items


def next_threshold(item: Item, told: list[tuple], now: datetime) -> tuple[int, datetime] | None:
    """The threshold `item` is reminded at next, and its moment: the one due now unless it was sent
    (for this deadline, or at this threshold after its moment), else the next whose moment is ahead.
    `told` holds (deadline, threshold, sent at) of the person's reminders about the object."""
    due = due_threshold(item.deadline, item.thresholds, now)
    ahead = [t for t in item.thresholds if item.deadline - timedelta(days=t) > now]
    for threshold in ([due] if due is not None else []) + ahead:
        moment = item.deadline - timedelta(days=threshold)
        if any(t == threshold and (deadline == item.deadline or sent >= moment) for deadline, t, sent in told):
            continue
        return threshold, moment
    return None


def next_reminders(items: list[Item], now: datetime | None = None) -> list[Coming]:
    """The next reminder of each of `items` (a page of them): two queries, their logs and their people."""
    now = timezone.now() if now is None else now
    if not items:
        return []
    told: dict[tuple, list] = {}
    wanted = Q()
    for kind in {i.kind for i in items}:
        objects = {i.object_id for i in items if i.kind == kind}
        wanted |= Q(deadline_kind=kind, object_id__in=objects)
    for recipient, kind, object_id, campaign, deadline, threshold, sent_at in ReminderLog.objects.filter(
        wanted, recipient_id__in={i.recipient_id for i in items}
    ).values_list("recipient_id", "deadline_kind", "object_id", "campaign_id", "deadline", "threshold", "sent_at"):
        told.setdefault((recipient, kind, object_id, campaign), []).append((deadline, threshold, sent_at))
    people = User.objects.only("id", "username", "name", "email").in_bulk({i.recipient_id for i in items})
    rows = []
    for item in items:
        key = (item.recipient_id, item.kind, item.object_id, item.campaign_id)
        found = next_threshold(item, told.get(key, []), now)
        threshold, at = found if found else (None, None)
        rows.append(Coming(item, people.get(item.recipient_id), threshold, at, at is not None and at <= now))
    return rows


def sent_reminders(campaign: Campaign) -> QuerySet[ReminderLog]:
    """The reminders sent about `campaign`, newest first, with the notification and its e-mail."""
    return (
        ReminderLog.objects.filter(campaign=campaign)
        .select_related("recipient", "notification__email")
        # The rows show the e-mail's state, not its bodies.
        .defer("notification__body", "notification__email__text", "notification__email__html")
        .order_by("-sent_at", "-id")
    )
