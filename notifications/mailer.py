"""Sending the outbox: one attempt at one e-mail, the backoff after a temporary failure, the sweep of
what stayed queued, and staff's "send again" of a failed e-mail.

The row is the truth; Celery messages only prompt. An attempt begins by claiming the row under a lock
(queued and due → sending, one more attempt), so two deliveries of the same task, a retry and a sweep
racing each other, or a resend clicked twice, send it once: whoever comes second finds it no longer
queued and does nothing.

A temporary failure (an SMTP 4xx reply, a dropped connection, a refused connection or a timeout)
puts the row back to queued with `next_attempt_at` after an exponential backoff (1, 2, 4, 8, 16
minutes… by default, see OUTBOX_* in the settings) and the task asks Celery to retry it then; after
OUTBOX_MAX_ATTEMPTS attempts, or at once for a permanent failure (a 5xx reply, a recipient refused
for good, anything else), the row is failed and staff see it on the outbox page.

Exactly once, with one edge: a worker killed between the SMTP server's acceptance and the row being
marked sent leaves it "sending"; the sweep requeues it OUTBOX_STALE_SENDING_SECONDS after its attempt
began, and it goes out a second time. SMTP cannot tell us whether it was accepted, so at that edge
delivery is at least once — a duplicate e-mail rather than a lost one.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from audit.services import record

from .models import OutboundEmail

log = logging.getLogger(__name__)

State = OutboundEmail.State

# The sweep reads the due rows this many at a time (by the partial index outbox_due).
SWEEP_BATCH = 500
# Written in the product's language, as the e-mails are (staff read it on the outbox page).
STALE_ERROR = gettext_lazy("The attempt did not finish: its worker stopped while sending.")


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th attempt failed for a temporary reason: the first
    wait is OUTBOX_RETRY_SECONDS, each next one twice the last, never more than the cap."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def is_temporary(error: Exception) -> bool:
    """Whether trying again later may succeed. SMTP says so with 4xx codes; a connection that was
    refused, dropped or timed out is the network's or the server's passing trouble. Anything else —
    5xx, an e-mail Django cannot build — will fail the same way again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):  # no AUTH method in common, no STARTTLS offered
        return False
    return isinstance(error, OSError)  # refused, reset, timed out, a name that did not resolve


def describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to: the row's state after it, and when to try again (a temporary
    failure with attempts left), None otherwise. `claimed` is False when there was nothing to do."""

    claimed: bool
    state: str = ""
    retry_in: timedelta | None = None


def email_claim(*, email_id: int) -> OutboundEmail | None:
    """Begin an attempt: the row, if it is queued and due, turned to sending with one more attempt.
    None when it is not (already sent or sending, failed, not yet due) or another worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, state=State.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if email is None:
            return None
        email.state = State.SENDING
        email.attempts += 1
        email.attempt_started_at = now
        email.save(update_fields=["state", "attempts", "attempt_started_at"])
    return email


def email_message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def email_send(*, email_id: int) -> Attempt:
    """One attempt at the e-mail `email_id`, recorded on its row (see the module's docstring)."""
    email = email_claim(email_id=email_id)
    if email is None:
        return Attempt(claimed=False)
    try:
        email_message(email).send()
    except Exception as error:
        return _record_failure(email, error)
    # Sent even if the sweep meanwhile took it for lost and requeued it: that saves a second copy.
    OutboundEmail.objects.filter(pk=email.pk, state__in=[State.SENDING, State.QUEUED]).update(
        state=State.SENT, sent_at=timezone.now()
    )
    return Attempt(claimed=True, state=State.SENT)


def _record_failure(email: OutboundEmail, error: Exception) -> Attempt:
    temporary = is_temporary(error)
    retry = temporary and email.attempts < settings.OUTBOX_MAX_ATTEMPTS
    delay = backoff(email.attempts) if retry else None
    state = State.QUEUED if retry else State.FAILED
    log.log(
        logging.WARNING if retry else logging.ERROR,
        "e-mail %s to %s, attempt %s: %s (%s)",
        email.pk,
        email.to,
        email.attempts,
        describe(error),
        f"retrying in {delay.total_seconds():g} s" if retry else "failed",
    )
    changes = {"state": state, "last_error": describe(error)[:2000]}
    if retry:
        changes["next_attempt_at"] = timezone.now() + delay
    # Only the attempt this worker claimed: a row the sweep requeued meanwhile belongs to its next attempt.
    OutboundEmail.objects.filter(pk=email.pk, state=State.SENDING, attempts=email.attempts).update(**changes)
    return Attempt(claimed=True, state=state, retry_in=delay)


def outbox_requeue_stale() -> int:
    """E-mails left "sending" past OUTBOX_STALE_SENDING_SECONDS lost their worker: queued again to be
    sent now, or failed when that was their last attempt. Returns how many were found."""
    now = timezone.now()
    stale = OutboundEmail.objects.filter(
        state=State.SENDING, attempt_started_at__lt=now - timedelta(seconds=settings.OUTBOX_STALE_SENDING_SECONDS)
    )
    with override(settings.LANGUAGE_CODE):
        error = str(STALE_ERROR)
    failed = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(state=State.FAILED, last_error=error)
    requeued = stale.update(state=State.QUEUED, next_attempt_at=now, last_error=error)
    if failed or requeued:
        log.warning("outbox: %s e-mails left sending requeued, %s failed", requeued, failed)
    return failed + requeued


def outbox_due_ids():
    """The ids of the queued e-mails due now, oldest due first, read SWEEP_BATCH at a time so that
    a long backlog (a broker down for a day) is never loaded whole."""
    now = timezone.now()
    due = OutboundEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
    after = None
    while True:
        batch = due
        if after is not None:
            at, pk = after
            batch = batch.filter(next_attempt_at__gte=at).exclude(next_attempt_at=at, pk__lte=pk)
        rows = list(batch.order_by("next_attempt_at", "pk").values_list("next_attempt_at", "pk")[:SWEEP_BATCH])
        yield from (pk for _at, pk in rows)
        if len(rows) < SWEEP_BATCH:
            return
        after = rows[-1]


class NotFailed(Exception):
    """Only a failed e-mail is sent again: a queued or sending one is on its way, a sent one arrived."""


def email_resend(*, actor, email_id: int) -> OutboundEmail:
    """Staff's "send again" for a failed e-mail: queued with its attempts reset, due now, and handed to
    the worker once this commits. A second click finds it queued (or already sent) and raises
    NotFailed, so it goes out once. The previous error stays on the row until the next attempt's."""
    from .outbox import enqueue

    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(of=("self",)).select_related("recipient__unit").get(pk=email_id)
        if email.state != State.FAILED:
            raise NotFailed
        email.state = State.QUEUED
        email.attempts = 0
        email.next_attempt_at = timezone.now()
        email.attempt_started_at = None
        email.save(update_fields=["state", "attempts", "next_attempt_at", "attempt_started_at"])
        record(
            actor=actor,
            action="notifications.email_resend",
            target=email,
            unit=email.recipient.unit if email.recipient else None,
            details={"last_error": email.last_error},
        )
        transaction.on_commit(lambda: enqueue([email.pk]))
    return email
