"""Single behaviours of the reader and the validator, each on a small hand-made sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from zonedesk.ledgerio import LedgerFormatError, ParseResult, parse_rows, read_workbook

from .workbooks import TITLE, rows_xlsx, to_bytes

HEADER = ["序号", "项目名称", "总投资（万元）", "签约时间", "项目阶段", "责任单位", "责任人"]


def _parse(rows: list[list[Any]]) -> ParseResult:
    return parse_rows(read_workbook(rows_xlsx(rows)), defaults={"zone": 1})


def _messages(result: ParseResult) -> list[tuple[int, str | None, str, str]]:
    return [(e.row, e.column_letter, e.severity, e.message) for e in result.errors]


def test_csv_saved_by_wps_in_gbk_is_read():
    text = (
        f"{TITLE},,,\n序号,项目名称,总投资(亿元),签约日期\n1,煤层气综合利用项目,2.5,2024/3/15\n合计,,2.5,\n"
    )
    tables = read_workbook(text.encode("gb18030"))
    result = parse_rows(tables, defaults={"zone": 1})
    assert tables[0].header_rows == (2,)
    assert [(r.row_number, r.values) for r in result.rows] == [
        (
            3,
            {
                "name": "煤层气综合利用项目",
                "total_investment_wan": Decimal(25000),
                "agreement_date": date(2024, 3, 15),
            },
        )
    ]
    assert tables[0].skipped_rows == [(4, "合计/小计行")]


def test_csv_in_utf8_with_bom_from_a_path(tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes("项目名称,投资主体,用地面积(㎡)\n光伏项目,庚公司,6666.7\n".encode("utf-8-sig"))
    result = parse_rows(read_workbook(path), defaults={"zone": 1})
    assert result.rows[0].sheet == "台账"
    assert result.rows[0].values["land_area_mu"] == Decimal("10.00")  # 6666.7 ㎡ → 亩
    assert [e.severity for e in result.errors] == ["warning"]
    assert "已按 1 亩 = 666.67 平方米换算为10亩" in result.errors[0].message


def test_areas_converted_between_mu_and_m2_are_shown_in_plain_digits():
    text = "项目名称,建筑面积(㎡),用地面积(亩)\n光伏项目,120亩,30000平方米\n"
    result = parse_rows(read_workbook(text.encode("utf-8-sig")), defaults={"zone": 1})
    values = result.rows[0].values
    assert (str(values["floor_area_m2"]), str(values["land_area_mu"])) == ("80000", "45")
    assert [e.message for e in result.errors] == [
        "第2行 B列（建筑面积(㎡)）：“120亩”已按 1 亩 = 666.67 平方米换算为80000平方米",
        "第2行 C列（用地面积(亩)）：“30000平方米”已按 1 亩 = 666.67 平方米换算为45亩",
    ]


def test_damaged_xls_files_are_refused_with_advice():
    with pytest.raises(LedgerFormatError, match=r"另存为 \.xlsx"):
        read_workbook(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)


def test_missing_sheet_name_lists_the_sheets():
    with pytest.raises(LedgerFormatError, match="没有名为“三季度”的工作表（现有：Sheet）"):
        read_workbook(rows_xlsx([HEADER]), sheet="三季度")


def test_foreign_currency_in_a_yuan_column_is_an_error():
    result = _parse([HEADER, [1, "外资项目", "4500万美元", None, "储备"]])
    assert _messages(result) == [
        (2, "C", "error", "第2行 C列（总投资（万元））：金额“4500万美元”的币种为美元，本列应填人民币")
    ]


def test_date_typed_as_number_2024_point_1_warns_about_october():
    result = _parse([HEADER, [1, "项目甲", 100, 2024.1, "储备"]])
    assert result.rows[0].values["agreement_date"] == date(2024, 1, 1)
    assert _messages(result) == [
        (2, "D", "warning", "第2行 D列（签约时间）：“2024.1”按2024年1月处理；如为10月请写成文本“2024.10”")
    ]


def test_implausible_number_in_date_column_is_an_error():
    result = _parse([HEADER, [1, "项目甲", 100, 123, "储备"]])
    assert _messages(result) == [(2, "D", "error", "第2行 D列（签约时间）：无法识别的日期“123”")]


def test_period_in_date_column_takes_its_first_day_with_a_warning():
    result = parse_rows(
        read_workbook(rows_xlsx([HEADER, [1, "项目甲", 100, "2024年二季度", "储备"]])), defaults={"zone": 1}
    )
    assert result.rows[0].values["agreement_date"] == date(2024, 4, 1)
    assert [m[2] for m in _messages(result)] == ["warning"]


def test_status_word_in_stage_column_sets_status_beside_the_stage():
    result = _parse([HEADER, [1, "项目甲", 100, None, "在建（滞后）", "招商局", "张三"]])
    row = result.rows[0]
    assert (row.stage, row.status) == ("started", "behind")


def test_empty_stage_cell_is_checked_as_reserve_with_a_warning():
    result = _parse([HEADER, [1, "项目甲", 100]])
    assert result.rows[0].stage == "reserve"
    assert _messages(result) == [(2, "E", "warning", "第2行 E列（项目阶段）：未填写项目阶段，按“储备”校验")]


def test_unknown_stage_word_is_an_error_naming_it():
    result = _parse([HEADER, [1, "项目甲", 100, None, "快了"]])
    assert _messages(result) == [(2, "E", "error", "第2行 E列（项目阶段）：无法识别的项目阶段“快了”")]


def test_row_without_name_fails_the_reserve_gate_at_the_name_column():
    result = _parse([HEADER, [1, None, 100, None, "储备"]])
    assert _messages(result) == [
        (2, "B", "error", "第2行 B列（项目名称）：项目阶段为“储备”，须填写“项目名称”（该列为空）")
    ]


def test_signed_row_sees_investor_names_as_filled():
    header = [
        "项目名称",
        "投资方",
        "协议投资额（亿元）",
        "签约日期",
        "协议类型",
        "项目阶段",
        "责任单位",
        "责任人",
    ]
    result = _parse([header, ["项目甲", "甲公司", 2, "2024-03-15", "正式合同", "已签约", "招商局", "张三"]])
    assert result.rows[0].values["agreement_amount_wan"] == Decimal(20000)
    assert result.rows[0].values["agreement_type"] == "formal"
    assert result.errors == []


def test_signed_row_without_investor_is_an_error():
    header = ["项目名称", "投资方", "协议投资额", "签约日期", "协议类型", "项目阶段", "责任单位", "责任人"]
    result = _parse([header, ["项目甲", None, 2000, "2024-03-15", "框架", "已签约", "招商局", "张三"]])
    assert _messages(result) == [
        (2, "B", "error", "第2行 B列（投资方）：项目阶段为“签约”，须填写“投资方”（该列为空）")
    ]


def test_at_capacity_gate_is_only_a_warning_per_rules_file():
    header = [
        "项目名称",
        "投资方",
        "协议投资额",
        "签约日期",
        "入区时间",
        "供地时间",
        "占地",
        "开工时间",
        "投产时间",
        "总投资",
        "项目阶段",
        "责任单位",
        "责任人",
        "协议类型",
    ]
    row = [
        "项目甲",
        "甲公司",
        2000,
        "2021-01-01",
        "2021-02-01",
        "2021-03-01",
        50,
        "2021-04-01",
        "2022-05-01",
        3000,
        "已达产",
        "招商局",
        "张三",
        "正式合同",
    ]
    result = _parse([header, row])
    assert [(e.field, e.severity) for e in result.errors] == [
        ("capacity_date", "warning"),
        ("expected_output_wan", "warning"),
    ]
    assert result.rows[0].ok


def test_section_rows_and_repeated_headers_are_skipped():
    tables = read_workbook(
        rows_xlsx([HEADER, ["一、新能源产业"], [1, "项目甲", 100], HEADER, [2, "项目乙", 200]])
    )
    assert [r.row_number for r in tables[0].rows] == [3, 5]
    assert tables[0].skipped_rows == [(2, "分类标题行"), (4, "重复表头")]


def test_data_in_a_column_without_header_is_reported():
    tables = read_workbook(rows_xlsx([HEADER, [1, "项目甲", 100, None, "储备", None, None, "手写备注"]]))
    assert tables[0].unmapped_columns == [("H", "")]
    assert tables[0].notices == ["H列没有表头但有数据，未导入"]


def test_second_column_for_the_same_field_is_reported():
    tables = read_workbook(rows_xlsx([["项目名称", "总投资", "计划总投资（亿元）"], ["项目甲", 100, 1]]))
    assert tables[0].columns["total_investment_wan"].letter == "B"
    assert tables[0].unmapped_columns == [("C", "计划总投资（亿元）")]
    assert tables[0].notices == ["C列（计划总投资（亿元））与B列（总投资）对应同一字段，未导入"]


def test_same_project_twice_is_warned():
    wb = Workbook()
    wb.active.append(["项目名称", "总投资"])
    wb.active.append(["项目甲", 100])
    other = wb.create_sheet("续")
    other.append(["项目名称", "总投资"])
    other.append(["項目甲", 100])
    result = parse_rows(read_workbook(to_bytes(wb)), defaults={"zone": 1})
    assert _messages(result) == [(2, "A", "warning", "第2行：项目名称“項目甲”与工作表“Sheet”第2行重复")]


def test_hidden_sheet_is_read_and_flagged():
    wb = Workbook()
    wb.active.append(["项目名称", "总投资"])
    wb.active.append(["项目甲", 100])
    wb.active.sheet_state = "hidden"
    wb.create_sheet("可见").append(["说明"])
    tables = read_workbook(to_bytes(wb))
    assert tables[0].hidden_sheet is True
    assert "该工作表为隐藏工作表，仍已读取" in tables[0].notices
