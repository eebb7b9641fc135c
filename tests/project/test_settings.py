"""The production profile passes Django's deployment checks; the embedded default needs no services."""

import os
import subprocess
import sys

from django.conf import settings

# The test run's own settings, which the profiles under test must not inherit.
SCRUBBED = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def test_production_profile_passes_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "mengtao.settings_production",
            "SECRET_KEY": "p" * 20 + "-production-secret-key-with-enough-entropy-9f3k2",
            "ALLOWED_HOSTS": "mengtao.example.org.cn",
            "DATABASE_URL": "postgres://mengtao@db:5432/mengtao",
            "REDIS_URL": "redis://redis:6379/0",
            "VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "mengtao.settings_production",
            "ALLOWED_HOSTS": "mengtao.example.org.cn",
            "VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_default_is_sqlite_and_a_file_system_broker(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.DEBUG)",
        env_extra={"DJANGO_SETTINGS_MODULE": "mengtao.settings", "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["django.db.backends.sqlite3", "filesystem://", "False"]
    assert (tmp_path / "secret_key").exists()


def test_redis_url_switches_the_broker(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CELERY_BROKER_URL)",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "mengtao.settings",
            "VAR_DIR": str(tmp_path),
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
    )
    assert result.stdout.split()[-1] == "redis://127.0.0.1:6379/3"
