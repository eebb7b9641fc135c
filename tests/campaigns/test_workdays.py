"""Working days follow the national holiday calendar, corrected by admin-entered overrides."""

from datetime import date

import pytest

from campaigns.models import CalendarOverride
from campaigns.workdays import add_working_days, calendar_knows, is_workday

pytestmark = pytest.mark.django_db


def test_national_day_week_and_its_swapped_saturday():
    assert not is_workday(date(2026, 10, 1))
    assert not is_workday(date(2026, 10, 7))
    assert is_workday(date(2026, 10, 10))  # a Saturday made a working day
    assert is_workday(date(2026, 9, 20))  # a Sunday made a working day


def test_a_five_day_public_notice_across_national_day():
    # Starts Wednesday 30 September: 30 Sep, 8, 9, 10 (Saturday, worked) and 12 October.
    assert add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)


def test_an_override_wins_over_the_calendar():
    CalendarOverride.objects.create(date=date(2026, 10, 12), is_workday=False, note="临时调休")
    assert not is_workday(date(2026, 10, 12))
    assert add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 13)


def test_a_year_the_calendar_does_not_know_counts_weekdays_until_overridden():
    assert not calendar_knows(2030)
    assert is_workday(date(2030, 1, 2))  # a Wednesday
    assert not is_workday(date(2030, 1, 5))  # a Saturday
    CalendarOverride.objects.create(date=date(2030, 1, 2), is_workday=False, note="元旦假期")
    assert add_working_days(date(2030, 1, 1), 1) == date(2030, 1, 3)


def test_count_must_be_positive():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 0)
