"""The outbox end to end: a real Celery worker on the Redis broker (tests/celery_tools.py) sending to a
real SMTP server (aiosmtpd, in a thread of this process) — through temporary refusals, and after a
broker that was down when the e-mail was queued."""

from contextlib import contextmanager

import pytest
import redis
from django.db import transaction
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from mengtao.celery import app as celery_app
from notifications import kinds
from notifications.models import OutboundEmail
from notifications.services import notify
from teams.models import Application
from teams.services import application_start
from tests.factories import fill_application, make_campaign, make_team
from tests.notifications.smtp_server import free_port, smtp_server
from tests.teams.test_applications import form_data

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

State = OutboundEmail.State


def worker_env(redis_broker, port: int) -> dict[str, str]:
    # Retries a second apart instead of minutes: the policy is the same, the test stays short.
    return {**redis_broker, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "OUTBOX_RETRY_SECONDS": "0.5"}


def test_an_smtp_server_that_refuses_twice_then_accepts_gets_the_email_once(role_users, redis_broker, start_worker):
    staff = role_users["staff_unit"]
    with smtp_server(refusals=2) as (server, port):
        worker = start_worker(worker_env(redis_broker, port))
        with transaction.atomic():  # the task is enqueued when this commits
            notification = notify(recipient=staff, kind=kinds.SUBMITTED, title="有新的申报待推荐")
        email = notification.email

        def sent() -> bool:
            email.refresh_from_db()
            return email.state == State.SENT

        worker.wait_until(sent, timeout=30)
        assert server.refused == 2
        assert [m["To"] for m in server.received] == [staff.email]
    assert email.attempts == 3
    assert email.last_error == "451 4.3.0 Try again later"  # what delayed it
    assert "retry" in worker.log.read_text().lower()


@contextmanager
def broker_unreachable():
    """The project's Celery app publishes to a port nothing listens on (a broker that is down). The
    app read its broker from the settings when it was configured, so the app's own setting and its
    producer pool are switched, not Django's setting."""
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        celery_app.amqp._producer_pool = None


def test_broker_down_during_a_submission_the_email_goes_once_the_broker_is_back(
    client, tree, role_users, redis_broker, start_worker
):
    leader, staff = role_users["leader"], role_users["staff_unit"]
    campaign = make_campaign(organiser=tree.province, publish=True, scope_unit=tree.province)
    application = application_start(
        actor=leader, team=make_team(leader=leader, union=tree.grassroots_a1), campaign=campaign
    )
    fill_application(application, actor=leader)
    client.force_login(leader)
    with broker_unreachable():
        response = client.post(
            reverse("applications:edit", args=[application.pk]), form_data(application, action="submit")
        )
    # The submission succeeded; its e-mail stayed queued, and nothing reached the broker.
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    email = OutboundEmail.objects.get()
    assert (email.to, email.state, email.attempts) == (staff.email, State.QUEUED, 0)
    assert redis.Redis.from_url(redis_broker["CELERY_BROKER_URL"]).llen("celery") == 0

    # The broker is back: beat runs the outbox sweep (its row, every second here) and the worker sends.
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="发送队列中的邮件", defaults={"task": "notifications.send_queued", "interval": every_second}
    )
    with smtp_server() as (server, port):
        worker = start_worker(worker_env(redis_broker, port), beat_interval=3600)

        def sent() -> bool:
            email.refresh_from_db()
            return email.state == State.SENT

        worker.wait_until(sent, timeout=40)
        assert [m["To"] for m in server.received] == [staff.email]
        assert "已提交申报" in server.received[0]["Subject"]
    assert email.attempts == 1
