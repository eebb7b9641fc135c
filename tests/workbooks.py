"""Excel downloads read back as the people who open them would: the bytes, the workbook, the sheet XML."""

import re
import zipfile
from io import BytesIO

from django.core.signals import request_finished
from django.db import close_old_connections
from openpyxl import load_workbook


def close_outside_a_request(response) -> None:
    """Close a response made outside a request as a WSGI server would (its generators closed), but,
    like Django's test client, without the end-of-request signal's database housekeeping: that
    would touch a connection left open by an earlier test, in a test that may not use the database."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def download(response) -> bytes:
    """The whole body of a streamed download. The test client closes its responses when their
    content is read (as a WSGI server does); one made outside a request is closed here."""
    try:
        return b"".join(response.streaming_content)
    finally:
        if not hasattr(response, "wsgi_request"):
            close_outside_a_request(response)


def workbook_of(data: bytes):
    return load_workbook(BytesIO(data))


def sheet_of(response):
    return workbook_of(download(response)).active


def sheet_xml(data: bytes) -> str:
    """Every worksheet's XML in the file, one after another."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = [name for name in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)]
        return "".join(archive.read(name).decode() for name in names)
