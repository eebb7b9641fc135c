"""The outbox's sending: one attempt's state machine against a real SMTP server (aiosmtpd, in a thread),
the backoff, temporary against permanent failures, exactly once under two deliveries, the sweep, the
requeue of an e-mail whose worker died, and staff's outbox page with its "send again"."""

import os
import smtplib
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from mengtao.celery import app as celery_app
from notifications import kinds, mailer
from notifications.models import OutboundEmail
from notifications.services import notify
from notifications.tasks import send_queued
from tests.factories import UserFactory
from tests.notifications.smtp_server import free_port, smtp_server
from tests.project.test_settings import SCRUBBED

pytestmark = pytest.mark.django_db

State = OutboundEmail.State


@pytest.fixture
def smtp_settings(settings):
    def point_at(port: int):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_TIMEOUT = 5

    return point_at


def queued(n: int = 1, **fields) -> list[OutboundEmail]:
    return [
        OutboundEmail.objects.create(
            to=f"person{i}@example.org.cn",
            kind="test.thing",
            subject=f"通知{i}",
            text="正文",
            html="<p>正文</p>",
            **fields,
        )
        for i in range(n)
    ]


def refresh(email: OutboundEmail) -> OutboundEmail:
    email.refresh_from_db()
    return email


# --- The rules: backoff, and which failures are temporary -----------------------------------------


def test_the_backoff_doubles_from_a_minute_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    waits = [mailer.backoff(attempts).total_seconds() for attempts in range(1, 7)]
    assert waits == [60, 120, 240, 480, 600, 600]


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), True),
        (smtplib.SMTPSenderRefused(421, b"Too busy", "noreply@localhost"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org.cn": (450, b"Mailbox busy")}), True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (socket.gaierror(-2, "Name or service not known"), True),
        (smtplib.SMTPDataError(554, b"5.7.1 Rejected as spam"), False),
        (smtplib.SMTPAuthenticationError(535, b"Authentication failed"), False),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.org.cn": (450, b"Mailbox busy"), "b@example.org.cn": (550, b"No such user")}
            ),
            False,
        ),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."), False),
        (ValueError("Header values may not contain linefeed or carriage return characters"), False),
    ],
)
def test_4xx_and_network_trouble_are_temporary_5xx_and_the_rest_permanent(error, temporary):
    assert mailer.is_temporary(error) is temporary


# --- One attempt -----------------------------------------------------------------------------------


def test_a_queued_email_is_sent_with_its_text_and_html_from_the_default_sender(smtp_settings, role_users):
    leader = role_users["leader"]
    notification = notify(recipient=leader, kind=kinds.RETURNED, title="申报被退回", body="请补充材料", url="/a/1/")
    email = notification.email
    with smtp_server() as (server, port):
        smtp_settings(port)
        attempt = mailer.email_send(email_id=email.pk)
    assert attempt == mailer.Attempt(claimed=True, state=State.SENT)
    email = refresh(email)
    assert (email.state, email.attempts, email.last_error) == (State.SENT, 1, "")
    assert email.sent_at is not None and email.attempt_started_at <= email.sent_at
    [message] = server.received
    assert message["To"] == leader.email
    assert "noreply@localhost" in message["From"]
    parts = {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
    assert "申报被退回" in parts["text/plain"] and "请补充材料" in parts["text/plain"]
    assert "<strong>申报被退回</strong>" in parts["text/html"]


def test_a_temporary_refusal_queues_it_again_after_the_backoff_then_it_goes(smtp_settings, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    [email] = queued()
    with smtp_server(refusals=1) as (server, port):
        smtp_settings(port)
        before = timezone.now()
        attempt = mailer.email_send(email_id=email.pk)
        assert (attempt.state, attempt.retry_in) == (State.QUEUED, timedelta(seconds=60))
        email = refresh(email)
        assert (email.state, email.attempts) == (State.QUEUED, 1)
        assert email.last_error == "451 4.3.0 Try again later"
        assert before + timedelta(seconds=59) < email.next_attempt_at < timezone.now() + timedelta(seconds=61)
        # Not due yet: a delivery of the task now (the sweep's, a duplicate) does nothing.
        assert mailer.email_send(email_id=email.pk) == mailer.Attempt(claimed=False)
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        assert mailer.email_send(email_id=email.pk).state == State.SENT
    email = refresh(email)
    assert (email.state, email.attempts) == (State.SENT, 2)
    assert len(server.received) == 1


def test_a_refused_connection_is_temporary(smtp_settings):
    [email] = queued()
    smtp_settings(free_port())  # nothing listens there
    attempt = mailer.email_send(email_id=email.pk)
    email = refresh(email)
    assert (attempt.state, email.state, email.attempts) == (State.QUEUED, State.QUEUED, 1)
    assert "ConnectionRefusedError" in email.last_error


def test_the_last_attempt_fails_for_good(smtp_settings, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 6
    [email] = queued(attempts=5)
    with smtp_server(refusals=1, at="rcpt", reply="452 4.2.2 Mailbox full") as (server, port):
        smtp_settings(port)
        attempt = mailer.email_send(email_id=email.pk)
    email = refresh(email)
    assert (attempt.state, attempt.retry_in) == (State.FAILED, None)
    assert (email.state, email.attempts) == (State.FAILED, 6)
    assert "452" in email.last_error and not server.received


def test_a_permanent_refusal_fails_at_once(smtp_settings):
    [email] = queued()
    with smtp_server(refusals=1, at="rcpt", reply="550 5.1.1 No such user") as (server, port):
        smtp_settings(port)
        attempt = mailer.email_send(email_id=email.pk)
        # Failed is final: no delivery of the task sends it.
        assert mailer.email_send(email_id=email.pk) == mailer.Attempt(claimed=False)
    email = refresh(email)
    assert (attempt.state, attempt.retry_in, email.state, email.attempts) == (State.FAILED, None, State.FAILED, 1)
    assert "550" in email.last_error and "No such user" in email.last_error
    assert not server.received


def test_a_sent_email_is_never_sent_again(smtp_settings):
    [email] = queued()
    with smtp_server() as (server, port):
        smtp_settings(port)
        mailer.email_send(email_id=email.pk)
        assert mailer.email_send(email_id=email.pk) == mailer.Attempt(claimed=False)
    assert len(server.received) == 1 and refresh(email).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_the_same_moment_send_once(smtp_settings):
    """Two workers run the same task together (a redelivered message): the row lock and the state
    check let one of them send."""
    [email] = queued()
    barrier = threading.Barrier(2)
    results = []

    def deliver():
        try:
            barrier.wait()
            results.append(mailer.email_send(email_id=email.pk).claimed)
        finally:
            close_old_connections()

    with smtp_server() as (server, port):
        smtp_settings(port)
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(results) == [False, True]
    assert len(server.received) == 1
    assert (refresh(email).state, refresh(email).attempts) == (State.SENT, 1)


# --- The sweep -------------------------------------------------------------------------------------


def test_an_email_left_sending_by_a_dead_worker_is_requeued_after_the_timeout(settings):
    settings.OUTBOX_STALE_SENDING_SECONDS = 600
    settings.OUTBOX_MAX_ATTEMPTS = 6
    now = timezone.now()
    stale, recent, last = queued(3, state=State.SENDING, attempts=2)
    OutboundEmail.objects.filter(pk=stale.pk).update(attempt_started_at=now - timedelta(minutes=11))
    OutboundEmail.objects.filter(pk=recent.pk).update(attempt_started_at=now - timedelta(minutes=5))
    OutboundEmail.objects.filter(pk=last.pk).update(attempt_started_at=now - timedelta(minutes=11), attempts=6)
    assert mailer.outbox_requeue_stale() == 2
    stale, recent, last = refresh(stale), refresh(recent), refresh(last)
    assert (stale.state, stale.attempts, stale.last_error) == (State.QUEUED, 2, mailer.STALE_ERROR)
    assert stale.next_attempt_at <= timezone.now()
    assert recent.state == State.SENDING  # its worker may still be at it
    assert (last.state, last.last_error) == (State.FAILED, mailer.STALE_ERROR)


@pytest.fixture
def eager_celery():
    """Tasks run in this process as they are enqueued (the sweep's hand-offs included)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_the_sweep_sends_what_is_due_in_batches_and_nothing_else(smtp_settings, eager_celery, monkeypatch, settings):
    settings.OUTBOX_STALE_SENDING_SECONDS = 600
    monkeypatch.setattr(mailer, "SWEEP_BATCH", 2)
    due = queued(5)
    OutboundEmail.objects.filter(pk=due[0].pk).update(next_attempt_at=timezone.now() - timedelta(hours=1))
    [later] = queued(1, next_attempt_at=timezone.now() + timedelta(minutes=5))
    [sent] = queued(1, state=State.SENT, attempts=1)
    [failed] = queued(1, state=State.FAILED, attempts=6)
    [lost] = queued(1, state=State.SENDING, attempts=1, attempt_started_at=timezone.now() - timedelta(minutes=30))
    with smtp_server() as (server, port):
        smtp_settings(port)
        assert send_queued() == 6
        assert send_queued() == 0  # a second sweep finds nothing due
    assert sorted(m["Subject"] for m in server.received) == sorted(e.subject for e in [*due, lost])
    assert set(OutboundEmail.objects.filter(state=State.SENT).values_list("pk", flat=True)) == {
        e.pk for e in [*due, lost, sent]
    }
    assert (refresh(later).state, refresh(failed).state) == (State.QUEUED, State.FAILED)
    assert refresh(lost).attempts == 2


# --- Sending again ---------------------------------------------------------------------------------


def test_resend_queues_a_failed_email_once_and_audits_it(django_capture_on_commit_callbacks, role_users):
    [email] = queued(state=State.FAILED, attempts=6, last_error="550 No such user")
    staff = role_users["staff_ancestor"]
    with django_capture_on_commit_callbacks() as callbacks:
        mailer.email_resend(actor=staff, email_id=email.pk)
    email = refresh(email)
    assert (email.state, email.attempts, email.last_error) == (State.QUEUED, 0, "550 No such user")
    assert email.next_attempt_at <= timezone.now()
    assert len(callbacks) == 1
    event = AuditEvent.objects.get(action="notifications.email_resend")
    assert (event.actor, event.target_id) == (staff, str(email.pk))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(mailer.NotFailed):
        mailer.email_resend(actor=staff, email_id=email.pk)
    assert not callbacks and AuditEvent.objects.filter(action="notifications.email_resend").count() == 1


def test_a_double_click_on_send_again_sends_once(client, django_capture_on_commit_callbacks, role_users):
    [email] = queued(state=State.FAILED, attempts=6, last_error="554 Rejected")
    client.force_login(role_users["staff_ancestor"])
    url = reverse("notifications:outbox_resend", args=[email.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url)
        second = client.post(url, follow=True)
    assert first.status_code == 302 and first["Location"] == reverse("notifications:outbox")
    assert len(callbacks) == 1
    assert [m.level_tag for m in second.context["messages"]] == ["success", "info"]
    assert refresh(email).state == State.QUEUED
    assert client.post(reverse("notifications:outbox_resend", args=[email.pk + 100])).status_code == 404
    assert client.get(url).status_code == 405


# --- The outbox page -------------------------------------------------------------------------------


def test_the_outbox_shows_the_failed_first_and_filters_by_state(client, role_users):
    recipient = UserFactory(username="wang", name="王师傅")
    [failed] = queued(state=State.FAILED, attempts=6, last_error="550 5.1.1 No such user", recipient=recipient)
    [waiting] = queued(state=State.QUEUED, attempts=1)
    [sending] = queued(state=State.SENDING, attempts=1, attempt_started_at=timezone.now())
    [sent] = queued(state=State.SENT, attempts=1, sent_at=timezone.now())
    client.force_login(role_users["staff_ancestor"])
    url = reverse("notifications:outbox")

    def shown(query=""):
        response = client.get(url + query)
        assert response.status_code == 200
        return response, {e.pk for e in response.context["page_obj"]}

    response, pks = shown()
    assert pks == {failed.pk}
    page = response.content.decode()
    assert "王师傅" in page and "550 5.1.1 No such user" in page and 'data-testid="resend"' in page
    assert shown("?show=queued")[1] == {waiting.pk, sending.pk}
    assert shown("?show=sent")[1] == {sent.pk}
    assert shown("?show=all")[1] == {failed.pk, waiting.pk, sending.pk, sent.pk}
    assert shown("?show=nonsense")[1] == {failed.pk}
    assert 'data-testid="resend"' not in shown("?show=sent")[0].content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_outbox_query_count_does_not_grow_with_rows(client, role_users, django_assert_num_queries, rows):
    for _ in range(rows):
        queued(state=State.FAILED, attempts=6, last_error="554", recipient=role_users["leader"])
    client.force_login(role_users["staff_ancestor"])
    # The session, the user with their roles (navigation and permission), the page's count, its rows, the bell.
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:outbox"))
    assert len(response.context["page_obj"]) == rows


def test_only_the_province_staff_and_superusers_see_the_outbox_link(client, role_users):
    for role, sees in [("staff_ancestor", True), ("superuser", True), ("staff_unit", False), ("auditor", False)]:
        client.force_login(role_users[role])
        assert (b'data-testid="outbox-link"' in client.get(reverse("home")).content) is sees, role
        assert role_users[role].has_perm("notifications.manage_outbox") is sees, role


def test_the_admin_is_read_only_and_queues_the_failed_again(client, role_users):
    [failed] = queued(state=State.FAILED, attempts=6)
    [sent] = queued(state=State.SENT, attempts=1)
    client.force_login(role_users["superuser"])
    changelist = reverse("admin:notifications_outboundemail_changelist")
    response = client.post(changelist, {"action": "queue_again", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    assert (refresh(failed).state, refresh(failed).attempts, refresh(sent).state) == (State.QUEUED, 0, State.SENT)
    change = client.get(reverse("admin:notifications_outboundemail_change", args=[sent.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content


# --- Settings: files under var/mail/ by default, SMTP from EMAIL_URL ------------------------------


def _mail_settings(tmp_path, **env_extra):
    """Send one e-mail in a fresh process with the project's settings and the environment given."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED | {"EMAIL_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "mengtao.settings", "VAR_DIR": str(tmp_path), **env_extra})
    code = (
        "from django.conf import settings as s; from django.core.mail import send_mail; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, getattr(s, 'EMAIL_USE_TLS', False)); "
        "print(send_mail('主题', '正文', None, ['a@example.org.cn']))"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_without_email_url_each_email_is_a_file_under_var_mail(tmp_path):
    result = _mail_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5] == "django.core.mail.backends.filebased.EmailBackend"
    [written] = (tmp_path / "mail").iterdir()
    assert "Subject: =?utf-8?" in written.read_text()


def test_email_url_sends_through_smtp(tmp_path):
    with smtp_server() as (server, port):
        result = _mail_settings(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    assert result.returncode == 0, result.stderr
    backend, host, used_port, tls, sent = result.stdout.split()[-5:]
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, used_port, tls, sent) == ("127.0.0.1", str(port), "False", "1")
    assert [m["Subject"] for m in server.received] == ["主题"]
    assert not (tmp_path / "mail").exists()
