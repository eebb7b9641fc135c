"""Reads of the inbox (a user's own notifications only) and of the outbox (for those who manage it)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, OutboundEmail

# The inbox shows this much of the past; older rows stay in the table but off the page.
INBOX_DAYS = 90


def inbox(*, user) -> QuerySet[Notification]:
    """The user's notifications of the last INBOX_DAYS days, newest first."""
    since = timezone.now() - timedelta(days=INBOX_DAYS)
    return Notification.objects.filter(recipient=user, created_at__gte=since).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    """The bell's figure: walks the partial index of the user's unread rows."""
    since = timezone.now() - timedelta(days=INBOX_DAYS)
    return Notification.objects.filter(recipient=user, read_at__isnull=True, created_at__gte=since).count()


# The outbox page's filters: what each shows. "Queued" includes those being sent right now.
OUTBOX_FILTERS = {
    "failed": [OutboundEmail.State.FAILED],
    "queued": [OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING],
    "sent": [OutboundEmail.State.SENT],
    "all": None,
}


def outbox(*, show: str = "failed") -> QuerySet[OutboundEmail]:
    """The outgoing e-mails `show` names (OUTBOX_FILTERS), newest first, without their bodies (the
    list shows neither, and they are the rows' bulk); by the index on state and time."""
    rows = OutboundEmail.objects.select_related("recipient").defer("text", "html").order_by("-created_at", "-id")
    states = OUTBOX_FILTERS[show]
    return rows if states is None else rows.filter(state__in=states)
