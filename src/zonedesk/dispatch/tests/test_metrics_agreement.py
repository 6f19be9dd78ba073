"""The two evaluators of the KPI rule language (SQL with the derived values in Python, and the pure
Python reference) give the same value for every KPI in kpis.toml, on a realistic data set: projects
in every stage and status, signed over two years, with the demo's plans, reports and issues."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Q

from zonedesk.core.audit import acting_as
from zonedesk.dispatch.demo import build_dispatch_demo
from zonedesk.dispatch.metrics import (
    GROUPINGS,
    Scope,
    Window,
    compute_kpis,
    compute_kpis_by,
    compute_measures,
    compute_measures_in_python,
    get_config,
)
from zonedesk.projects.models import Project

STAGES = (
    "reserve",
    "negotiating",
    "signed",
    "landed",
    "land_supplied",
    "started",
    "in_production",
    "at_capacity",
)
WINDOWS = ("2026-10", "2026-03", "2026-W42", "2026", "2025-12")


@pytest.fixture
def realistic(world):
    rng = random.Random(12)
    units = {world.zone_a.pk: [world.centre_a.pk, None], world.zone_b.pk: [None]}
    officers = [world.officer_a.pk, world.centre_user.pk, None]
    rows = []
    for i in range(160):
        zone = world.zone_a if i % 3 else world.zone_b
        stage = rng.choice(STAGES)
        signed = None
        if stage not in ("reserve", "negotiating") or rng.random() < 0.1:
            signed = dt.date(rng.choice([2025, 2026]), rng.randint(1, 11), rng.randint(1, 28))
        planned = signed + dt.timedelta(days=rng.randint(30, 300)) if signed and rng.random() < 0.9 else None
        started = None
        if stage in ("started", "in_production", "at_capacity") and rng.random() < 0.9:
            started = (planned or dt.date(2026, 5, 1)) + dt.timedelta(days=rng.randint(-40, 80))
        elif planned and rng.random() < 0.1:
            started = planned + dt.timedelta(days=rng.randint(0, 90))  # a date recorded ahead of the stage
        produced = (
            started + dt.timedelta(days=rng.randint(60, 500))
            if stage == "in_production" and started
            else None
        )
        total = Decimal(rng.choice([800, 3000, 8000, 15000, 30000, 60000, 120000]))
        rows.append(
            Project(
                name=f"核对项目{i:03d}",
                zone=zone,
                pursuing_unit_id=rng.choice(units[zone.pk]),
                responsible_officer_id=rng.choice(officers),
                stage=stage,
                status=rng.choice(["normal"] * 6 + ["behind", "paused", "terminated"]),
                project_type=rng.choice(["new", "new", "new", "continuing", "capital_increase"]),
                total_investment_wan=total,
                agreement_amount_wan=total if signed and rng.random() < 0.9 else None,
                agreement_date=signed,
                first_signed_date=signed,
                counted_investment_wan=total if signed else None,
                planned_start_date=planned,
                start_date=started,
                production_date=produced,
                chain_node=rng.choice(["新材料", "新能源", "生物医药", ""]),
            )
        )
    Project.objects.bulk_create(rows)
    with acting_as(None, source="job", label="核对数据"):
        build_dispatch_demo([world.zone_a, world.zone_b], rng=random.Random(3), today=dt.date(2026, 11, 21))
    return world


def _values(result):
    return {k: v.value for k, v in result.items()}


def test_every_measure_has_the_same_value_in_sql_and_in_python(realistic):
    config = get_config()
    measures = list(config.measures.values())
    for period in WINDOWS:
        window = Window.parse(period)
        for scope in (
            Scope(realistic.admin),
            Scope(realistic.officer_a),
            Scope(realistic.admin, [realistic.zone_b.pk], Q(total_investment_wan__gte=10000)),
        ):
            for group_by in (None, *GROUPINGS):
                sql = compute_measures(measures, scope, window, group_by)
                python = compute_measures_in_python(measures, scope, window, group_by)
                assert sql == python, (period, scope.user.username, group_by)


def test_every_kpi_has_the_same_value_through_both_evaluators(realistic):
    from zonedesk.dispatch.metrics import compute_measures_in_python as python

    scope = Scope(realistic.admin)
    for period in WINDOWS:
        window = Window.parse(period)
        sql_kpis = _values(compute_kpis(scope, window))
        assert set(sql_kpis) == set(get_config().kpis)
        assert sql_kpis == _values(compute_kpis(scope, window, engine=python)), period
        for group_by in GROUPINGS:
            by_sql = {g: _values(v) for g, v in compute_kpis_by(scope, window, group_by).items()}
            by_python = {
                g: _values(v) for g, v in compute_kpis_by(scope, window, group_by, engine=python).items()
            }
            assert by_sql == by_python, (period, group_by)


def test_the_data_set_exercises_every_kpi(realistic):
    """The agreement above means something only if the KPIs are not all empty or zero."""
    got = _values(compute_kpis(Scope(realistic.admin), Window.parse("2026-10")))
    assert [k for k, v in got.items() if not v] == []


def test_a_running_window_judges_overdue_start_on_the_same_day_in_both(realistic):
    from zonedesk.dispatch import calendar as workcal

    today = workcal.local_day()
    running = Window(today.replace(day=1), today + dt.timedelta(days=40), "本期")
    keys = ["overdue_not_started"]
    scope = Scope(realistic.admin)
    assert _values(compute_kpis(scope, running, keys=keys)) == _values(
        compute_kpis(scope, running, keys=keys, engine=compute_measures_in_python)
    )
