"""A ledger as a zone really sends it: every quirk in one workbook, every parsed value checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonedesk.ledgerio import ParsedRow, ParseResult, SheetTable, parse_rows, read_workbook

from .workbooks import messy_workbook

DEFAULTS = {"zone": 1, "agreement_type": "formal"}


@pytest.fixture(scope="module")
def tables() -> list[SheetTable]:
    return read_workbook(messy_workbook())


@pytest.fixture(scope="module")
def result(tables: list[SheetTable]) -> ParseResult:
    return parse_rows(tables, defaults=DEFAULTS)


def _row(result: ParseResult, sheet: str, number: int) -> ParsedRow:
    return next(r for r in result.rows if r.sheet == sheet and r.row_number == number)


def _errors(result: ParseResult, sheet: str, number: int) -> list[tuple[str | None, str, str]]:
    return [
        (e.column_letter, e.severity, e.message)
        for e in result.errors
        if e.sheet == sheet and e.row == number
    ]


def test_every_sheet_is_read_in_order(tables):
    assert [t.sheet for t in tables] == ["一季度台账", "二季度", "填表说明"]


def test_two_row_merged_header_is_found_below_title_rows(tables):
    first = tables[0]
    assert first.header_rows == (3, 4)
    assert {f: (c.letter, c.header, c.unit) for f, c in first.columns.items()} == {
        "name": ("B", "项目名称", None),
        "investors": ("C", "投资方", None),
        "total_investment_wan": ("D", "总投资（亿元）", "亿元"),
        "agreement_amount_wan": ("E", "协议投资额（万元）", "万元"),
        "land_area_mu": ("F", "占地（亩）", "亩"),
        "agreement_date": ("G", "签约时间", None),
        "start_date": ("H", "开工时间", None),
        "production_date": ("I", "投产时间", None),
        "stage": ("J", "项目阶段", None),
        "progress_note": ("K", "进展情况", None),
        "leader_name": ("L", "包联领导", None),
        "pursuing_unit": ("M", "责任单位", None),
        "responsible_officer": ("N", "责任人", None),
        "investor_uscc": ("O", "统一社会信用代码", None),
    }


def test_one_row_header_under_a_title_row(tables):
    second = tables[1]
    assert second.header_rows == (2,)
    assert second.columns["total_investment_wan"].unit == "万元"
    assert second.columns["leased_floor_area_m2"].unit == "平方米"
    assert second.unmapped_columns == []


def test_unmappable_and_hidden_columns_are_reported_not_dropped(tables):
    first = tables[0]
    assert first.unmapped_columns == [("P", "备注")]
    assert first.hidden_columns == [("O", "统一社会信用代码")]
    assert first.columns["investor_uscc"].hidden is True
    assert first.rows[0].cells["investor_uscc"] == ("O", "91110108551385082Q")


def test_totals_notes_and_blank_rows_are_not_projects(tables):
    first = tables[0]
    assert [r.row_number for r in first.rows] == [5, 6, 8, 10]
    assert first.skipped_rows == [(7, "合计/小计行"), (11, "合计/小计行"), (13, "表尾说明"), (14, "表尾说明")]


def test_sheet_without_header_is_skipped_with_a_warning(tables, result):
    assert tables[2].rows == [] and tables[2].header_rows == ()
    notes = [e for e in result.errors if e.sheet == "填表说明"]
    assert [(n.severity, n.message) for n in notes] == [
        ("warning", "工作表“填表说明”：前15行中未找到可识别的表头，已跳过")
    ]


def test_started_row_values_yi_header_serial_date_and_traditional_stage(result):
    row = _row(result, "一季度台账", 5)
    assert row.stage == "started"
    assert row.values == {
        "name": "年产10万吨铝基新材料项目",
        "investors": ["山西XX铝业有限公司"],
        "total_investment_wan": Decimal(222200),  # bare 22.22 under 总投资（亿元）
        "agreement_amount_wan": Decimal(15000),
        "land_area_mu": Decimal(1500),
        "agreement_date": date(2024, 3, 15),  # a datetime cell
        "start_date": date(2024, 4, 15),  # Excel serial 45397 in a number cell
        "stage": "started",  # 已開工, traditional
        "progress_note": "厂房主体施工",
        "leader_name": "张三",
        "pursuing_unit": "新材料招商中心",
        "responsible_officer": "赵六",
        "investor_uscc": "91110108551385082Q",
    }
    assert row.approximate == {"land_area_mu"}  # 1500余亩
    assert row.columns["start_date"] == "H"


def test_started_row_reports_the_stage_gates_it_fails(result):
    assert _errors(result, "一季度台账", 5) == [
        (None, "error", "第5行：项目阶段为“开工”，须填写“入区日期”（表中无此列）"),
        (None, "error", "第5行：项目阶段为“开工”，须填写“供地日期”（表中无此列）"),
    ]


def test_negotiating_row_with_approximate_yi_fullwidth_area_and_wps_date(result):
    row = _row(result, "一季度台账", 6)
    assert row.stage == "negotiating"
    assert row.values["name"] == "新能源電池項目（一期）"  # proper names are kept as written
    assert row.investor_names == ["甲公司", "乙公司"]
    assert row.values["total_investment_wan"] == Decimal(30000)  # 约3亿
    assert row.values["land_area_mu"] == Decimal(85)  # ８５ full-width
    assert row.values["agreement_date"] == date(2024, 3, 1)  # text 2024.3
    assert row.approximate == {"total_investment_wan"}
    assert row.ok and _errors(result, "一季度台账", 6) == []


def test_unreadable_money_names_row_column_header_and_value(result):
    row = _row(result, "一季度台账", 8)
    assert row.values["total_investment_wan"] == Decimal(15000)  # 1.5亿元 in a 亿元 column
    assert row.values["land_area_mu"] == Decimal(300)  # 20公顷
    assert row.values["agreement_date"] == date(2024, 3, 1)  # 2024年3月
    assert "agreement_amount_wan" not in row.values
    # The unreadable amount is reported once, not again as "missing" by the 签约 gate.
    assert _errors(result, "一季度台账", 8) == [
        ("E", "error", "第8行 E列（协议投资额（万元））：无法识别的金额“三亿多点”")
    ]
    assert not row.ok


def test_reserve_row_with_chinese_numeral_money_float_date_and_bad_checksum(result):
    row = _row(result, "一季度台账", 10)
    assert row.stage == "reserve"
    assert row.values["total_investment_wan"] == Decimal(30000)  # 三亿元
    assert row.values["agreement_date"] == date(2024, 3, 1)  # 2024.3 stored as a number
    assert row.values["investor_uscc"] == "91110108551385083Q"
    assert _errors(result, "一季度台账", 10) == [
        (
            "O",
            "warning",
            "第10行 O列（统一社会信用代码）：统一社会信用代码校验位不符（应为 U），按早期赋码保留，请核实",
        )
    ]
    assert row.ok  # a checksum warning does not block the row


def test_yi_value_in_wan_column_and_square_metre_header(result):
    row = _row(result, "二季度", 3)
    assert row.values["total_investment_wan"] == Decimal(222200)  # 22.22亿元 under (万元)
    assert row.values["leased_floor_area_m2"] == Decimal(3000)
    assert row.values["agreement_date"] == date(2024, 5, 8)
    assert row.stage == "negotiating"  # 跟踪中
    assert row.ok


def test_stage_words_of_two_stages_are_an_error_not_a_guess(result):
    assert _errors(result, "二季度", 4) == [
        ("G", "error", "第4行 G列（项目状态）：项目阶段“已签约未开工”含义不明确（可能是：签约、开工）")
    ]


def test_sheet_level_warnings_name_hidden_and_unknown_columns(result):
    sheet_notes = [e.message for e in result.errors if e.sheet == "一季度台账" and e.row == 3]
    assert sheet_notes == [
        "工作表“一季度台账”：O列（统一社会信用代码）为隐藏列，仍已读取，请核对",
        "工作表“一季度台账”：P列（备注）表头无法识别，未导入；如需导入请在 columns.toml 中添加同义词",
    ]


def test_only_the_named_sheet_is_read():
    tables = read_workbook(messy_workbook(), sheet="二季度")
    assert [t.sheet for t in tables] == ["二季度"]
    assert [r.row_number for r in tables[0].rows] == [3, 4]
