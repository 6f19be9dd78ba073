"""Ledgers for zone A of the test world (testing/world.py): its units, people and park by name."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook

from .workbooks import rows_xlsx, to_bytes

HEADER_TOP = [
    "序号",
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "投资情况",
    None,
    "协议类型",
    "占地\n（亩）",
    "时间节点",
    None,
    "项目阶段",
    "责任单位",
    "责任人",
    "所属园区",
    "包联领导",
    "进展情况",
]
HEADER_BOTTOM = [
    None,
    None,
    None,
    None,
    "总投资（亿元）",
    "协议投资额（万元）",
    None,
    None,
    "签约日期",
    "入区时间",
]
MERGES = [
    "A3:A4",
    "B3:B4",
    "C3:C4",
    "D3:D4",
    "E3:F3",
    "G3:G4",
    "H3:H4",
    "I3:J3",
    "K3:K4",
    "L3:L4",
    "M3:M4",
    "N3:N4",
    "O3:O4",
    "P3:P4",
]


def messy_rows() -> list[list[Any]]:
    """Rows 5.. of the zone A ledger: every quirk a WPS-made sheet has."""
    return [
        [
            1,
            "年产10万吨铝基新材料项目",
            "山西铝基材料有限公司",
            "91110108551385082Q",
            22.22,
            "15000",
            "正式合同",
            "1500余亩",
            datetime(2024, 3, 15),
            45397,
            "已落地",
            "生物医药招商中心",
            "centre",
            "生物医药产业园",
            "张三",
            "厂房主体施工",
        ],
        [
            2,
            "新能源電池項目（一期）",
            "甲公司、乙公司",
            None,
            "约3亿",
            None,
            None,
            "８５",
            "2024.3",
            None,
            "洽谈中",
            "生物医药招商中心",
            "officer_a",
            None,
            "李四",
            "已赴企业考察",
        ],
        ["合计", None, None, None, 25.22, 15000, None, 1585],
        [
            3,
            "數字經濟產業園",
            "丁公司",
            None,
            "三亿元",
            None,
            None,
            None,
            None,
            None,
            "储备",
            None,
            None,
            None,
            None,
            "　待对接　",
        ],
    ]


def messy_zone_workbook(rows: list[list[Any]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws["A1"] = "2026年长治高新区招商引资项目台账"
    ws.merge_cells("A1:P1")
    ws["A2"] = "填报单位：长治高新区管委会　　单位：亿元、亩"
    for col, value in enumerate(HEADER_TOP, start=1):
        if value is not None:
            ws.cell(row=3, column=col, value=value)
    for col, value in enumerate(HEADER_BOTTOM, start=1):
        if value is not None:
            ws.cell(row=4, column=col, value=value)
    for rng in MERGES:
        ws.merge_cells(rng)
    for r, values in enumerate(rows if rows is not None else messy_rows(), start=5):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    last = ws.max_row
    ws.cell(row=last + 2, column=1, value="填报人：张三　　联系电话：0355-1234567")
    return to_bytes(wb)


SIMPLE_HEADER = [
    "序号",
    "项目名称",
    "投资主体",
    "总投资（万元）",
    "签约日期",
    "项目阶段",
    "责任单位",
    "责任人",
]


def simple_rows(n: int = 3) -> list[list[Any]]:
    return [
        [
            i,
            f"测试导入项目{i}",
            f"测试企业{i}有限公司",
            1000 * i,
            None,
            "在谈",
            "生物医药招商中心",
            "officer_a",
        ]
        for i in range(1, n + 1)
    ]


def simple_workbook(rows: list[list[Any]] | None = None, title: str = "台账") -> bytes:
    return rows_xlsx([[title], SIMPLE_HEADER, *(rows if rows is not None else simple_rows())])


def simple_csv(rows: list[list[Any]] | None = None, encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["招商项目台账"])
    writer.writerow(SIMPLE_HEADER)
    for row in rows if rows is not None else simple_rows():
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode(encoding)


def simple_xls(rows: list[list[Any]] | None = None) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write(0, 0, "招商项目台账（xls）")
    for c, value in enumerate(SIMPLE_HEADER):
        ws.write(1, c, value)
    for r, row in enumerate(rows if rows is not None else simple_rows(), start=2):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
