"""Reads of the inbox (a user's own notifications only) and of the outbox (for those who manage it)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import user_cache

from .models import Notification, OutboundEmail

# The inbox shows this much of the past; older rows stay in the table but off the page.
INBOX_DAYS = 90


def inbox(*, user) -> QuerySet[Notification]:
    """The user's notifications of the last INBOX_DAYS days, newest first."""
    since = timezone.now() - timedelta(days=INBOX_DAYS)
    return Notification.objects.filter(recipient=user, created_at__gte=since).order_by("-created_at", "-id")


# The bell's figure is on every signed-in page: it is kept in the cache (where every process shares it:
# settings.CACHE_SIGNED_IN_USER), forgotten whenever one of the user's notifications is written or read
# (`forget_unread`), and for at most this long (a notification leaving the INBOX_DAYS window changes it).
UNREAD_TIMEOUT = 5 * 60


# The bell's name among the values read with the signed-in user (registered in NotificationsConfig).
BELL = "bell"


def unread_key(user_id) -> str:
    return f"bell:{user_id}"


def unread_count(*, user) -> int:
    """The bell's figure: read from the cache with the signed-in user (`user_cache.companion`) or on
    its own; when the cache does not hold it, walks the partial index of the user's unread rows."""
    key = unread_key(user.pk)
    count = None
    if settings.CACHE_SIGNED_IN_USER:
        count = user_cache.companion(user, BELL)
        if count is user_cache.NOT_READ:
            count = cache.get(key)
    if count is None:
        since = timezone.now() - timedelta(days=INBOX_DAYS)
        count = Notification.objects.filter(recipient=user, read_at__isnull=True, created_at__gte=since).count()
        if settings.CACHE_SIGNED_IN_USER:
            cache.set(key, count, UNREAD_TIMEOUT)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    """Count these users' unread notifications afresh: now, and once the transaction commits (a page
    read while the change was being written must not keep the old figure)."""
    keys = [unread_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    user_cache.companion_forgotten()
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def notification_changed(sender, instance, **kwargs):
    """post_save and post_delete of a Notification."""
    forget_unread([instance.recipient_id])


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
