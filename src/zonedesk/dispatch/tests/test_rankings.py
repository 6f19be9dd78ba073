import tomllib
from decimal import Decimal

import pytest

from zonedesk.core.errors import ValidationFailed
from zonedesk.dispatch.metrics import Scope, Window, get_config
from zonedesk.dispatch.rankings import compute_ranking, parse_scheme, red_black
from zonedesk.dispatch.selectors import plan_status, plan_vs_actual

OCT = Window.parse("2026-10")
SCHEME = """
[scheme]
name = "测试排名"
entity = "zone"
separate_by = "none"
[tiers.all]
name = "全部项目"
[[terms]]
kpi = "plan_completion_rate"
weight = 4
benchmark = 100
cap = 1.2
[[terms]]
kpi = "start_rate"
weight = 2
benchmark = 100
[[terms]]
kpi = "closure_rate"
weight = 2
benchmark = 100
[[deductions]]
kpi = "overdue_not_started"
per = 0.1
[[grades]]
grade = "A"
upto_pct = 25
[[grades]]
grade = "B"
upto_pct = 70
[[grades]]
grade = "C"
upto_pct = 95
[[grades]]
grade = "D"
upto_pct = 100
"""


def test_ranking_scores_order_grades_and_explanations(dw):
    scheme = parse_scheme(tomllib.loads(SCHEME), get_config())
    rows = compute_ranking(Scope(dw.w.admin), OCT, scheme=scheme)
    assert [(r.name, r.score, r.rank, r.grade) for r in rows] == [
        ("长治高新区", Decimal("5.35"), 1, "A"),  # 3.1156 + 1.0 + 1.3334 − 0.1
        ("兴县经开区", Decimal("4.00"), 2, "C"),  # 2.0 + 2.0 + 0 − 0
    ]
    a = rows[0]
    assert [(t.name, t.input, t.formula, t.contribution) for t in a.terms] == [
        ("年度计划投资完成率", Decimal("77.89"), "4 × min(77.89 ÷ 100, 1.2) = 3.12", Decimal("3.1156")),
        ("开工率", Decimal("50.00"), "2 × min(50 ÷ 100, 1) = 1", Decimal("1.0000")),
        ("办结率", Decimal("66.67"), "2 × min(66.67 ÷ 100, 1) = 1.33", Decimal("1.3334")),
        ("扣分：超时限未开工项目数", Decimal("1.00"), "−0.1 × 1 = -0.1", Decimal("-0.1000")),
    ]
    red, black = red_black(rows, 3)
    assert [r.name for r in red] == ["长治高新区"] and [r.name for r in black] == ["兴县经开区"]


def test_default_scheme_ranks_zones_within_their_level(dw):
    rows = compute_ranking(Scope(dw.w.admin), OCT)
    assert [(r.group, r.name, r.rank) for r in rows] == [
        ("国家级", "长治高新区", 1),
        ("省级", "兴县经开区", 1),
    ]


def test_scheme_schema_errors_are_chinese():
    with pytest.raises(ValidationFailed) as exc:
        parse_scheme(
            {
                "terms": [{"kpi": "nosuch", "weight": 1, "benchmark": 1}],
                "grades": [{"grade": "A", "upto_pct": 100}],
            },
            get_config(),
        )
    assert exc.value.fields == {"terms[1]": ["未定义的指标：nosuch"]}


def test_plan_status_ahead_normal_behind(dw):
    rows = {
        r.project.name: (r.completion_pct, r.gap_pct, r.status_label)
        for r in plan_vs_actual(Scope(dw.w.admin), OCT)
    }
    assert rows == {
        "甲项目": (Decimal("83.33"), Decimal("0.05"), "正常"),
        "乙项目": (Decimal("0.00"), Decimal("-83.29"), "滞后"),
        "丙项目": (Decimal("96.00"), Decimal("12.71"), "超前"),
        "丁项目": (Decimal("50.00"), Decimal("-33.29"), "滞后"),
    }
    assert plan_status(None, Decimal(50))[1] == "no_plan"
