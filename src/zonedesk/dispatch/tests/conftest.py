"""A small dispatch world with hand-checked numbers (window 2026-10; see test_kpis.py for the sums).

Zone A (长治高新区, national), unit 生物医药招商中心:
  甲 signed 2026-03-16 (30000), planned start 05-01, started 06-15, plan 12×1000, Oct cum 10000, funds 15000
  乙 signed 2026-02-01 (5000), planned start 08-01, not started, plan 4×500 (Sep–Dec), no October report
  丙 续建, signed 2025-01-10 (8000), started 2025-05-01, in production 2026-09-30, plan 10×500, Oct 200 / cum 4800, funds 8000
  issues: one closed late, one open and overdue, one closed in time
  Reports are filed at fixed times (Beijing): 甲's September one on 10-09 (deadline 10-10, the 调休 Saturday
  after National Day), the October ones on 11-03 and 11-04 — except 甲's, filed late on 11-05 (deadline 11-04).
Zone B (兴县经开区, provincial):
  丁 signed 2026-04-01 (20000), planned start 07-01, started 09-01, plan 12×500, Oct cum 3000; one open issue
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

D = dt.date
CST = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(*args, tzinfo=CST)


@dataclass
class DispatchWorld:
    w: Any
    p1: Any
    p2: Any
    p3: Any
    p4: Any
    cycle_a: Any
    cycle_b: Any
    oct_a: Any
    oct_b: Any
    issues: list


def _project(w, zone, unit, name, **facts):
    from zonedesk.projects.models import Project

    p = w.project(zone, name=name, pursuing_unit=unit.pk, total_investment_wan=facts.pop("total", None))
    Project.objects.filter(pk=p.pk).update(**facts)
    p.refresh_from_db()
    return p


@pytest.fixture
def dw(world):
    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch import services as s

    w = world
    p1 = _project(
        w,
        w.zone_a,
        w.centre_a,
        "甲项目",
        total=Decimal(30000),
        stage="started",
        first_signed_date=D(2026, 3, 16),
        agreement_date=D(2026, 3, 16),
        agreement_amount_wan=Decimal(30000),
        counted_investment_wan=Decimal(30000),
        planned_start_date=D(2026, 5, 1),
        start_date=D(2026, 6, 15),
    )
    p2 = _project(
        w,
        w.zone_a,
        w.centre_a,
        "乙项目",
        total=Decimal(5000),
        stage="signed",
        first_signed_date=D(2026, 2, 1),
        agreement_date=D(2026, 2, 1),
        agreement_amount_wan=Decimal(5000),
        counted_investment_wan=Decimal(5000),
        planned_start_date=D(2026, 8, 1),
    )
    p3 = _project(
        w,
        w.zone_a,
        w.centre_a,
        "丙项目",
        total=Decimal(8000),
        stage="in_production",
        project_type="continuing",
        first_signed_date=D(2025, 1, 10),
        agreement_date=D(2025, 1, 10),
        agreement_amount_wan=Decimal(8000),
        counted_investment_wan=Decimal(8000),
        planned_start_date=D(2025, 4, 1),
        start_date=D(2025, 5, 1),
        production_date=D(2026, 9, 30),
    )
    p4 = _project(
        w,
        w.zone_b,
        w.centre_b,
        "丁项目",
        total=Decimal(20000),
        stage="started",
        first_signed_date=D(2026, 4, 1),
        agreement_date=D(2026, 4, 1),
        agreement_amount_wan=Decimal(20000),
        counted_investment_wan=Decimal(20000),
        planned_start_date=D(2026, 7, 1),
        start_date=D(2026, 9, 1),
    )
    with acting_as(w.admin, source="test"):
        s.plan_set(user=w.admin, project=p1, year=2026, months=dict.fromkeys(range(1, 13), 1000))
        s.plan_set(user=w.admin, project=p2, year=2026, months=dict.fromkeys(range(9, 13), 500))
        s.plan_set(user=w.admin, project=p3, year=2026, months=dict.fromkeys(range(1, 11), 500))
        s.plan_set(user=w.admin, project=p4, year=2026, months=dict.fromkeys(range(1, 13), 500))
        cycle_a = s.cycle_create(
            user=w.admin,
            zone=w.zone_a,
            name="高新区月调度",
            frequency="monthly",
            deadline_workdays=3,
            units=[w.centre_a],
        )
        cycle_b = s.cycle_create(
            user=w.admin,
            zone=w.zone_b,
            name="兴县月调度",
            frequency="monthly",
            deadline_workdays=3,
            units=[w.centre_b],
        )
        sep_a = s.period_open(user=w.admin, cycle=cycle_a, day=D(2026, 9, 1))
        oct_a = s.period_open(user=w.admin, cycle=cycle_a, day=D(2026, 10, 1))
        oct_b = s.period_open(user=w.admin, cycle=cycle_b, day=D(2026, 10, 1))
        s.report_submit(
            user=w.admin,
            period=sep_a,
            project=p1,
            at=at(2026, 10, 9, 10),
            data={
                "investment_period_wan": 1000,
                "investment_cumulative_wan": 8500,
                "funds_in_place_wan": 14000,
            },
        )
        s.report_submit(
            user=w.admin,
            period=oct_a,
            project=p1,
            at=at(2026, 11, 5, 9),
            data={
                "investment_period_wan": 1500,
                "investment_cumulative_wan": 10000,
                "funds_in_place_wan": 15000,
                "physical_progress": "主体结构完成80%",
                "problems": "电力接入待协调",
                "next_steps": "11月完成封顶",
            },
        )
        s.report_submit(
            user=w.admin,
            period=oct_a,
            project=p3,
            at=at(2026, 11, 3, 10),
            data={
                "investment_period_wan": 200,
                "investment_cumulative_wan": 4800,
                "funds_in_place_wan": 8000,
                "physical_progress": "二期设备安装",
            },
        )
        s.report_submit(
            user=w.admin,
            period=oct_b,
            project=p4,
            at=at(2026, 11, 4, 16),
            data={
                "investment_period_wan": 600,
                "investment_cumulative_wan": 3000,
                "funds_in_place_wan": 9000,
            },
        )
        i1 = s.issue_create(
            user=w.admin,
            data={
                "project": p1.pk,
                "title": "甲项目电力接入",
                "issue_type": "utilities",
                "raised_on": D(2026, 3, 1),
                "raised_by": "甲公司",
                "owner_unit": w.centre_a.pk,
                "leader_name": "张副主任",
                "deadline": D(2026, 3, 31),
                "resolution": "已接入",
                "closed_on": D(2026, 4, 1),
            },
        )
        i2 = s.issue_create(
            user=w.admin,
            data={
                "project": p2.pk,
                "title": "乙项目用地指标",
                "issue_type": "land_use",
                "raised_on": D(2026, 9, 1),
                "raised_by": "乙公司",
                "owner_unit": w.centre_a.pk,
                "deadline": D(2026, 9, 30),
            },
        )
        i3 = s.issue_create(
            user=w.admin,
            data={
                "project": p1.pk,
                "title": "甲项目环评批复",
                "issue_type": "environment",
                "raised_on": D(2026, 10, 10),
                "raised_by": "甲公司",
                "owner_unit": w.committee_a.pk,
                "deadline": D(2026, 10, 31),
                "resolution": "已批复",
                "closed_on": D(2026, 10, 20),
            },
        )
        i4 = s.issue_create(
            user=w.admin,
            data={
                "project": p4.pk,
                "title": "丁项目融资对接",
                "issue_type": "financing",
                "raised_on": D(2026, 10, 5),
                "raised_by": "丁公司",
                "owner_unit": w.centre_b.pk,
                "deadline": D(2026, 11, 30),
            },
        )
        s.meeting_create(
            user=w.admin,
            zone=w.zone_a,
            title="10月项目调度会",
            held_on=D(2026, 10, 28),
            chair="李主任",
            decisions="加快乙项目用地报批",
            items=[(i2, "规划分局11月10日前完成组卷")],
        )
    return DispatchWorld(w, p1, p2, p3, p4, cycle_a, cycle_b, oct_a, oct_b, [i1, i2, i3, i4])


@pytest.fixture
def august_only(dw):
    """乙 reports 500 cumulative for August and nothing for September or October."""
    from zonedesk.core.audit import acting_as
    from zonedesk.dispatch import services as s

    with acting_as(dw.w.admin, source="test"):
        august = s.period_open(user=dw.w.admin, cycle=dw.cycle_a, day=dt.date(2026, 8, 1))
        s.report_submit(
            user=dw.w.admin,
            period=august,
            project=dw.p2,
            at=at(2026, 9, 2, 10),
            data={"investment_period_wan": 500, "investment_cumulative_wan": 500},
        )
    return dw
