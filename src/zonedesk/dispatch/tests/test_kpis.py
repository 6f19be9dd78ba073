import datetime as dt
import re
from decimal import Decimal

import pytest

from zonedesk.core.errors import ValidationFailed
from zonedesk.dispatch.metrics import (
    Scope,
    Window,
    carry_forward,
    compute_kpis,
    compute_kpis_by,
    parse_config,
)
from zonedesk.dispatch.rankings import compute_ranking
from zonedesk.dispatch.selectors import plan_vs_actual

OCT = Window.parse("2026-10")


def values(result):
    return {k: v.value for k, v in result.items()}


def test_zone_a_kpis_match_hand_computed_values(dw):
    got = values(compute_kpis(Scope(dw.w.admin, [dw.w.zone_a.pk]), OCT))
    assert got == {
        "signed_count": Decimal("2.00"),
        "signed_amount": Decimal("35000.00"),
        "new_started": Decimal("1.00"),
        "start_rate": Decimal("50.00"),  # 甲 of 甲, 乙
        "start_resume_rate": Decimal("66.67"),  # (1 + 丙 resumed) / (2 + 1)
        "production_rate": Decimal("50.00"),  # 丙 of 甲, 丙
        "funds_rate": Decimal("53.49"),  # (15000 + 0 + 8000) / 43000
        "plan_completion_rate": Decimal("77.89"),  # (10000 + 0 + 4800) / 19000
        "ahead_of_schedule": Decimal("-5.39"),  # 77.8947 − 304/365
        "closure_rate": Decimal("66.67"),  # 2 of 3
        "days_sign_to_start": Decimal("91.00"),
        "days_start_to_production": Decimal("517.00"),
        "overdue_not_started": Decimal("1.00"),
    }


def test_kpis_by_zone_for_the_province(dw):
    by_zone = compute_kpis_by(
        Scope(dw.w.admin), OCT, "zone", keys=["plan_completion_rate", "start_rate", "closure_rate"]
    )
    assert values(by_zone[dw.w.zone_b.pk]) == {
        "plan_completion_rate": Decimal("50.00"),
        "start_rate": Decimal("100.00"),
        "closure_rate": Decimal("0.00"),
    }
    assert by_zone[dw.w.zone_a.pk]["plan_completion_rate"].inputs == {
        "done_ytd_wan": Decimal("14800.00"),
        "plan_year_wan": Decimal("19000.00"),
    }


def test_closure_rate_by_owner_unit(dw):
    by_unit = compute_kpis_by(Scope(dw.w.admin, [dw.w.zone_a.pk]), OCT, "unit", keys=["closure_rate"])
    assert by_unit[dw.w.centre_a.pk]["closure_rate"].value == Decimal("50.00")
    assert by_unit[dw.w.committee_a.pk]["closure_rate"].value == Decimal("100.00")


def test_sibling_zone_officer_sees_only_own_zone(dw):
    got = values(compute_kpis(Scope(dw.w.officer_b), OCT, keys=["signed_count", "signed_amount"]))
    assert got == {"signed_count": Decimal("1.00"), "signed_amount": Decimal("20000.00")}


def test_median_without_rows_has_no_value(dw):
    got = compute_kpis(
        Scope(dw.w.officer_b), Window.parse("2026-01"), keys=["days_sign_to_start", "start_rate"]
    )
    assert got["days_sign_to_start"].value is None
    assert got["start_rate"].value is None  # nothing planned to start: no rate, not an error


def test_config_schema_rejects_unknown_field_with_chinese_message():
    with pytest.raises(ValidationFailed) as exc:
        parse_config(
            {
                "measures": {"x": {"source": "projects", "aggregate": "count", "where": ["nosuch in ytd"]}},
                "kpi": [
                    {
                        "key": "x",
                        "name": "x",
                        "formula": "x",
                        "unit": "个",
                        "direction": "higher",
                        "period": "ytd",
                    }
                ],
            }
        )
    assert exc.value.fields == {"measures.x": ["数据源 projects 没有字段 nosuch"]}


def test_config_schema_rejects_code_in_formula():
    with pytest.raises(ValidationFailed) as exc:
        parse_config(
            {
                "measures": {"x": {"source": "projects", "aggregate": "count"}},
                "kpi": [
                    {
                        "key": "y",
                        "name": "y",
                        "formula": "__import__('os')",
                        "unit": "个",
                        "direction": "higher",
                        "period": "ytd",
                    }
                ],
            }
        )
    assert "公式只能使用" in exc.value.fields["kpi[1]"][0]


def test_window_parse():
    assert (OCT.start.isoformat(), OCT.end.isoformat(), OCT.label) == (
        "2026-10-01",
        "2026-10-31",
        "2026年10月",
    )
    with pytest.raises(ValidationFailed):
        Window.parse("2026-13")


def test_carry_forward_keeps_each_projects_latest_figure_until_it_reports_again():
    D = dt.date
    rows = [  # (period end, report id, project, value)
        (D(2025, 12, 31), 1, 7, Decimal(900)),  # last year's: not this year's cumulative
        (D(2026, 8, 31), 2, 7, Decimal(500)),
        (D(2026, 8, 31), 3, 8, Decimal(100)),
        (D(2026, 9, 30), 5, 8, Decimal(300)),
        (D(2026, 9, 30), 4, 8, Decimal(250)),  # same period, lower id: the later report wins
        (D(2026, 10, 31), 6, 8, Decimal(400)),
    ]
    got = [
        (end, dict(latest))
        for end, latest in carry_forward(
            rows, [D(2026, 10, 31), D(2026, 7, 31), D(2026, 8, 31), D(2026, 9, 30)], since=D(2026, 1, 1)
        )
    ]
    assert got == [
        (D(2026, 7, 31), {}),
        (D(2026, 8, 31), {7: Decimal(500), 8: Decimal(100)}),
        (D(2026, 9, 30), {7: Decimal(500), 8: Decimal(300)}),  # 7 did not report in September: still 500
        (D(2026, 10, 31), {7: Decimal(500), 8: Decimal(400)}),
    ]


def test_a_project_that_skipped_months_keeps_its_cumulative_in_kpis_plans_and_rankings(august_only):
    dw = august_only
    scope = Scope(dw.w.admin, [dw.w.zone_a.pk])
    got = compute_kpis(scope, OCT, keys=["plan_completion_rate", "ahead_of_schedule"])
    assert got["plan_completion_rate"].inputs == {
        "done_ytd_wan": Decimal("15300.00"),
        "plan_year_wan": Decimal("19000.00"),
    }
    assert values(got) == {
        "plan_completion_rate": Decimal("80.53"),  # (10000 + 500 + 4800) / 19000
        "ahead_of_schedule": Decimal("-2.76"),
    }  # 80.5263 − 304/365
    rows = {
        r.project.name: (r.done_ytd_wan, r.completion_pct, r.gap_pct, r.status)
        for r in plan_vs_actual(scope, OCT)
    }
    assert rows["乙项目"] == (Decimal("500.00"), Decimal("25.00"), Decimal("-58.29"), "behind")
    by_unit = compute_kpis_by(scope, OCT, "unit", keys=["plan_completion_rate"])
    assert by_unit[dw.w.centre_a.pk]["plan_completion_rate"].value == Decimal("80.53")
    ranking = compute_ranking(scope, OCT, entity="unit")
    row = next(r for r in ranking if r.entity_id == dw.w.centre_a.pk)
    term = next(t for t in row.terms if t.key == "plan_completion")
    assert (term.input, term.formula) == (Decimal("80.53"), "4 × min(80.53 ÷ 100, 1.2) = 3.22")


def test_dashboard_tile_counts_the_carried_figure(august_only, client):
    from zonedesk.testing.world import PASSWORD

    dw = august_only
    assert client.login(username=dw.w.officer_a.username, password=PASSWORD)
    html = client.get("/dispatch/", {"zone": dw.w.zone_a.pk, "period": "2026-10"}).content.decode()
    assert "80.53" in html and "77.89" not in html


@pytest.fixture
def start_cases(world):
    """Projects on which the KPI's and the ledger's old 超时限未开工 rules disagreed (as of today, the ledger's
    day), and a few on which they agreed."""
    from zonedesk.projects.models import Project

    today = dt.date.today()  # the ledger filter's day
    day = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    cases = {
        "今日应开工": dict(stage="signed", planned_start_date=today),  # the planned day has come
        "开工日期在后": dict(
            stage="started", planned_start_date=day(-10), start_date=day(3)
        ),  # not started by today
        "已开工缺日期": dict(stage="started", planned_start_date=day(-10)),  # the stage says it has started
        "逾期未开工": dict(stage="landed", planned_start_date=day(-10)),
        "明日应开工": dict(stage="signed", planned_start_date=day(1)),
        "已终止": dict(
            stage="signed",
            planned_start_date=day(-10),
            status="terminated",
            status_reason="撤资",
            status_date=day(-5),
        ),
        "按期开工": dict(stage="started", planned_start_date=day(-10), start_date=day(-5)),
    }
    for name, facts in cases.items():
        p = world.project(name=name, pursuing_unit=world.centre_a.pk)
        Project.objects.filter(pk=p.pk).update(**facts)
    return today


def test_overdue_start_kpi_counts_what_its_ledger_link_lists_for_the_same_day(world, start_cases, client):
    from zonedesk.dispatch.selectors import overdue_start
    from zonedesk.testing.world import PASSWORD

    today = start_cases
    scope = Scope(world.officer_a, [world.zone_a.pk])
    up_to_today = Window(today.replace(day=1), today, "本月至今")
    kpi = compute_kpis(scope, up_to_today, keys=["overdue_not_started"])["overdue_not_started"].value
    assert client.login(username=world.officer_a.username, password=PASSWORD)
    html = client.get(
        f"/projects/?zone={world.zone_a.pk}&overdue_start=1"
    ).content.decode()  # the tile's link
    listed = int(re.search(r'<strong id="total-count">(\d+)</strong>', html).group(1))
    assert (kpi, listed) == (Decimal("3.00"), 3)
    expected = ["开工日期在后", "逾期未开工", "今日应开工"]  # the red-flag list: earliest planned start first
    assert [p.name for p in overdue_start(scope, up_to_today)] == expected
    assert all(f">{name}</a>" in html for name in expected)


def test_overdue_start_in_a_running_month_counts_only_what_is_due_by_today(world, start_cases):
    from zonedesk.dispatch.selectors import overdue_start

    today = start_cases
    scope = Scope(world.officer_a, [world.zone_a.pk])

    def counted(window):
        kpi = compute_kpis(scope, window, keys=["overdue_not_started"])["overdue_not_started"].value
        return kpi, [p.name for p in overdue_start(scope, window)]

    # A period that ends in three weeks: 明日应开工 is not late yet, as on the ledger today.
    running = Window(today.replace(day=1), today + dt.timedelta(days=21), "本月")
    assert running.as_of == today
    assert counted(running) == (Decimal("3.00"), ["开工日期在后", "逾期未开工", "今日应开工"])
    # A period that ended yesterday is judged at its end: 今日应开工 was not due yet.
    ended = Window(today - dt.timedelta(days=30), today - dt.timedelta(days=1), "上期")
    assert ended.as_of == today - dt.timedelta(days=1)
    assert counted(ended) == (Decimal("2.00"), ["开工日期在后", "逾期未开工"])


def test_config_rule_must_be_known_and_stand_alone():
    def measure(where):
        with pytest.raises(ValidationFailed) as exc:
            parse_config(
                {
                    "measures": {"x": {"source": "projects", "aggregate": "count", "where": [where]}},
                    "kpi": [
                        {
                            "key": "x",
                            "name": "x",
                            "formula": "x",
                            "unit": "个",
                            "direction": "higher",
                            "period": "ytd",
                        }
                    ],
                }
            )
        return exc.value.fields["measures.x"]

    assert measure("nosuch(period_end)") == ["未知的规则：nosuch（可用：overdue_start）"]
    assert measure("overdue_start(today)") == [
        "规则 overdue_start 的日期应为 period_start、period_end、year_start、as_of 之一：today"
    ]
    assert measure("overdue_start(period_end) or stage = 'signed'") == [
        "规则须单独写成一个条件，不能用 or 与其他条件连接：overdue_start(period_end) or stage = 'signed'"
    ]
