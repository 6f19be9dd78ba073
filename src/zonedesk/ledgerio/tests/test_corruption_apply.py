"""Property: one garbled cell in a valid ledger → the import writes 0 rows and names that row and column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonedesk.enterprises.models import Enterprise
from zonedesk.ledgerio.importer import ImportRefused, apply_import
from zonedesk.ledgerio.models import ImportBatch
from zonedesk.projects.models import Project

from .cells import date_cell, garbage, money
from .workbooks import TITLE, rows_xlsx

HEADER = [
    "序号",
    "项目名称",
    "投资主体",
    "总投资（亿元）",
    "协议投资额（万元）",
    "签约日期",
    "入区时间",
    "协议类型",
    "项目阶段",
    "责任单位",
    "责任人",
    "所属园区",
]
CORRUPTIBLE = {"D": 3, "E": 4, "F": 5, "G": 6, "H": 7, "J": 9, "K": 10, "L": 11}
FIRST_DATA_ROW = 3

project = st.fixed_dictionaries(
    {
        "total": money,
        "amount": money,
        "signed": date_cell,
        "landed": date_cell,
        "stage": st.sampled_from(["已落地", "已签约", "签约", "入区"]),
    }
)


def _ledger(projects):
    rows = [[TITLE], HEADER]
    for n, p in enumerate(projects, start=1):
        rows.append(
            [
                n,
                f"项目{n}",
                f"企业{n}",
                p["total"],
                p["amount"],
                p["signed"],
                p["landed"],
                "正式合同",
                p["stage"],
                "生物医药招商中心",
                "officer_a",
                "生物医药产业园",
            ]
        )
    rows.append(["合计"])
    rows.append(["填报人：张三"])
    return rows


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(projects=st.lists(project, min_size=1, max_size=6), pick=st.data(), junk=garbage)
def test_corrupted_cell_blocks_the_whole_import_and_is_named(world, projects, pick, junk):
    rows = _ledger(projects)
    target = pick.draw(st.integers(min_value=0, max_value=len(projects) - 1))
    letter = pick.draw(st.sampled_from(sorted(CORRUPTIBLE)))
    row_number = FIRST_DATA_ROW + target
    rows[row_number - 1][CORRUPTIBLE[letter]] = junk
    with pytest.raises(ImportRefused) as refused:
        apply_import(rows_xlsx(rows), user=world.officer_a, zone=world.zone_a)
    assert (Project.objects.count(), Enterprise.objects.count(), ImportBatch.objects.count()) == (0, 0, 0)
    assert f"第{row_number}行 {letter}列" in str(refused.value)
    assert "未导入任何数据" in str(refused.value)
