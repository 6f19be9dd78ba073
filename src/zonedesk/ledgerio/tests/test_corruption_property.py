"""Property: one garbled money or date cell in an otherwise valid ledger is reported exactly there."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonedesk.ledgerio import parse_rows, read_workbook

from .cells import date_cell, garbage, money
from .workbooks import TITLE, rows_xlsx

HEADER = [
    "序号",
    "项目名称",
    "投资主体",
    "总投资（亿元）",
    "协议投资额（万元）",
    "签约日期",
    "开工时间",
    "项目阶段",
    "责任单位",
    "责任人",
]
MONEY_LETTERS = ("D", "E")
DATE_LETTERS = ("F", "G")
LETTER_INDEX = {letter: i for i, letter in enumerate("ABCDEFGHIJ")}
FIRST_DATA_ROW = 3  # title in row 1, header in row 2

project = st.fixed_dictionaries({"total": money, "amount": money, "signed": date_cell, "started": date_cell})


def _ledger(projects: list[dict[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = [[TITLE], HEADER]
    for n, p in enumerate(projects, start=1):
        rows.append(
            [
                n,
                f"项目{n}",
                f"企业{n}",
                p["total"],
                p["amount"],
                p["signed"],
                p["started"],
                "洽谈中",
                "招商局",
                "张三",
            ]
        )
    rows.append(["合计", None, None, None, None])
    rows.append(["填报人：张三"])
    return rows


# database=None: no .hypothesis directory written into the repository root.
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    projects=st.lists(project, min_size=1, max_size=8),
    pick=st.data(),
    junk=garbage,
)
def test_corrupted_cell_is_reported_at_its_row_and_column(projects, pick, junk):
    rows = _ledger(projects)
    clean = parse_rows(read_workbook(rows_xlsx(rows)), defaults={"zone": 1})
    assert [e for e in clean.errors if e.severity == "error"] == []
    assert len(clean.rows) == len(projects)

    target = pick.draw(st.integers(min_value=0, max_value=len(projects) - 1))
    letter = pick.draw(st.sampled_from(MONEY_LETTERS + DATE_LETTERS))
    row_number = FIRST_DATA_ROW + target
    rows[row_number - 1][LETTER_INDEX[letter]] = junk

    result = parse_rows(read_workbook(rows_xlsx(rows)), defaults={"zone": 1})
    errors = [(e.row, e.column_letter) for e in result.errors if e.severity == "error"]
    assert errors == [(row_number, letter)]
    assert any(f"“{junk.strip()}”" in e.message for e in result.errors if e.severity == "error")
