"""The demo clock: services see the moment it is set to, and the real clock comes back."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from core.demo import SHANGHAI, clock_at, days_ago


def test_the_demo_clock_is_set_within_the_block_and_restored_after_it_even_on_error():
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    with clock_at(moment):
        assert timezone.now() == moment
        assert timezone.localdate() == moment.date()
    assert timezone.now() > moment
    with pytest.raises(RuntimeError), clock_at(moment):
        raise RuntimeError
    assert timezone.now() > moment


def test_the_demo_clock_refuses_a_naive_moment_and_counts_days_in_beijing_time():
    with pytest.raises(ValueError), clock_at(datetime(2026, 3, 2, 9, 30)):
        pass
    # 23:30 UTC on 1 March is 07:30 on 2 March in Beijing: "three days ago" is 27 February there.
    with clock_at(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)):
        assert days_ago(3, 17, 30) == datetime(2026, 2, 27, 17, 30, tzinfo=SHANGHAI)
