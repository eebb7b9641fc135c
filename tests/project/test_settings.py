"""The production profile passes Django's deployment checks; the embedded default needs no services."""

import os
import subprocess
import sys

from django.conf import settings

# The test run's own settings, which the profiles under test must not inherit.
SCRUBBED = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "CACHE_SIGNED_IN_USER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


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


def setting(expression, tmp_path, **environment):
    """A setting as the embedded profile computes it in a fresh process with `environment`."""
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings as s; print({expression})",
        env_extra={"DJANGO_SETTINGS_MODULE": "mengtao.settings", "VAR_DIR": str(tmp_path), **environment},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]


def test_the_cache_keys_carry_the_database_name(tmp_path):
    """Two installations sharing one Redis (or the bench's two sizes) must not read each other's
    users: the key prefix defaults to the database's name."""
    prefix = setting(
        "s.CACHES['default']['KEY_PREFIX']",
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mengtao_somewhere",
        CACHE_URL="redis://127.0.0.1:6379/9",
    )
    assert prefix == "mengtao_somewhere"


def test_the_signed_in_user_is_cached_only_where_every_process_shares_the_cache(tmp_path):
    assert setting("s.CACHE_SIGNED_IN_USER", tmp_path, CACHE_URL="locmemcache://") == "False"
    assert setting("s.CACHE_SIGNED_IN_USER", tmp_path, CACHE_URL="redis://127.0.0.1:6379/9") == "True"
