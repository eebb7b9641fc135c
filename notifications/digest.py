"""The daily digest: one e-mail a day, to each person who chose it, with every notification of theirs
not mailed yet (the essential ones went out at once). A notification is linked to the e-mail that
carried it in the same transaction as the e-mail is queued, so a digest run twice, or two runs at
once, mail each notification once."""

from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext, override

from .models import Notification, Preference
from .outbox import email_for, queue_emails
from .selectors import INBOX_DAYS

BATCH = 200


def send_daily_digests(now=None) -> int:
    """Queue the day's digests; returns how many e-mails were queued."""
    now = now or timezone.now()
    since = now - timedelta(days=INBOX_DAYS)
    waiting = (
        Notification.objects.filter(email=None, created_at__gte=since, created_at__lte=now)
        .filter(recipient__notification_preference__mail=Preference.Mail.DAILY, recipient__is_active=True)
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    user_ids = list(waiting)
    queued = 0
    for start in range(0, len(user_ids), BATCH):
        queued += _digest_batch(user_ids[start : start + BATCH], since, now)
    return queued


def _digest_batch(user_ids: list[int], since, now) -> int:
    with transaction.atomic():
        # Whoever holds these people's rows is mailing them now: skip them rather than mail twice.
        locked = list(
            Preference.objects.select_for_update(skip_locked=True)
            .filter(user_id__in=user_ids, mail=Preference.Mail.DAILY)
            .values_list("user_id", flat=True)
        )
        rows = (
            Notification.objects.filter(recipient_id__in=locked, email=None, created_at__gte=since, created_at__lte=now)
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "id")
        )
        emails, groups = [], []
        with override(settings.LANGUAGE_CODE):
            for _user_id, items in groupby(rows, key=lambda n: n.recipient_id):
                items = list(items)
                recipient = items[0].recipient
                subject = ngettext(
                    "Today's digest: %(n)s notification", "Today's digest: %(n)s notifications", len(items)
                ) % {"n": len(items)}
                emails.append(
                    email_for(
                        recipient,
                        kind="digest",
                        subject=subject,
                        template="digest",
                        context={"notifications": items, "subject": subject},
                    )
                )
                groups.append(items)
        emails = queue_emails(emails)
        for email, items in zip(emails, groups, strict=True):
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(email=email)
    return len(emails)
