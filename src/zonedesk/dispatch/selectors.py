"""Reads of dispatch records. Every one starts from the gate: ``restrict(user, action, Model)``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project
from zonedesk.projects.selectors import overdue_start_q

from .choices import PlanStatus
from .metrics import Scope, Window, base_queryset, derived_values
from .models import (
    AnnualPlan,
    CoordinationIssue,
    Correction,
    Meeting,
    MissingReportNotice,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
)

CENT = Decimal("0.01")
# 超前 / 滞后 when completion is this many percentage points ahead of / behind the time schedule.
AHEAD_ABOVE = Decimal("5")
BEHIND_BELOW = Decimal("-5")


@dataclass(frozen=True, slots=True)
class ProjectRef:
    """A project as dispatch lists show it (name, zone, unit, stage, dates). Those lists run to thousands
    of rows, so they are read as values, not model instances (five times cheaper on a city's data)."""

    pk: int
    name: str
    zone_id: int
    stage: str
    status: str
    pursuing_unit_id: int | None
    zone: Zone | None = None
    pursuing_unit: OrgUnit | None = None
    planned_start_date: dt.date | None = None
    start_date: dt.date | None = None

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.name


REF_FIELDS = (
    "pk",
    "name",
    "zone_id",
    "stage",
    "status",
    "pursuing_unit_id",
    "planned_start_date",
    "start_date",
)
FEW_IDS = 500


def _by_pk(model: type, ids: set[int], through: QuerySet, field: str) -> dict[int, Any]:
    """Rows of ``model`` by id, for the related ids of ``through`` (a restricted query): what select_related
    would load, once per row instead of once per project."""
    if not ids:
        return {}
    qs = (
        model.objects.filter(pk__in=ids)
        if len(ids) <= FEW_IDS
        else model.objects.filter(pk__in=through.values(field))
    )
    return {obj.pk: obj for obj in qs}


def project_refs(qs: QuerySet) -> list[ProjectRef]:
    """The projects of ``qs`` (a restricted query, in its order) as ProjectRefs with their zone and unit."""
    rows = list(qs.values_list(*REF_FIELDS))
    zones = _by_pk(Zone, {r[2] for r in rows}, qs, "zone_id")
    units = _by_pk(OrgUnit, {r[5] for r in rows if r[5] is not None}, qs, "pursuing_unit_id")
    return [
        ProjectRef(
            pk,
            name,
            zone_id,
            stage,
            status,
            unit_id,
            zones.get(zone_id),
            units.get(unit_id),
            planned,
            started,
        )
        for pk, name, zone_id, stage, status, unit_id, planned, started in rows
    ]


def _get(qs: QuerySet, pk: Any, message: str) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(message) from None


def zones_in_reach(user: Any) -> QuerySet[Zone]:
    return restrict(user, "view", Zone).select_related("committee")


def cycle_list(user: Any, zone_id: int | None = None) -> QuerySet[ReportingCycle]:
    qs = restrict(user, "view", ReportingCycle).select_related("zone")
    return qs.filter(zone_id=zone_id) if zone_id else qs


def period_list(user: Any, zone_id: int | None = None) -> QuerySet[ReportingPeriod]:
    qs = restrict(user, "view", ReportingPeriod).select_related("cycle", "zone")
    return qs.filter(zone_id=zone_id) if zone_id else qs


def cycle_get(user: Any, pk: Any, action: str = "view") -> ReportingCycle:
    return _get(
        restrict(user, action, ReportingCycle).select_related("zone"), pk, gettext_lazy("未找到该调度周期")
    )


def recent_periods(user: Any, cycle_ids: list[int], per_cycle: int = 3) -> dict[int, list[ReportingPeriod]]:
    """The latest periods of each cycle (for the cycles page), in one query."""
    out: dict[int, list[ReportingPeriod]] = {}
    for period in (
        restrict(user, "view", ReportingPeriod).filter(cycle_id__in=cycle_ids).order_by("cycle_id", "-end")
    ):
        rows = out.setdefault(period.cycle_id, [])
        if len(rows) < per_cycle:
            rows.append(period)
    return out


def period_get(user: Any, pk: Any, action: str = "view") -> ReportingPeriod:
    return _get(
        restrict(user, action, ReportingPeriod).select_related("cycle", "zone"),
        pk,
        gettext_lazy("未找到该期次"),
    )


def report_get(user: Any, pk: Any, action: str = "view") -> ProgressReport:
    return _get(
        restrict(user, action, ProgressReport).select_related(
            "period__cycle", "project", "unit", "zone", "submitted_by"
        ),
        pk,
        gettext_lazy("未找到该报告"),
    )


def report_fields(report: ProgressReport) -> list[tuple[str, str, Any]]:
    """(field, label, value) of what a unit reports, in the form's order."""
    from .services import REPORT_FIELDS

    return [(name, label, getattr(report, name)) for name, label in REPORT_FIELDS.items()]


def correction_list(user: Any, report: ProgressReport) -> list[Correction]:
    """A report's corrections, oldest first: each with the value before it (the original stays here)."""
    return list(
        restrict(user, "view", Correction)
        .filter(report=report)
        .select_related("corrected_by")
        .order_by("created_at", "id")
    )


def my_notices(user: Any, limit: int = 10) -> list[MissingReportNotice]:
    """The reminders addressed to ``user`` not yet marked read, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        restrict(user, "view", MissingReportNotice)
        .filter(recipient=user, read_at__isnull=True)
        .select_related("period", "zone")[:limit]
    )


def notice_get(user: Any, pk: Any) -> MissingReportNotice:
    """A reminder addressed to ``user`` (anyone else's answers 404)."""
    return _get(
        restrict(user, "change", MissingReportNotice).filter(recipient=user), pk, gettext_lazy("未找到该提醒")
    )


def issue_get(user: Any, pk: Any, action: str = "view", *, as_of: dt.date | None = None) -> CoordinationIssue:
    """One issue (404 outside the reach); with ``as_of``, carrying ``is_overdue`` on that day."""
    qs = restrict(user, action, CoordinationIssue).select_related("project", "owner_unit", "zone")
    return _get(
        with_overdue_flag(qs, as_of) if as_of is not None else qs, pk, gettext_lazy("未找到该协调事项")
    )


# ---------------------------------------------------------------------------- who has reported
@dataclass(frozen=True)
class ReportDuty:
    """须报送: the projects that owe a report for a period — in its zone, at one of its cycle's reporting
    stages, not terminated, and pursued by one of the cycle's reporting units when it names any. The one
    rule behind the period page's project list and every "who has (not) reported" count, written once
    as a query (``q``) and, beside it, as the same test on a row already read (``covers``)."""

    zone_id: int
    stages: frozenset[str]
    unit_ids: frozenset[int]

    @classmethod
    def of(cls, period: ReportingPeriod, unit_ids: Any) -> ReportDuty:
        return cls(period.zone_id, frozenset(period.cycle.reporting_stages), frozenset(unit_ids))

    def q(self) -> Q:
        q = Q(zone_id=self.zone_id, stage__in=sorted(self.stages)) & ~Q(status="terminated")
        return q & Q(pursuing_unit_id__in=sorted(self.unit_ids)) if self.unit_ids else q

    def covers(self, p: ProjectRef) -> bool:
        return (
            p.zone_id == self.zone_id
            and p.stage in self.stages
            and p.status != "terminated"
            and (not self.unit_ids or p.pursuing_unit_id in self.unit_ids)
        )


def expected_projects(user: Any, period: ReportingPeriod) -> QuerySet[Project]:
    """Projects that owe a report for ``period`` (``ReportDuty``)."""
    duty = ReportDuty.of(period, period.cycle.units.values_list("pk", flat=True))
    return restrict(user, "view", Project).filter(duty.q())


@dataclass
class UnitReporting:
    unit: OrgUnit | None
    expected: int = 0
    reported: int = 0
    late: int = 0
    missing: list[ProjectRef] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def reporting_status(user: Any, period: ReportingPeriod) -> list[UnitReporting]:
    """Per reporting unit: how many projects owe a report, how many came in (and late), who is missing."""
    return reporting_status_many(user, [period])[period.pk]


def reporting_status_many(user: Any, periods: list[ReportingPeriod]) -> dict[int, list[UnitReporting]]:
    """``reporting_status`` for many periods at once: three queries in all (the cycles' units, the projects
    owing in any of the periods (``ReportDuty``), the reports of every period), whatever the number of
    periods (plus the projects' zones and units, as ``project_refs`` reads them)."""
    periods = list(periods)
    if not periods:
        return {}
    cycle_ids = {p.cycle_id for p in periods}
    cycle_units: dict[int, list[OrgUnit]] = {c: [] for c in cycle_ids}
    through = ReportingCycle.units.through
    for row in (
        through.objects.filter(reportingcycle_id__in=cycle_ids).select_related("orgunit").order_by("pk")
    ):
        cycle_units[row.reportingcycle_id].append(row.orgunit)
    duties = {p.pk: ReportDuty.of(p, [u.pk for u in cycle_units[p.cycle_id]]) for p in periods}
    anywhere = Q()
    for duty in dict.fromkeys(duties.values()):
        anywhere |= duty.q()
    by_zone: dict[int, list[ProjectRef]] = defaultdict(list)
    for proj in project_refs(
        restrict(user, "view", Project).filter(anywhere).order_by("pursuing_unit_id", "name")
    ):
        by_zone[proj.zone_id].append(proj)
    reported: dict[int, dict[int, bool]] = {p.pk: {} for p in periods}
    for period_id, project_id, is_late in (
        restrict(user, "view", ProgressReport)
        .filter(period_id__in=reported)
        .values_list("period_id", "project_id", "is_late")
    ):
        reported[period_id][project_id] = is_late
    out = {}
    for period in periods:
        units: dict[Any, UnitReporting] = {u.pk: UnitReporting(u) for u in cycle_units[period.cycle_id]}
        done = reported[period.pk]
        duty = duties[period.pk]
        for p in filter(duty.covers, by_zone[period.zone_id]):
            row = units.setdefault(p.pursuing_unit_id, UnitReporting(p.pursuing_unit))
            row.expected += 1
            if p.pk in done:
                row.reported += 1
                row.late += 1 if done[p.pk] else 0
            else:
                row.missing.append(p)
        out[period.pk] = sorted(units.values(), key=lambda r: (r.complete, r.unit.name if r.unit else ""))
    return out


def periods_for_window(
    user: Any, zone_ids: list[int] | None, window: Window, frequency: str = "monthly"
) -> QuerySet:
    qs = restrict(user, "view", ReportingPeriod).filter(
        frequency=frequency, end__gte=window.start, end__lte=window.end
    )
    return qs.filter(zone_id__in=zone_ids) if zone_ids is not None else qs


def missing_reports(
    user: Any,
    zone_ids: list[int] | None,
    window: Window,
    *,
    overdue_at: dt.datetime | dt.date | None = None,
) -> list[tuple[ReportingPeriod, UnitReporting]]:
    """Every unit with a missing report in the window's monthly periods. With ``overdue_at``, only the
    periods whose deadline has passed by then (the bulletin's "未按时报送" list: before its deadline a
    unit is not late yet)."""
    periods = list(periods_for_window(user, zone_ids, window).select_related("cycle", "zone"))
    if overdue_at is not None:
        periods = [p for p in periods if p.is_late_at(overdue_at)]
    status = reporting_status_many(user, periods)
    return [(period, row) for period in periods for row in status[period.pk] if row.missing]


# ---------------------------------------------------------------------------- plan vs actual
@dataclass
class PlanRow:
    project: ProjectRef
    plan_year_wan: Decimal
    done_ytd_wan: Decimal
    completion_pct: Decimal | None
    gap_pct: Decimal | None  # 超过时间进度 (percentage points; negative = behind)
    status: str

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label


def plan_status(completion_pct: Decimal | None, elapsed_pct: Decimal) -> tuple[Decimal | None, str]:
    """(gap in percentage points, 超前/正常/滞后) from completion against the elapsed share of the year."""
    if completion_pct is None:
        return None, PlanStatus.NO_PLAN
    gap = (completion_pct - elapsed_pct).quantize(CENT, rounding=ROUND_HALF_UP)
    if gap > AHEAD_ABOVE:
        return gap, PlanStatus.AHEAD
    if gap < BEHIND_BELOW:
        return gap, PlanStatus.BEHIND
    return gap, PlanStatus.NORMAL


def plan_vs_actual(scope: Scope, window: Window, *, only_with_plan: bool = True) -> list[PlanRow]:
    """Each project with this year's plan: completed to date, completion rate and status."""
    derived = derived_values(scope, window, ("plan_year_wan", "ytd_done_wan"))
    plans, done_by_project = derived["plan_year_wan"], derived["ytd_done_wan"]
    qs = base_queryset("projects", scope)
    if only_with_plan:
        # Months are never negative, so a plan above 0 has a month above 0: a superset, checked exactly below.
        months = restrict(scope.user, "view", AnnualPlan).filter(year=window.year, amount_wan__gt=0)
        qs = qs.filter(pk__in=months.values("project_id"))
    elapsed = window.elapsed_pct
    rows = []
    for p in project_refs(qs.order_by("zone_id", "name")):
        plan = plans.get(p.pk) or Decimal(0)
        if only_with_plan and not plan > 0:
            continue
        done = done_by_project.get(p.pk) or Decimal(0)
        exact = done * 100 / plan if plan > 0 else None
        gap, status = plan_status(exact, elapsed)  # from the unrounded rate, as the KPI does
        pct = exact.quantize(CENT, rounding=ROUND_HALF_UP) if exact is not None else None
        rows.append(PlanRow(p, plan, done, pct, gap, status))
    return rows


def overdue_start(scope: Scope, window: Window, *, limit: int | None = None) -> list[ProjectRef]:
    """Red flag 超时限未开工 at the period's end, or today while it runs (``Window.as_of``;
    ``projects.selectors.overdue_start_q``, the ledger's filter and the KPI's rule), earliest planned start first."""
    qs = (
        base_queryset("projects", scope)
        .filter(overdue_start_q(window.as_of))
        .order_by("planned_start_date", "name")
    )
    return project_refs(qs[:limit] if limit else qs)


# ---------------------------------------------------------------------------- coordination issues
def overdue_issue_q(as_of: dt.date) -> Q:
    """超期 on ``as_of``: the issue's deadline (办结时限) has passed — the deadline day itself still counts as
    in time — and it was not closed by then. An issue closed after its deadline stays overdue once closed:
    办结率 statistics count late closures against the owner unit. An issue without a deadline is never
    overdue. The one rule for the per-unit 超期 count, the issue lists' 超期 mark and the API's filter."""
    return Q(deadline__lt=as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=F("deadline")))


def with_overdue_flag(qs: QuerySet[CoordinationIssue], as_of: dt.date) -> QuerySet[CoordinationIssue]:
    """``qs`` with ``is_overdue`` on each issue (``overdue_issue_q`` on ``as_of``), computed by the database."""
    return qs.annotate(
        is_overdue=Case(
            When(overdue_issue_q(as_of), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def issue_list(
    scope: Scope,
    *,
    open_only: bool | None = None,
    unit_id: int | None = None,
    as_of: dt.date | None = None,
    overdue_only: bool = False,
) -> QuerySet[CoordinationIssue]:
    """The issues in scope. With ``as_of``, each carries ``is_overdue`` on that day and ``overdue_only``
    keeps just those (``overdue_issue_q``)."""
    qs = base_queryset("issues", scope).select_related("project", "owner_unit", "zone")
    if open_only is True:
        qs = qs.filter(closed_on__isnull=True)
    elif open_only is False:
        qs = qs.filter(closed_on__isnull=False)
    if unit_id:
        qs = qs.filter(owner_unit_id=unit_id)
    if as_of is not None:
        qs = with_overdue_flag(qs, as_of)
        if overdue_only:
            qs = qs.filter(overdue_issue_q(as_of))
    return qs


@dataclass
class UnitIssues:
    unit_id: int
    unit: str
    received: int
    closed: int
    overdue: int

    @property
    def closure_pct(self) -> Decimal | None:
        if not self.received:
            return None
        return (Decimal(self.closed) * 100 / Decimal(self.received)).quantize(CENT, rounding=ROUND_HALF_UP)


def issues_by_unit(scope: Scope, as_of: dt.date) -> list[UnitIssues]:
    """办结率 and overdue count per owner unit, as of a day (one grouped query)."""
    qs = base_queryset("issues", scope).filter(raised_on__lte=as_of)
    rows = (
        qs.order_by()
        .values("owner_unit_id", "owner_unit__name")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=Q(closed_on__lte=as_of)),
            overdue=Count("pk", filter=overdue_issue_q(as_of)),
        )
    )
    return sorted(
        (
            UnitIssues(r["owner_unit_id"], r["owner_unit__name"], r["received"], r["closed"], r["overdue"])
            for r in rows
        ),
        key=lambda u: u.unit,
    )


def meeting_list(user: Any, zone_ids: list[int] | None = None) -> QuerySet[Meeting]:
    qs = restrict(user, "view", Meeting).prefetch_related("items__issue")
    return qs.filter(zone_id__in=zone_ids) if zone_ids is not None else qs
