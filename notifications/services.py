"""Writes of the inbox: notifying people and marking what they have read.

Not audited: a notification is itself a consequence of an audited action (it is written from the
audit trail's events), and a person reading their own inbox changes nothing anyone else sees.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "", essential: bool = False) -> Notification:
    """Put one notification in `recipient`'s inbox."""
    return notify_many(recipients=[recipient], kind=kind, title=title, body=body, url=url, essential=essential)[0]


def notify_many(
    *, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", essential: bool = False
) -> list[Notification]:
    """Put the same notification in the inbox of each of `recipients` (each person once; inactive
    accounts are skipped), in one insert."""
    seen: set[int] = set()
    rows = []
    now = timezone.now()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        row = Notification(
            recipient=user,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=str(url)[:500],
            essential=essential,
            created_at=now,
        )
        row.full_clean()
        rows.append(row)
    with transaction.atomic():
        return Notification.objects.bulk_create(rows)


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of `user`'s own notifications read; another's raises Notification.DoesNotExist."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
