"""Log formatting for the whole project: Beijing time with its offset, and no tracebacks for 4xx."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


class LocalTimeFormatter(logging.Formatter):
    """Stamps each line in the project's time zone (settings.TIME_ZONE, Asia/Shanghai) with the offset
    written out, e.g. `2026-11-30 17:21:05+0800`, whatever the host's clock is set to."""

    default_time_format = "%Y-%m-%d %H:%M:%S%z"

    def formatTime(self, record, datefmt=None):
        when = datetime.fromtimestamp(record.created, ZoneInfo(settings.TIME_ZONE))
        return when.strftime(datefmt or self.default_time_format)


class ClientErrorTracebackFilter(logging.Filter):
    """A refused or missing page (a 4xx response) is the visitor's mistake, not the program's: it stays
    a one-line warning. Django logs PermissionDenied and friends with the exception attached, which
    would print a traceback for every 403; this drops it. Server errors keep theirs."""

    def filter(self, record):
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
