"""The e-mail outbox: every e-mail is a row first, rendered from the Chinese templates when it is
queued; a Celery task enqueued once the row is committed sends it (notifications.tasks), and a
periodic sweep sends whatever stayed queued (a broker that was down, a worker that died).

A person without an e-mail address gets no row: the inbox is all they have.
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import override

from .models import Notification, OutboundEmail

log = logging.getLogger(__name__)


def render(template: str, context: dict) -> tuple[str, str]:
    """The text and HTML bodies of `notifications/email/<template>.txt|html`, in Chinese."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return text, html


def queue_emails(emails: Sequence[OutboundEmail]) -> list[OutboundEmail]:
    """Insert the rows and, once the transaction commits, hand each to the sending task."""
    with transaction.atomic():
        created = OutboundEmail.objects.bulk_create(emails)
        ids = [e.pk for e in created]
        if ids:
            transaction.on_commit(lambda: enqueue(ids))
    return created


def enqueue(ids: Sequence[int]) -> None:
    """Ask the worker to send these e-mails. A broker that cannot be reached loses nothing: the rows
    stay queued for the sweep, and the request that queued them goes on."""
    from .tasks import send_email

    for pk in ids:
        try:
            send_email.delay(pk)
        except Exception:  # the broker is down: the sweep (notifications.send_queued) sends it later
            log.warning("could not enqueue e-mail %s; the outbox sweep will send it", pk, exc_info=True)
            return


def email_for(recipient, *, kind: str, subject: str, template: str, context: dict) -> OutboundEmail:
    """The (unsaved) e-mail to `recipient`'s address, its bodies rendered from `template`."""
    text, html = render(template, {"recipient": recipient, **context})
    return OutboundEmail(
        recipient=recipient, to=recipient.email, kind=kind, subject=subject[:200], text=text, html=html
    )


def mail_notifications(notifications: Sequence[Notification], *, template: str = "notification") -> None:
    """One e-mail per notification, to each recipient with an address; links the notification to it."""
    emails, carried = [], []
    for notification in notifications:
        recipient = notification.recipient
        if not recipient.email:
            continue
        emails.append(
            email_for(
                recipient,
                kind=notification.kind,
                subject=notification.title,
                template=template,
                context={"notification": notification},
            )
        )
        carried.append(notification)
    if not emails:
        return
    emails = queue_emails(emails)
    for notification, email in zip(carried, emails, strict=True):
        notification.email = email
    Notification.objects.bulk_update(carried, ["email"])
