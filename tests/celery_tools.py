"""A real Celery worker process for the tests that need one: `celery -A mengtao worker` (as `make run`
starts it) on the test database, the test's media folder and the broker given, stopped at the end.
tests/conftest.py makes the fixtures available everywhere."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

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
                # The files the worker writes are where the test process (and its live server) reads them.
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
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
