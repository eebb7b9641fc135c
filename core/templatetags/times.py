"""Times as lists show them, in the current time zone (Asia/Shanghai), without Django's `date`
filter, which reads its format letter by letter (it cost more than the rest of a list row):
`{{ value|minute }}` → 2026-11-30 17:30, `{{ value|second }}` → 2026-11-30 17:30:05,
`{{ value|day }}` → 2026-11-30, `{{ value|iso }}` → 2026-11-30T17:30:05+08:00 (a `<time datetime>`,
as Django's `date:"c"` gives it). None and empty values give "".

Each takes the zone to show the time in, the current one when none is given: asking Django for the
current zone costs more than converting and formatting the time (it lives in a context-local), so the
Jinja2 fragments ask once per rendering and pass it (core.jinja).
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(value, zone=None):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return value.astimezone(zone or timezone.get_current_timezone())
    return value


@register.filter
def minute(value, zone=None) -> str:
    return _local(value, zone).strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""


@register.filter
def second(value, zone=None) -> str:
    return _local(value, zone).strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else ""


@register.filter
def day(value, zone=None) -> str:
    if isinstance(value, datetime):
        return _local(value, zone).strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d") if isinstance(value, date) else ""


@register.filter
def iso(value, zone=None) -> str:
    return _local(value, zone).isoformat() if isinstance(value, date) else ""
