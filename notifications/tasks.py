"""The outbox's Celery tasks: send one queued e-mail."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail


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


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """Beat, every morning (the 每日通知摘要 entry): the daily digests."""
    from .digest import send_daily_digests as run

    return run()
