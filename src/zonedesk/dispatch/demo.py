"""Demo dispatch data: monthly cycles, annual plans, a year of reports (some units missing the last
period), coordination issues and a dispatch meeting per zone.

Written in bulk for province-scale demos (like the demo loader's generated projects); run it inside
the loader's ``acting_as`` job context. Seeded by ``rng``, so the same seed gives the same demo."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zonedesk.access.models import OrgUnit, User
from zonedesk.core.audit import current_actor
from zonedesk.geo.selectors import zone_short_name

from . import calendar as workcal
from .choices import Frequency, IssueType, PeriodState
from .models import (
    DEFAULT_REPORTING_STAGES,
    AnnualPlan,
    CoordinationIssue,
    Meeting,
    MeetingItem,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
)
from .periods import period_bounds

PLAN_STAGES = ("landed", "land_supplied", "started", "in_production")
PROBLEMS = ["施工用电接入滞后", "用地报批手续未完成", "环评批复待出具", "融资到位慢", "用工紧张", ""]
PROGRESS = ["场地平整完成", "主体结构施工中", "厂房封顶", "设备安装调试", "试生产准备"]
TITLES = {
    "demolition": "征拆遗留问题",
    "land_use": "用地指标",
    "planning": "规划调整",
    "energy": "能耗指标",
    "environment": "环评审批",
    "financing": "融资对接",
    "approval": "审批手续",
    "utilities": "水电气热接入",
    "labour": "用工招聘",
    "other": "其他诉求",
}


@dataclass
class DispatchDemoResult:
    cycles: int = 0
    periods: int = 0
    plans: int = 0
    reports: int = 0
    issues: int = 0
    meetings: int = 0


def _q(x: float) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def build_dispatch_demo(
    zones: Iterable[Any],
    projects: Any = None,
    rng: random.Random | None = None,
    *,
    today: dt.date | None = None,
    batch: int = 5000,
) -> DispatchDemoResult:
    """Dispatch demo data for ``zones``' projects (``projects``: a Project queryset, default all of
    those zones'). Periods run from January to the month before ``today``; all but the last are closed."""
    from zonedesk.projects.models import Project

    rng = rng or random.Random(20261121)
    today = today or workcal.local_day()
    zones = list(zones)
    actor = current_actor()
    user = actor.user if actor else None
    now = timezone.now()
    # Reports are filed around their deadline, never after the demo's "today" (17:00 local time).
    filed_by = timezone.make_aware(dt.datetime.combine(today, dt.time(17)))

    def filed_at(period: ReportingPeriod, draw: float) -> dt.datetime:
        """One draw decides it: one report in twenty 1–5 days after the deadline, the rest 0–3 days before
        (one draw, as before, so the demo's other figures stay the same)."""
        days = 1 + int(draw * 100) if draw < 0.05 else -(int(draw * 1000) % 4)
        hour = 9 + int(draw * 10000) % 8
        day = period.deadline + dt.timedelta(days=days)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        return min(at, filed_by)

    result = DispatchDemoResult()
    year = today.year
    last_month = today.month - 1 if today.month > 1 else 1
    projects = projects if projects is not None else Project.objects.filter(zone__in=zones)

    with transaction.atomic():
        for zone in zones:
            units = list(OrgUnit.objects.filter(zone=zone).exclude(kind="zone_committee"))
            cycle = ReportingCycle(
                zone=zone,
                name=f"{zone_short_name(zone)}重点项目月调度",
                frequency=Frequency.MONTHLY,
                deadline_workdays=3,
                created_by=user,
            )
            cycle.save()
            cycle.units.set(units)
            # The zone committee's officers dispatch (they receive the reminders of missing reports).
            if zone.committee_id:
                cycle.dispatchers.set(User.objects.filter(unit_id=zone.committee_id, is_active=True))
            result.cycles += 1
            periods = []
            for month in range(1, last_month + 1):
                start, end, label = period_bounds(Frequency.MONTHLY, dt.date(year, month, 1))
                closed = month < last_month
                periods.append(
                    ReportingPeriod(
                        cycle=cycle,
                        zone=zone,
                        frequency=Frequency.MONTHLY,
                        label=label,
                        start=start,
                        end=end,
                        deadline=workcal.nth_workday_after(end, 3),
                        state=PeriodState.CLOSED if closed else PeriodState.OPEN,
                        closed_at=now if closed else None,
                        created_by=user,
                    )
                )
            ReportingPeriod.objects.bulk_create(periods)
            result.periods += len(periods)
        period_map = {
            (p.zone_id, p.end.month): p
            for p in ReportingPeriod.objects.filter(zone__in=zones, start__year=year)
        }

        rows = (
            projects.filter(stage__in=set(PLAN_STAGES) | set(DEFAULT_REPORTING_STAGES))
            .exclude(status="terminated")
            .values_list("pk", "zone_id", "pursuing_unit_id", "stage", "total_investment_wan")
        )
        plans: list[AnnualPlan] = []
        reports: list[ProgressReport] = []

        def flush(force: bool = False) -> None:
            if plans and (force or len(plans) >= batch):
                AnnualPlan.objects.bulk_create(plans)
                result.plans += len(plans)
                plans.clear()
            if reports and (force or len(reports) >= batch):
                ProgressReport.objects.bulk_create(reports)
                result.reports += len(reports)
                reports.clear()

        for pk, zone_id, unit_id, stage, total in rows.iterator(chunk_size=batch):
            has_plan = stage in PLAN_STAGES and total
            monthly = float(total) * rng.uniform(0.15, 0.45) / 12 if has_plan else 0.0
            if has_plan:
                plans.extend(
                    AnnualPlan(
                        project_id=pk,
                        zone_id=zone_id,
                        year=year,
                        month=m,
                        amount_wan=_q(monthly),
                        created_by=user,
                    )
                    for m in range(1, 13)
                )
            if stage not in DEFAULT_REPORTING_STAGES and not has_plan:
                continue
            pace = rng.uniform(0.55, 1.25)  # how this project keeps to its plan
            cumulative = 0.0
            for month in range(1, last_month + 1):
                period = period_map.get((zone_id, month))
                if period is None:
                    continue
                # Most units report; some miss the current period, which the dashboard then lists.
                if rng.random() > (0.97 if month < last_month else 0.82):
                    continue
                amount = max(monthly * pace * rng.uniform(0.6, 1.4), 0.0) if has_plan else rng.uniform(0, 200)
                cumulative += amount
                progress, problem = rng.choice(PROGRESS), rng.choice(PROBLEMS)
                filed = filed_at(period, rng.random())  # drawn after the texts, as before
                reports.append(
                    ProgressReport(
                        period=period,
                        project_id=pk,
                        zone_id=zone_id,
                        unit_id=unit_id,
                        investment_period_wan=_q(amount),
                        investment_cumulative_wan=_q(cumulative),
                        funds_in_place_wan=_q(float(total or 0) * min(1.0, 0.3 + 0.06 * month * pace))
                        if total
                        else None,
                        physical_progress=progress,
                        problems=problem,
                        next_steps="按计划推进",
                        submitted_by=user,
                        submitted_at=filed,
                        created_by=user,
                        is_late=period.is_late_at(filed),
                    )
                )
            flush()
        flush(force=True)

        # Coordination issues for about one project in twenty, a dispatch meeting per zone.
        types = IssueType.values
        issue_rows = []
        sample = list(
            projects.exclude(status="terminated").values_list("pk", "zone_id", "pursuing_unit_id", "name")
        )
        committee = dict(
            OrgUnit.objects.filter(kind="zone_committee", zone__in=zones).values_list("zone_id", "pk")
        )
        for pk, zone_id, unit_id, name in sample:
            if rng.random() > 0.05:
                continue
            kind = rng.choice(types)
            raised = dt.date(year, rng.randint(1, last_month), rng.randint(1, 28))
            deadline = raised + dt.timedelta(days=rng.choice([15, 30, 60]))
            closed = raised + dt.timedelta(days=rng.randint(5, 75)) if rng.random() < 0.65 else None
            if closed and closed > today:
                closed = None
            owner = unit_id or committee.get(zone_id)
            if owner is None:
                continue
            issue_rows.append(
                CoordinationIssue(
                    zone_id=zone_id,
                    project_id=pk,
                    title=f"{name[:20]}{TITLES[kind]}",
                    issue_type=kind,
                    raised_on=raised,
                    raised_by="项目单位",
                    owner_unit_id=owner,
                    leader_name=rng.choice(["王主任", "李副主任", "赵局长"]),
                    deadline=deadline,
                    actions="专班对接、每周调度",
                    resolution="已协调解决" if closed else "",
                    closed_on=closed,
                    created_by=user,
                )
            )
        CoordinationIssue.objects.bulk_create(issue_rows, batch_size=batch)
        result.issues = len(issue_rows)
        for zone in zones:
            open_issues = list(CoordinationIssue.objects.filter(zone=zone, closed_on__isnull=True)[:3])
            meeting = Meeting(
                zone=zone,
                title=f"{last_month}月重点项目调度会",
                held_on=dt.date(year, last_month, 25),
                chair="管委会主任",
                attendees="各招商中心、园区服务中心、规划分局",
                decisions="对滞后项目逐一明确责任人和完成时限",
                created_by=user,
            )
            meeting.save()
            MeetingItem.objects.bulk_create(
                [
                    MeetingItem(meeting=meeting, issue=i, decision="责任单位两周内办结并报告")
                    for i in open_issues
                ]
            )
            result.meetings += 1
    return result
