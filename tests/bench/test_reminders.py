"""The pure parts of `make bench-reminders`: its arguments and the choice of the busiest moment."""

from datetime import UTC, datetime, timedelta

import pytest

from bench.reminders import busiest_moment, parse_args


def test_the_size_defaults_to_the_load_size_and_the_moment_needs_its_offset(capsys):
    assert parse_args([], "province").size == "province"
    args = parse_args(["--size", "small", "--now", "2026-12-09T00:30+08:00"], "province")
    assert args.size == "small"
    assert args.now == datetime(2026, 12, 8, 16, 30, tzinfo=UTC)
    with pytest.raises(SystemExit):
        parse_args(["--now", "2026-12-09T00:30"], "province")
    assert "offset" in capsys.readouterr().err


def test_the_busiest_moment_opens_the_window_holding_the_most_items():
    d = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
    deadlines = {
        (d, 7): 100,  # due from d - 7 days
        (d + timedelta(days=3), 7): 50,  # from d - 4 days
        (d + timedelta(days=20), 7): 120,  # alone, later
    }
    # From d - 4 days both of the first two are due: 150 beats 120 and 100.
    assert busiest_moment(deadlines) == d - timedelta(days=4)
    assert busiest_moment({(d, 3): 1}) == d - timedelta(days=3)
    assert busiest_moment({}) is None
