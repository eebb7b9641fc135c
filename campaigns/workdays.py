"""Working days in China: the national holiday calendar (chinese-calendar), corrected by overrides.

chinese-calendar knows the State Council's holiday arrangements (holidays and the weekend days
swapped to working days) up to the year of its release. For a year it does not know, staff enter
overrides in the admin; until they do, Monday to Friday count as working days.
"""

from datetime import date, timedelta

import chinese_calendar


def _overrides(start: date, end: date) -> dict[date, bool]:
    from .models import CalendarOverride

    return dict(CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _is_workday(day: date, overrides: dict[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_workday(day: date) -> bool:
    return _is_workday(day, _overrides(day, day))


def next_working_days(start: date, count: int) -> list[date]:
    """The `count` working days after `start` (`start` itself not counted), in one query."""
    if count < 1:
        raise ValueError("count must be at least 1")
    overrides = _overrides(start, start + timedelta(days=count * 3 + 30))
    days, day = [], start
    while len(days) < count:
        day += timedelta(days=1)
        if _is_workday(day, overrides):
            days.append(day)
    return days


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself not counted)."""
    return next_working_days(start, count)[-1]
