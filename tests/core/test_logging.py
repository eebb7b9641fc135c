"""Log lines: Beijing time with the offset written out; a refused or missing page is one line,
without a traceback, while a server error keeps its traceback."""

import io
import logging
import sys
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.urls import reverse

from core.logging import ClientErrorTracebackFilter, LocalTimeFormatter

LOG_FORMAT = settings.LOGGING["formatters"]["plain"]["format"]


def record_at(moment: datetime, **extra) -> logging.LogRecord:
    record = logging.LogRecord("mengtao.test", logging.INFO, __file__, 1, "message", None, None)
    record.created = moment.timestamp()
    record.__dict__.update(extra)
    return record


def test_times_are_in_the_project_time_zone_with_the_offset():
    formatter = LocalTimeFormatter(LOG_FORMAT)
    line = formatter.format(record_at(datetime(2026, 11, 30, 9, 21, 5, tzinfo=UTC)))
    assert line == "2026-11-30 17:21:05+0800 INFO mengtao.test message"


def test_the_time_zone_comes_from_the_settings(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    formatter = LocalTimeFormatter(LOG_FORMAT)
    assert formatter.format(record_at(datetime(2026, 7, 1, 0, 0, tzinfo=UTC))).startswith("2026-07-01 02:00:00+0200")


def _traceback_record(status_code: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), None)
        record.exc_info = sys.exc_info()
    record.status_code = status_code
    return record


@pytest.mark.parametrize("status_code", [400, 403, 404])
def test_the_filter_drops_the_traceback_of_client_errors(status_code):
    record = _traceback_record(status_code)
    assert ClientErrorTracebackFilter().filter(record) is True
    line = LocalTimeFormatter(LOG_FORMAT).format(record)
    assert "Traceback" not in line and "\n" not in line


def test_the_filter_keeps_the_traceback_of_server_errors():
    record = _traceback_record(500)
    assert ClientErrorTracebackFilter().filter(record) is True
    assert "Traceback" in LocalTimeFormatter(LOG_FORMAT).format(record)


@pytest.fixture
def formatted_request_log():
    """The project's console format, under the filters the settings put on django.request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LocalTimeFormatter(LOG_FORMAT))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_refused_page_logs_one_warning_line_without_traceback(client, tree, role_users, formatted_request_log):
    client.force_login(role_users["leader"])
    response = client.get(reverse("unit_list"))
    assert response.status_code == 403
    lines = formatted_request_log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert " WARNING django.request Forbidden (Permission denied): /units/" in lines[0]
    assert lines[0][19:24] == "+0800"


@pytest.mark.django_db
def test_a_missing_page_logs_one_warning_line_without_traceback(client, formatted_request_log, settings):
    settings.DEBUG = False
    response = client.get("/notices/999999/")
    assert response.status_code == 404
    lines = formatted_request_log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "WARNING django.request Not Found: /notices/999999/" in lines[0]
