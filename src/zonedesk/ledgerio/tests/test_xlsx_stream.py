"""The streaming .xlsx reader gives exactly the tables the openpyxl reader gives, on messy workbooks."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from zonedesk.ledgerio.config import get_config
from zonedesk.ledgerio.reader import _read_xlsx, _read_xlsx_openpyxl
from zonedesk.ledgerio.xlsxstream import XlsxBook

from .workbooks import TITLE, first_quarter_sheet, messy_workbook, second_quarter_sheet, to_bytes
from .zone_ledgers import messy_zone_workbook, simple_workbook

HEADER = ["序号", "项目名称", "总投资（万元）", "签约日期", "项目阶段", "责任单位"]


def _write_only(rows: list[list]) -> bytes:
    """Inline strings, as openpyxl's write-only mode (and the bench generator) stores them."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    for row in rows:
        ws.append(row)
    return to_bytes(wb)


def _rewrite(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == member:
                body = change(body.decode("utf-8")).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def _prefixed(data: bytes) -> bytes:
    """The main namespace under a prefix (x:), as some generators write it: the lxml path reads it."""

    def change(xml: str) -> str:
        xml = xml.replace(
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
            'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
            1,
        )
        return re.sub(r"<(/?)(?!\?)([A-Za-z]+)([\s>/])", r"<\1x:\2\3", xml)

    return _rewrite(data, "xl/worksheets/sheet1.xml", change)


def _cols_after_data(data: bytes) -> bytes:
    """<cols> moved after <sheetData> (out of schema order, seen from home-made exporters)."""

    def change(xml: str) -> str:
        cols = re.search(r"<cols>.*?</cols>", xml, re.S)
        assert cols, "test workbook should have hidden columns"
        xml = xml.replace(cols.group(0), "")
        return xml.replace("</sheetData>", "</sheetData>" + cols.group(0))

    return _rewrite(data, "xl/worksheets/sheet1.xml", change)


def _no_references(data: bytes) -> bytes:
    """Cells and rows without r="…" (allowed by the format; some writers omit them)."""

    def change(xml: str) -> str:
        return re.sub(r'<c r="[A-Z]+\d+"', "<c", xml)

    return _rewrite(data, "xl/worksheets/sheet1.xml", change)


def _rich_and_1904() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["项目名称", "总投资（亿元）", "签约日期", "项目阶段"])
    ws.append(
        [
            CellRichText(["年产", TextBlock(InlineFont(b=True), "5万吨"), "电池项目"]),
            1.5,
            datetime(2024, 3, 15),
            "已签约",
        ]
    )
    ws.append(["氢能项目 & 配套", "=1+2", datetime(2025, 1, 2), "在谈"])
    ws["C3"].number_format = "yyyy/m/d"
    wb.epoch = datetime(1904, 1, 1)
    return to_bytes(wb)


def _hidden_sheet_and_gaps() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "在谈"
    ws["A3"] = TITLE
    for i, v in enumerate(HEADER, start=1):
        ws.cell(row=5, column=i, value=v)
    ws.cell(row=6, column=2, value="项目甲")
    ws.cell(row=6, column=3, value="  ")
    ws.cell(row=6, column=5, value="在谈")
    ws.cell(row=9, column=2, value="项目乙")
    ws.cell(row=9, column=9, value="表外备注")
    ws.cell(row=9, column=5, value=True)
    other = wb.create_sheet("旧表")
    first_quarter_sheet(other)
    other.sheet_state = "hidden"
    return to_bytes(wb)


def _second_quarter_only() -> bytes:
    wb = Workbook()
    second_quarter_sheet(wb.active)
    return to_bytes(wb)


WORKBOOKS = {
    "messy (title rows, merged two-row header, subtotals, notes, hidden column, three sheets)": messy_workbook,
    "zone ledger used by the import tests": messy_zone_workbook,
    "simple ledger": simple_workbook,
    "second quarter (units in brackets, 亿元 in a 万元 column)": _second_quarter_only,
    "write-only inline strings with dates and blanks": lambda: _write_only(
        [
            [TITLE],
            [],
            HEADER,
            [1, "项目甲", 100, datetime(2024, 3, 1), "已签约", "招商局"],
            [None, "小计", 100],
            [2, "项目乙", "1.5亿元", "2024.3", "在谈", None],
            ["填报人：张三"],
        ]
    ),
    "main namespace under a prefix": lambda: _prefixed(messy_workbook()),
    "cells without references": lambda: _no_references(simple_workbook()),
    "rich text, a formula, 1904 dates": _rich_and_1904,
    "hidden sheet, gaps, whitespace cell, data beyond the header": _hidden_sheet_and_gaps,
}


@pytest.mark.parametrize("make", WORKBOOKS.values(), ids=list(WORKBOOKS))
def test_streaming_reader_gives_the_same_tables_as_openpyxl(make):
    data = make()
    config = get_config()
    expected = _read_xlsx_openpyxl(data, None, config)
    got = _read_xlsx(data, None, config)
    assert [t.sheet for t in got] == [t.sheet for t in expected]
    for ours, theirs in zip(got, expected):
        assert ours == theirs


def test_hidden_columns_after_sheet_data_are_still_found():
    # openpyxl's path only looked before <sheetData>; the reference is the same file in schema order.
    config = get_config()
    got = _read_xlsx(_cols_after_data(messy_workbook()), None, config)
    assert got == _read_xlsx_openpyxl(messy_workbook(), None, config)
    assert got[0].hidden_columns == [("O", "统一社会信用代码")]


def test_streaming_reader_reads_one_named_sheet():
    config = get_config()
    got = _read_xlsx(messy_workbook(), "二季度", config)
    assert got == _read_xlsx_openpyxl(messy_workbook(), "二季度", config)
    assert [r.row_number for r in got[0].rows] == [3, 4]


def test_merged_ranges_and_hidden_columns_are_read_from_the_sheet_xml():
    book = XlsxBook(messy_workbook())
    first = book.sheets[0]
    rows = list(book.rows(first))
    assert first.hidden_columns == {15}
    assert "A1:P1" in first.merged and "G3:I3" in first.merged
    assert rows[4][:4] == [1, "年产10万吨铝基新材料项目", "山西XX铝业有限公司", 22.22]
    assert rows[4][6] == datetime(2024, 3, 15)
    moved = XlsxBook(_cols_after_data(messy_workbook()))
    list(moved.rows(moved.sheets[0]))
    assert moved.sheets[0].hidden_columns == {15}


def test_cells_beyond_a_stale_dimension_are_kept():
    # WPS can leave <dimension ref="A1:B3"> on a sheet that grew: openpyxl's read-only mode would drop
    # the columns past B; the streaming reader keeps them.
    data = _rewrite(
        simple_workbook(),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:B3"/>', xml),
    )
    [table] = _read_xlsx(data, None, get_config())
    assert [r.values[:2] for r in table.rows] == [
        ("测试导入项目1", "测试企业1有限公司"),
        ("测试导入项目2", "测试企业2有限公司"),
        ("测试导入项目3", "测试企业3有限公司"),
    ]
    assert table.rows[0].cells["total_investment_wan"] == ("D", 1000)
