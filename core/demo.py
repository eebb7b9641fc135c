"""What the demo seeders of every app share: a clock set to the past, so that the demo's story is
played through the services at the times it happened.

The services stamp and check `timezone.now()`: submission times, `auto_now` fields, the
application window, "a ledger entry cannot lie in the future". Played under `clock_at()`, every
stamp is the story's time and every check runs against it, with nothing to backdate afterwards.
The audit trail keeps the true time: `AuditEvent.occurred_at` takes its default from the function
bound when the model was defined, so the append-only trail records when the demo was loaded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def days_ago(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` calendar days before today, at hour:minute, Beijing time."""
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    return datetime.combine(today - timedelta(days=days), time(hour, minute), tzinfo=SHANGHAI)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Within the block, `django.utils.timezone.now()` answers `moment`. For seeding only: the
    clock is the process's, so nothing else may run meanwhile (seed_demo runs alone)."""
    if timezone.is_naive(moment):
        raise ValueError("the demo clock needs an aware moment")
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now
