"""Celery end to end: a real worker process, on Redis and on the embedded file-system broker.

Each test starts `celery -A mengtao worker` (as `make run` does) against the test database, then
watches for the housekeeping task's effect: an expired session disappears.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from accounts.tasks import housekeeping
from mengtao.brokers import filesystem_broker_options
from mengtao.celery import app as celery_app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
CELERY = str(Path(sys.executable).with_name("celery"))


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_broker() -> dict[str, str]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail("These tests need Redis: set REDIS_URL (make test does).")
    redis.Redis.from_url(url).flushdb()
    return {"CELERY_BROKER_URL": url}


@pytest.fixture
def filesystem_broker(tmp_path) -> dict[str, str]:
    return {"CELERY_BROKER_URL": "filesystem://", "CELERY_FILESYSTEM_BROKER_DIR": str(tmp_path / "broker")}


@pytest.fixture(params=["redis", "filesystem"])
def broker(request) -> dict[str, str]:
    return request.getfixturevalue(f"{request.param}_broker")


class Worker:
    def __init__(self, broker_env: dict[str, str], tmp_path: Path, *, beat_interval: float | None):
        self.log = tmp_path / "worker.log"
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
        env.update(broker_env)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "mengtao.settings",
                "DATABASE_URL": database_url(),
                "VAR_DIR": str(tmp_path / "var"),
                "HOUSEKEEPING_INTERVAL_SECONDS": str(beat_interval or 3600),
            }
        )
        command = [CELERY, "-A", "mengtao", "worker", "--loglevel", "INFO", "--concurrency", "1"]
        if beat_interval:
            command.append("--beat")
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until(self, condition, timeout=45.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.25)
        pytest.fail(f"the worker did not do its work in time; its log:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def start_worker(tmp_path):
    workers = []

    def start(broker_env, *, beat_interval=None):
        worker = Worker(broker_env, tmp_path, beat_interval=beat_interval)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


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
