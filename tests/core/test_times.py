"""The list pages' time filters (core/templatetags/times.py) print what Django's `date` filter would,
in Beijing time, whatever zone the value comes in."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.templatetags.times import day, iso, minute, second

MOMENT = datetime(2026, 11, 30, 16, 30, 5, tzinfo=UTC)  # 2026-12-01 00:30:05 in Beijing


def test_each_filter_gives_beijing_time():
    assert minute(MOMENT) == "2026-12-01 00:30"
    assert second(MOMENT) == "2026-12-01 00:30:05"
    assert day(MOMENT) == "2026-12-01"
    assert iso(MOMENT) == "2026-12-01T00:30:05+08:00"


@pytest.mark.parametrize(
    "value", [MOMENT, datetime(2026, 12, 1, 8, 0), date(2026, 12, 1), timezone.make_aware(datetime(2026, 6, 1, 9, 15))]
)
def test_iso_is_what_the_date_filter_gives_for_c(value):
    template = Template('{% load times %}{{ value|iso }}|{{ value|date:"c" }}')
    mine, django = template.render(Context({"value": value})).split("|")
    assert mine == django


@pytest.mark.parametrize("value", [None, "", "2026-12-01"])
def test_what_is_not_a_time_gives_nothing(value):
    assert minute(value) == second(value) == day(value) == iso(value) == ""
