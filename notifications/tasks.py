"""The outbox's Celery tasks: send one queued e-mail."""

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail

log = logging.getLogger(__name__)


@shared_task(name="notifications.send_email")
def send_email(email_id: int) -> None:
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.state != OutboundEmail.State.QUEUED:
            return
        email.state = OutboundEmail.State.SENDING
        email.attempts += 1
        email.attempt_started_at = timezone.now()
        email.save(update_fields=["state", "attempts", "attempt_started_at"])
    message = EmailMultiAlternatives(email.subject, email.text, to=[email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    message.send()
    OutboundEmail.objects.filter(pk=email.pk).update(state=OutboundEmail.State.SENT, sent_at=timezone.now())


@shared_task(name="notifications.send_reminders")
def send_reminders() -> dict:
    """The hourly deadline reminders (notifications.reminders.sweep): a re-run, a retry after a lost
    worker or a second beat sends nothing twice."""
    from .reminders import sweep

    counts = sweep()
    log.info(
        "reminders: %s people told about %s items (%s items due) in %.1f s",
        counts.people,
        counts.reminders,
        counts.items,
        counts.seconds,
    )
    return {"people": counts.people, "items": counts.items, "reminders": counts.reminders}
