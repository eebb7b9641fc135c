"""The notifications' Celery tasks: thin, by id; the work is in the services they call."""

import logging

from celery import shared_task

from . import mailer

log = logging.getLogger(__name__)


@shared_task(name="notifications.send_email", bind=True, max_retries=None)
def send_email(self, email_id: int) -> str:
    """Send one queued e-mail (notifications.mailer.email_send). After a temporary failure the row is
    queued again with its backoff, and this task is retried when that has passed; the row, not Celery,
    counts the attempts. Should the retry's message be lost, the sweep below sends the row when due."""
    attempt = mailer.email_send(email_id=email_id)
    if not attempt.claimed:
        log.info("e-mail %s: nothing to do (sent, failed, not yet due, held by another worker, or gone)", email_id)
    if attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in.total_seconds())
    return attempt.state or "nothing to do"


@shared_task(name="notifications.send_queued")
def send_queued() -> int:
    """The outbox sweep (every five minutes, a django-celery-beat row): e-mails left "sending" by a
    worker that died are requeued, then every queued e-mail that is due is handed to send_email —
    what the broker could not take when it was queued, and retries whose message was lost.

    Handed on rather than sent here: the workers send them side by side, each with its own retries,
    and a slow SMTP server does not hold the sweep. A row handed on twice (by two sweeps, or by a
    sweep and its own retry) is sent once: the second task finds it no longer queued."""
    mailer.outbox_requeue_stale()
    handed = 0
    for email_id in mailer.outbox_due_ids():
        send_email.delay(email_id)
        handed += 1
    return handed


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """Beat, every morning (the 每日通知摘要 entry): the daily digests."""
    from .digest import send_daily_digests as run

    return run()


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
