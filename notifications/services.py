"""Writes of the notifications: telling people (the inbox, and the e-mail their preferences ask for)
and marking what they have read.

Not audited: a notification is itself a consequence of an audited action (it is written from the
audit trail's events, or by a reminder sweep that logs its own), and a person reading their own inbox
changes nothing anyone else sees.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import outbox, selectors
from .models import Notification, Preference


@dataclass
class Message:
    """One notification for one person. `essential` ones (deadline reminders, a return for revision)
    cannot be muted and are mailed at once even to those who take the daily digest."""

    recipient: object
    kind: str
    title: str
    body: str = ""
    url: str = ""
    essential: bool = False


def preferences_of(user_ids: Iterable[int]) -> dict[int, Preference]:
    """Each user's preference, the defaults for those without a row (one query)."""
    ids = set(user_ids)
    found = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    return {pk: found.get(pk) or Preference(user_id=pk) for pk in ids}


def deliver(messages: Iterable[Message]) -> list[Notification]:
    """Put each message in its recipient's inbox, unless they muted its kind (inactive accounts are
    skipped, and a person gets the same kind and title once per call), and queue the e-mail of those
    who take their mail at once. A few queries whatever the number of messages."""
    messages = [m for m in messages if m.recipient is not None and m.recipient.is_active]
    preferences = preferences_of(m.recipient.pk for m in messages)
    now = timezone.now()
    seen: set[tuple] = set()
    rows: list[Notification] = []
    for m in messages:
        key = (m.recipient.pk, m.kind, str(m.title))
        if key in seen or (not m.essential and m.kind in preferences[m.recipient.pk].muted):
            continue
        seen.add(key)
        row = Notification(
            recipient=m.recipient,
            kind=m.kind,
            title=str(m.title)[:200],
            body=str(m.body),
            url=str(m.url)[:500],
            essential=m.essential,
            created_at=now,
        )
        rows.append(row)
    with transaction.atomic():
        rows = Notification.objects.bulk_create(rows)
        selectors.forget_unread(n.recipient_id for n in rows)
        at_once = [n for n in rows if n.essential or preferences[n.recipient_id].mail == Preference.Mail.IMMEDIATE]
        outbox.mail_notifications(at_once)
    return rows


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "", essential: bool = False):
    """Tell one person one thing; returns the notification, or None when they muted its kind."""
    found = deliver([Message(recipient, kind, title, body, url, essential)])
    return found[0] if found else None


def notify_many(
    *, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", essential: bool = False
) -> list[Notification]:
    """Tell each of `recipients` the same thing (each person once)."""
    return deliver(Message(user, kind, title, body, url, essential) for user in recipients)


def preference_save(*, user, mail: str, muted: Iterable[str]) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"mail": mail, "muted": sorted(set(muted))}
    )
    return preference


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
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
        selectors.forget_unread([user.pk])
    return marked
