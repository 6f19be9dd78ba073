"""Build ledgers the way zones make them, to feed the reader in tests."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

TITLE = "2026年XX经开区招商引资项目台账"


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rows_xlsx(rows: list[list[Any]]) -> bytes:
    """One sheet holding ``rows`` from A1 down."""
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    return to_bytes(wb)


def _put(ws: Worksheet, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        if value is not None:
            ws.cell(row=row, column=col, value=value)


def first_quarter_sheet(ws: Worksheet) -> None:
    """Title rows, a header merged over rows 3–4, 序号, 合计/小计 rows, notes, a hidden column."""
    ws.title = "一季度台账"
    ws["A1"] = TITLE
    ws.merge_cells("A1:P1")
    ws["A2"] = "填报单位：XX经开区招商中心　　　　单位：亿元、亩"
    _put(
        ws,
        3,
        [
            "序号",
            "项目名称",
            "投资方",
            "投资情况",
            None,
            "占地\n（亩）",
            "时间节点",
            None,
            None,
            "项目阶段",
            "进展情况",
            "包联领导",
            "责任单位",
            "责任人",
            "统一社会信用代码",
            "备注",
        ],
    )
    _put(
        ws,
        4,
        [None, None, None, "总投资（亿元）", "协议投资额（万元）", None, "签约时间", "开工时间", "投产时间"],
    )
    for rng in (
        "A3:A4",
        "B3:B4",
        "C3:C4",
        "D3:E3",
        "F3:F4",
        "G3:I3",
        "J3:J4",
        "K3:K4",
        "L3:L4",
        "M3:M4",
        "N3:N4",
        "O3:O4",
        "P3:P4",
    ):
        ws.merge_cells(rng)
    ws.column_dimensions["O"].hidden = True
    _put(
        ws,
        5,
        [
            1,
            "年产10万吨铝基新材料项目",
            "山西XX铝业有限公司",
            22.22,
            "15000",
            "1500余亩",
            datetime(2024, 3, 15),
            45397,
            None,
            "已開工",
            "厂房主体施工",
            "张三",
            "新材料招商中心",
            "赵六",
            "91110108551385082Q",
            "省级重点",
        ],
    )
    _put(
        ws,
        6,
        [
            2,
            "新能源電池項目（一期）",
            "甲公司、乙公司",
            "约3亿",
            None,
            "８５",
            "2024.3",
            None,
            None,
            "洽谈中",
            "已赴企业考察",
            "李四",
            "新能源招商中心",
            "王五",
        ],
    )
    _put(ws, 7, ["合计", None, None, 25.22, 15000, 1585])
    _put(
        ws,
        8,
        [
            3,
            "氢能装备制造项目",
            "丙公司",
            "1.5亿元",
            "三亿多点",
            "20公顷",
            "2024年3月",
            None,
            None,
            "已签约",
            None,
            None,
            "新能源招商中心",
            "王五",
        ],
    )
    # row 9 left blank
    _put(
        ws,
        10,
        [
            4,
            "數字經濟產業園",
            "丁公司",
            "三亿元",
            None,
            None,
            2024.3,
            None,
            None,
            "储备",
            None,
            None,
            None,
            None,
            "91110108551385083Q",
        ],
    )
    _put(ws, 11, [None, "新能源产业小计", None, 4.5])
    _put(ws, 13, ["填报人：张三　　联系电话：0351-1234567"])
    _put(ws, 14, ["审核人：李四"])


def second_quarter_sheet(ws: Worksheet) -> None:
    """One title row, a one-row header with units in brackets, 万元 column holding 亿元 values."""
    ws["A1"] = "二季度新签约项目"
    _put(
        ws,
        2,
        [
            "序号",
            "项目",
            "企业名称",
            "计划总投资(万元)",
            "租赁厂房面积(㎡)",
            "签约日期",
            "项目状态",
            "责任单位",
            "责任人",
        ],
    )
    _put(
        ws,
        3,
        [1, "智能制造产业园", "戊公司", "22.22亿元", 3000, datetime(2024, 5, 8), "跟踪中", "招商局", "钱七"],
    )
    _put(ws, 4, [2, "光伏组件项目", "己公司", 5000, "3000", "2024年5月", "已签约未开工", "招商局", "钱七"])


def messy_workbook() -> bytes:
    wb = Workbook()
    first_quarter_sheet(wb.active)
    second_quarter_sheet(wb.create_sheet("二季度"))
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "1. 金额单位为万元。"
    notes["A2"] = "2. 请勿修改表头。"
    return to_bytes(wb)
