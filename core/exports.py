"""The one export: declared columns and rows in, a formatted .xlsx (or a .csv) out, streamed while
the rows are read. Every export of the project goes through `xlsx_response` or `csv_response`.

openpyxl writes a workbook only into a file it must finish before the first byte can be sent, so
this module writes the few parts of an .xlsx itself — the sheet row by row, each text as an inline
string (no shared-strings table to hold in memory) — and stream-zip packs them into the ZIP file
as they are written. The first block leaves while the database is still being read, and the
memory a download takes does not grow with the number of rows.
"""

import csv
import datetime
import logging
import math
import re
import stat
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from stream_zip import ZIP_32, stream_zip

from core.choices import choice_labels as field_labels

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

TEXT = "text"
INT = "int"
NUMBER = "number"
DATE = "date"
DATETIME = "datetime"

# The number format and the style (its index in styles.xml's cellXfs) of each kind of column.
NUMBER_FORMATS = {INT: "0", NUMBER: "General", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
STYLE_HEADER = 1
KIND_STYLES = {INT: 4, NUMBER: 0, DATE: 2, DATETIME: 3}
# Widths (in Excel's character units) a column of the kind needs for its values.
KIND_WIDTHS = {TEXT: 12, INT: 8, NUMBER: 10, DATE: 12, DATETIME: 17}
# The header's filter button takes about two characters. No column grows wider than a screen can
# show beside the others; a longer text is read in the formula bar.
FILTER_BUTTON_WIDTH = 3
MAX_WIDTH = 60

ROWS_PER_FETCH = 2000
# Sheet XML is handed to the compressor in pieces of about this many characters, and the file is
# sent in blocks of SEND_BLOCK_BYTES.
PIECE_CHARACTERS = 32 * 1024
SEND_BLOCK_BYTES = 64 * 1024
# zlib's fastest level: 50,000 rows are packed in 0.8 s less than at its default level (6), into
# a file about 5 % larger.
COMPRESSION_LEVEL = 1

# Excel holds at most this many characters (UTF-16 code units) in a cell, and reports a file
# with a longer one as damaged.
MAX_CELL_CHARACTERS = 32767
# Day 0 of Excel's serial dates. Before 1 March 1900 Excel counts a 29 February 1900 that never
# was, so an earlier date is written as text rather than one day out.
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
FIRST_SERIAL_DATE = datetime.date(1900, 3, 1)
ONE_DAY = datetime.timedelta(days=1)

LINE_BREAKS = re.compile(r"\r\n?")
# What XML 1.0 cannot hold: control characters other than tab and line feed, lone surrogates, and
# the two non-characters U+FFFE and U+FFFF. (A carriage return has become a line feed before this.)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads "_x0041_" in a cell's text as an escaped "A"; an underscore that would begin such a
# sequence is itself escaped (as "_x005F_") so that the text reads as typed.
EXCEL_ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MEMBER_MODE = stat.S_IFREG | 0o644


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
    (`get_FOO_display()` would build the mapping again for every cell). The mapping is the one the
    models' displays share, built once per language (core.choices): read it, never change it."""
    return field_labels(model._meta.get_field(field_name), get_language())


def as_text(value: Any) -> str:
    """User text as it may stand in a cell: line breaks as Excel keeps them (a line feed; XML would
    turn a bare carriage return into one anyway), without the characters XML forbids, and cut to
    the length a cell can hold."""
    text = str(value)
    if "\r" in text:
        text = LINE_BREAKS.sub("\n", text)
    text = XML_FORBIDDEN.sub("", text)
    if len(text) > MAX_CELL_CHARACTERS // 2:
        # A character beyond the Basic Multilingual Plane (an emoji) takes two of Excel's units.
        utf16 = text.encode("utf-16-le")
        if len(utf16) > 2 * MAX_CELL_CHARACTERS:
            text = utf16[: 2 * MAX_CELL_CHARACTERS].decode("utf-16-le", errors="ignore")
    return text


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _text_cell(reference: str, value: Any, style: int = 0) -> str:
    # An inline string is text whatever it says: no cell of this file ever holds a formula.
    text = as_text(value)
    if "_x" in text:
        text = EXCEL_ESCAPE_LOOKALIKE.sub("_x005F_", text)
    text = xml_escape(text)
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _typed(kind: str, value: Any, zone: datetime.tzinfo) -> Any:
    """The value as a cell of the column's kind holds it: datetimes in `zone` (the project's time
    zone) and naive (Excel knows no time zones), dates as dates, numbers as numbers; None when the
    value is not of the kind, and is written as text instead."""
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return value.astimezone(zone).replace(tzinfo=None) if value.utcoffset() is not None else value
    if kind == DATE and isinstance(value, datetime.datetime):
        return value.astimezone(zone).date() if value.utcoffset() is not None else value.date()
    if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
        return value
    if kind in (INT, NUMBER) and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return None


def excel_serial(value: datetime.date) -> str | None:
    """A date or naive datetime as Excel's serial number (days since its day 0, the time of day as
    the fraction); None before the first date Excel counts correctly."""
    if isinstance(value, datetime.datetime):
        if value.date() < FIRST_SERIAL_DATE:
            return None
        return repr((value - EXCEL_EPOCH) / ONE_DAY)
    if value < FIRST_SERIAL_DATE:
        return None
    return str((value - EXCEL_EPOCH.date()).days)


def _number(value: int | float | Decimal) -> str | None:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    return str(value) if value.is_finite() else None


def _cell(reference: str, kind: str, value: Any, zone: datetime.tzinfo) -> str:
    if value is None or value == "":
        return ""
    typed = _typed(kind, value, zone) if kind != TEXT else None
    if typed is None:
        return _text_cell(reference, value)
    if kind in (DATE, DATETIME):
        written = excel_serial(typed)
        if written is None:
            if isinstance(typed, datetime.datetime):
                return _text_cell(reference, typed.isoformat(sep=" ", timespec="minutes"))
            return _text_cell(reference, typed.isoformat())
    else:
        written = _number(typed)
        if written is None:
            return _text_cell(reference, typed)
    style = KIND_STYLES[kind]
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled}><v>{written}</v></c>'


def column_letter(index: int) -> str:
    """The letter(s) of the column at 1-based `index`: A … Z, AA …"""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def sheet_name(name: str) -> str:
    """The name as Excel allows a sheet's: without []:*?/\\, not wrapped in apostrophes, at most 31
    characters."""
    return SHEET_NAME_FORBIDDEN.sub("", name).strip("'")[:MAX_SHEET_NAME] or "Sheet1"


class SheetWriter:
    """The worksheet's XML, given a piece at a time as the rows are read; counts the rows written.

    The header row is written when the writer is made, so that translated headers take the
    request's language; the rows are first read when the sheet is."""

    def __init__(self, *, columns: list[Column], rows: Iterable):
        self.rows = rows
        self.rows_written = 0
        # Taken now, as the request has it: the rows are written after the view has returned.
        self.zone = timezone.get_current_timezone()
        letters = [column_letter(index) for index in range(1, len(columns) + 1)]
        self.last_letter = letters[-1]
        self.cells = [(letter, column.value, column.kind) for letter, column in zip(letters, columns, strict=True)]
        widths = "".join(
            f'<col min="{index}" max="{index}" width="{column_width(column)}" customWidth="1"/>'
            for index, column in enumerate(columns, start=1)
        )
        header = "".join(
            _text_cell(f"{letter}1", column.header, STYLE_HEADER)
            for letter, column in zip(letters, columns, strict=True)
        )
        self.head = (
            f'{XML_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
            f"<cols>{widths}</cols>"
            f'<sheetData><row r="1">{header}</row>'
        )

    @property
    def filter_range(self) -> str:
        """The header and every row written (known once the last row is)."""
        return f"A1:{self.last_letter}{self.rows_written + 1}"

    def __iter__(self) -> Iterator[bytes]:
        rows = self.rows
        if isinstance(rows, QuerySet):
            rows = rows.iterator(chunk_size=ROWS_PER_FETCH)
        rows = iter(rows)
        cells, zone = self.cells, self.zone
        pieces = [self.head]
        size = len(self.head)
        try:
            for number, row in enumerate(rows, start=2):
                line = "".join([_cell(f"{letter}{number}", kind, value(row), zone) for letter, value, kind in cells])
                line = f'<row r="{number}">{line}</row>'
                self.rows_written += 1
                pieces.append(line)
                size += len(line)
                if size >= PIECE_CHARACTERS:
                    yield "".join(pieces).encode()
                    pieces, size = [], 0
        finally:
            # A download cut short closes the database cursor now rather than when collected.
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        pieces.append(f'</sheetData><autoFilter ref="{self.filter_range}"/></worksheet>')
        yield "".join(pieces).encode()


def _workbook_xml(title: str, sheet: SheetWriter) -> bytes:
    # Excel's own record of the filtered range, which it keeps beside the sheet's autoFilter.
    quoted = "'" + title.replace("'", "''") + "'"
    filtered = f"{quoted}!$A$1:${sheet.last_letter}${sheet.rows_written + 1}"
    return (
        f'{XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{xml_escape(title)}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{xml_escape(filtered)}</definedName></definedNames>"
        "</workbook>"
    ).encode()


CONTENT_TYPES = (
    f"{XML_DECLARATION}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
).encode()

PACKAGE_RELATIONSHIPS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS_NS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
).encode()

WORKBOOK_RELATIONSHIPS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS_NS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
).encode()

_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0"'
# cellXfs in the order of STYLE_HEADER and KIND_STYLES: plain, header, date, datetime, integer.
STYLES = (
    f'{XML_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{NUMBER_FORMATS[DATE]}"/>'
    f'<numFmt numFmtId="165" formatCode="{NUMBER_FORMATS[DATETIME]}"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    f'<xf numFmtId="0" {_XF}/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>'
    f'<xf numFmtId="164" {_XF} applyNumberFormat="1"/>'
    f'<xf numFmtId="165" {_XF} applyNumberFormat="1"/>'
    f'<xf numFmtId="1" {_XF} applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()


def _core_properties(title: str, created: datetime.datetime) -> bytes:
    return (
        f"{XML_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_escape(title)}</dc:title>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
        "</cp:coreProperties>"
    ).encode()


def xlsx_chunks(*, title: str, columns: list[Column], rows: Iterable) -> Iterator[bytes]:
    """The workbook, one sheet named `title`, as blocks of at most SEND_BLOCK_BYTES, written while
    the rows are read. The header is written now (in the current language); the rows are first
    read when the first block is asked for.

    The parts are packed in the order they can be written: the sheet, whose filter range is known
    only at its end, before the workbook part that names that range. Every part is an ordinary
    ZIP member (not ZIP64, which Excel refuses where the sizes do not need it; a sheet stays far
    below the 4 GiB that would)."""
    title = sheet_name(title)
    sheet = SheetWriter(columns=columns, rows=rows)
    created = timezone.now()
    modified = timezone.localtime(created).replace(tzinfo=None)

    def member(name: str, chunks: Iterable[bytes]):
        return name, modified, MEMBER_MODE, ZIP_32, chunks

    def members():
        yield member("[Content_Types].xml", (CONTENT_TYPES,))
        yield member("_rels/.rels", (PACKAGE_RELATIONSHIPS,))
        yield member("docProps/core.xml", (_core_properties(title, created),))
        yield member("xl/_rels/workbook.xml.rels", (WORKBOOK_RELATIONSHIPS,))
        yield member("xl/styles.xml", (STYLES,))
        yield member("xl/worksheets/sheet1.xml", sheet)
        # Asked for once the sheet is packed, when its rows are counted.
        yield member("xl/workbook.xml", (_workbook_xml(title, sheet),))

    def blocks():
        try:
            yield from stream_zip(
                members(),
                chunk_size=SEND_BLOCK_BYTES,
                get_compressobj=lambda: zlib.compressobj(level=COMPRESSION_LEVEL, wbits=-zlib.MAX_WBITS),
                extended_timestamps=False,
            )
        except Exception:
            logger.exception(
                "The export %r broke off with %d rows written; the download is incomplete.", title, sheet.rows_written
            )
            raise

    return blocks()


def xlsx_response(*, name: str | Promise, columns: list[Column], rows: Iterable) -> StreamingHttpResponse:
    """The rows as a download named `<name>-<today>.xlsx` (today in the project's time zone),
    streamed: the first block is sent while the rows are still being read, and a queryset is read
    with `.iterator()`, a block of rows at a time, when the response is sent (so the queries run
    after the view has returned, in the same thread, on the request's database connection).

    Nothing is read before the response is sent, so a failure while rows are read (the database
    going away) comes after the status line and the first blocks: it is logged with the number of
    rows written and the transfer breaks off, so the browser reports a failed download rather than
    keeping a file that would look complete."""
    name = str(name)
    response = StreamingHttpResponse(
        xlsx_chunks(title=name, columns=columns, rows=rows), content_type=XLSX_CONTENT_TYPE
    )
    return _as_download(response, name, "xlsx")


def _as_download(response: StreamingHttpResponse, name: str, extension: str) -> StreamingHttpResponse:
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- CSV -----------------------------------------------------------------------------------------

# Excel opens a CSV file as UTF-8 only when it begins with the byte order mark; without it, Excel set
# to Chinese reads the bytes as GBK and every Chinese character comes out garbled.
UTF8_BOM = "\ufeff"
# CSV cannot mark a cell as text: Excel and LibreOffice read a cell beginning with one of these as a
# formula. Such text is written with an apostrophe before it, so that it opens as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _csv_value(kind: str, value: Any, zone: datetime.tzinfo) -> str:
    """A cell as CSV text: dates and times as Excel reads them (in `zone`), numbers as numbers, and
    user text as text that never becomes a formula."""
    if value is None or value == "":
        return ""
    typed = _typed(kind, value, zone) if kind != TEXT else None
    if isinstance(typed, datetime.datetime):
        return typed.isoformat(sep=" ", timespec="minutes")
    if isinstance(typed, datetime.date):
        return typed.isoformat()
    if typed is not None:
        written = _number(typed)
        if written is not None:
            return written
    text = as_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(*, columns: list[Column], rows: Iterable) -> Iterator[bytes]:
    """The byte order mark and the header, then the rows as they are read, in blocks of about
    PIECE_CHARACTERS characters, UTF-8."""
    zone = timezone.get_current_timezone()
    writer = csv.writer(_Line())
    cells = [(column.value, column.kind) for column in columns]
    # The header is written now, in the request's language; the rows when the first block is asked for.
    head = UTF8_BOM + writer.writerow([as_text(column.header) for column in columns])

    def blocks():
        source = rows.iterator(chunk_size=ROWS_PER_FETCH) if isinstance(rows, QuerySet) else iter(rows)
        pieces, size, written = [head], len(head), 0
        try:
            for row in source:
                line = writer.writerow([_csv_value(kind, value(row), zone) for value, kind in cells])
                written += 1
                pieces.append(line)
                size += len(line)
                if size >= PIECE_CHARACTERS:
                    yield "".join(pieces).encode()
                    pieces, size = [], 0
        except Exception:
            logger.exception("A CSV export broke off with %d rows written; the download is incomplete.", written)
            raise
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
        yield "".join(pieces).encode()

    return blocks()


def csv_response(*, name: str | Promise, columns: list[Column], rows: Iterable) -> StreamingHttpResponse:
    """The rows as a download named `<name>-<today>.csv`: UTF-8 with the byte order mark (so that
    Excel opens it), comma-separated, streamed as `xlsx_response` is."""
    response = StreamingHttpResponse(csv_chunks(columns=columns, rows=rows), content_type=CSV_CONTENT_TYPE)
    return _as_download(response, str(name), "csv")
