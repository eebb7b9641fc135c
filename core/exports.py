"""The one Excel export: declared columns and rows in, a formatted .xlsx out, streamed from a
temporary file. Every export of the project goes through `xlsx_response`."""

import datetime
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT = "text"
INT = "int"
NUMBER = "number"
DATE = "date"
DATETIME = "datetime"

NUMBER_FORMATS = {INT: "0", NUMBER: "General", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
# Widths (in Excel's character units) a column of the kind needs for its values.
KIND_WIDTHS = {TEXT: 12, INT: 8, NUMBER: 10, DATE: 12, DATETIME: 17}
# The header's filter button takes about two characters. No column grows wider than a screen can
# show beside the others; a longer text is read in the formula bar.
FILTER_BUTTON_WIDTH = 3
MAX_WIDTH = 60

ROWS_PER_FETCH = 2000
# The finished file stays in memory up to this size and moves to a temporary file on disk beyond it.
SPOOL_MAX_BYTES = 1024 * 1024
SEND_BLOCK_BYTES = 64 * 1024

LINE_BREAKS = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Column:
    """One column: its header, how a row gives its value, its kind, and the width its values need
    (in characters, a Chinese character counting two) when the header alone does not tell."""

    header: str | Promise
    value: Callable[[Any], Any]
    kind: str = TEXT
    width: int | None = None

    def __post_init__(self):
        if self.kind not in KIND_WIDTHS:
            raise ValueError(f"Unknown column kind {self.kind!r}; use one of {', '.join(KIND_WIDTHS)}.")


def display_width(text: str) -> int:
    """How many character cells `text` takes: two for a wide (Chinese) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_width(column: Column) -> int:
    wanted = max(display_width(str(column.header)) + FILTER_BUTTON_WIDTH, column.width or KIND_WIDTHS[column.kind])
    return min(wanted, MAX_WIDTH)


def choice_labels(model, field_name: str) -> dict:
    """The translated label of every choice of a model field, looked up once for a whole export
    (`get_FOO_display()` would build the mapping again for every cell)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def as_text(value: Any) -> str:
    """User text as it may stand in a cell: line breaks as Excel keeps them (a line feed; XML would
    turn a bare carriage return into one anyway) and without the control characters XML forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", LINE_BREAKS.sub("\n", str(value)))


def _text_cell(sheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, as_text(value))
    # openpyxl turns a string beginning with "=" into a formula; this cell holds text, whatever it says.
    cell.data_type = "s"
    return cell


def _typed(kind: str, value: Any) -> Any:
    """The value as a cell of the column's kind holds it: datetimes in the project's time zone and
    naive (Excel knows no time zones), dates as dates, numbers as numbers; None when the value is
    not of the kind, and is written as text instead."""
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if kind == DATE and isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
        return value
    if kind in (INT, NUMBER) and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return None


def _cell(sheet, column: Column, value: Any) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet, None)
    typed = _typed(column.kind, value)
    if typed is None:
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, typed)
    cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def write_workbook(file, *, sheet_title: str, columns: list[Column], rows: Iterable) -> int:
    """Write the rows into `file` as a one-sheet workbook; return how many rows were written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    # Columns, panes and styles must be declared before the first row: write-only mode streams rows.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center")
    header = []
    for column in columns:
        cell = _text_cell(sheet, column.header)
        cell.font = bold
        cell.alignment = centred
        header.append(cell)
    sheet.append(header)
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=ROWS_PER_FETCH)
    count = 0
    try:
        for row in rows:
            sheet.append([_cell(sheet, column, column.value(row)) for column in columns])
            count += 1
    except BaseException:
        # openpyxl keeps the rows in a file of its own until the workbook is saved; a failed export
        # removes it now rather than when the worker process ends.
        sheet.close()
        sheet._writer.cleanup()
        raise
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(file)
    return count


def xlsx_response(*, name: str | Promise, columns: list[Column], rows: Iterable) -> FileResponse:
    """The rows as a download named `<name>-<today>.xlsx` (today in the project's time zone): built
    into a temporary file, then sent in blocks, so the whole file is never held in memory at once.
    A queryset is read with `.iterator()`, a block of rows at a time."""
    name = str(name)
    # Not a `with` block: the response closes the file once it is sent.
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    try:
        write_workbook(file, sheet_title=name[:31], columns=columns, rows=rows)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response.block_size = SEND_BLOCK_BYTES
    response["Cache-Control"] = "private, no-store"
    return response
