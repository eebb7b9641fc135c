"""The demo province loads idempotently; housekeeping removes only what has expired."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.demo import ACCOUNTS, DEMO_PASSWORD, UNITS
from accounts.housekeeping import housekeeping_run
from accounts.models import RoleAssignment, UnionUnit, User
from audit.models import AuditEvent
from core.staging import stage_upload
from tests.factories import PDF_BYTES, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (UnionUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    events = AuditEvent.objects.count()
    call_command("seed_demo")
    assert (UnionUnit.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    assert counts[0] == len(UNITS)
    assert UnionUnit.objects.filter(kind=UnionUnit.Kind.GRASSROOTS).count() >= 12


def test_every_demo_account_can_sign_in(client):
    call_command("seed_demo")
    for username, *_ in ACCOUNTS:
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("logout"))


def test_demo_staff_see_their_city_only():
    call_command("seed_demo")
    from accounts.selectors import units_visible_to

    xian = {u.code for u in units_visible_to(User.objects.get(username="xian_staff"))}
    assert "SX-XA-WY-001" in xian
    assert not any(code.startswith("SX-XY") for code in xian)


def make_session(expires_in):
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_housekeeping_removes_expired_sessions_and_stale_attempts(settings):
    expired = make_session(timedelta(minutes=-1))
    live = make_session(timedelta(hours=1))
    old = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=3, user_agent="")
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=1))
    assert housekeeping_run() == {"expired_sessions": 1, "stale_login_attempts": 1, "stale_staged_uploads": 0}
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert expired != live
    assert housekeeping_run() == {"expired_sessions": 0, "stale_login_attempts": 0, "stale_staged_uploads": 0}


def test_housekeeping_deletes_uploads_kept_longer_than_a_day():
    owner = UserFactory()
    old = stage_upload(SimpleUploadedFile("旧.pdf", PDF_BYTES), user=owner, content_type="application/pdf")
    fresh = stage_upload(SimpleUploadedFile("新.pdf", PDF_BYTES), user=owner, content_type="application/pdf")
    day_ago = (timezone.now() - timedelta(hours=24, minutes=1)).timestamp()
    os.utime(default_storage.path(old.staged.path), (day_ago, day_ago))
    assert housekeeping_run()["stale_staged_uploads"] == 1
    assert not default_storage.exists(old.staged.path) and default_storage.exists(fresh.staged.path)


def test_the_readme_names_every_demo_account():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    for username, name, *_ in ACCOUNTS:
        assert f"| `{username}` | {name} |" in readme, username
