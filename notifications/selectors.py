"""Reads of the inbox: a user's own notifications only."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification

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
