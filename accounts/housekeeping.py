"""Removal of data that has outlived its use: expired sessions, stale failed-login records and
uploads kept from failing forms that were never sent again.

Running it twice does nothing the second time.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.staging import staging_delete_stale


def housekeeping_run() -> dict[str, int]:
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
    return {
        "expired_sessions": sessions,
        "stale_login_attempts": attempts,
        "stale_staged_uploads": staging_delete_stale(now=now),
    }
