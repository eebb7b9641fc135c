"""Celery end to end: a real worker process, on Redis and on the embedded file-system broker.

Each test starts `celery -A mengtao worker` (as `make run` does, tests/celery_tools.py) against the
test database, then watches for the housekeeping task's effect: an expired session disappears.
"""

from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.tasks import housekeeping
from mengtao.brokers import filesystem_broker_options
from mengtao.celery import app as celery_app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filesystem_broker(tmp_path) -> dict[str, str]:
    return {"CELERY_BROKER_URL": "filesystem://", "CELERY_FILESYSTEM_BROKER_DIR": str(tmp_path / "broker")}


@pytest.fixture(params=["redis", "filesystem"])
def broker(request) -> dict[str, str]:
    return request.getfixturevalue(f"{request.param}_broker")


def expired_session() -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))
    return store.session_key


def enqueue_housekeeping(broker_env: dict[str, str]) -> None:
    """Send through the project's Celery app, to the broker the worker under test listens on."""
    options = {}
    if broker_env["CELERY_BROKER_URL"].startswith("filesystem://"):
        options = filesystem_broker_options(Path(broker_env["CELERY_FILESYSTEM_BROKER_DIR"]))
    with celery_app.connection_for_write(broker_env["CELERY_BROKER_URL"], transport_options=options) as conn:
        housekeeping.apply_async(producer=conn.Producer())


def test_a_task_enqueued_on_commit_runs_on_a_real_worker(broker, start_worker):
    worker = start_worker(broker)
    with transaction.atomic():
        session_key = expired_session()
        transaction.on_commit(lambda: enqueue_housekeeping(broker))
    worker.wait_until(lambda: not Session.objects.filter(session_key=session_key).exists())


def test_a_rolled_back_transaction_enqueues_nothing(redis_broker):
    queue = redis.Redis.from_url(redis_broker["CELERY_BROKER_URL"])
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: enqueue_housekeeping(redis_broker))
        raise RuntimeError("the change fails")
    assert queue.llen("celery") == 0


def test_beat_runs_housekeeping_periodically(broker, start_worker):
    session_key = expired_session()
    worker = start_worker(broker, beat_interval=1)
    worker.wait_until(lambda: not Session.objects.filter(session_key=session_key).exists())
    second = expired_session()
    worker.wait_until(lambda: not Session.objects.filter(session_key=second).exists())
