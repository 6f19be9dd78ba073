"""Dispatch through the JSON API (/api/v1/dispatch/...): periods and who has reported, progress reports,
coordination issues, KPIs, rankings and the bulletin. Reads go through the gate (selectors /
``restrict``); writes through dispatch services inside ``acting_as(source="api")``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from zonedesk.access.scoping import restrict
from zonedesk.core.api import (
    ERRORS,
    CleanText,
    FiniteDecimal,
    PageParams,
    PositiveId,
    SaneDate,
    Strict,
    acting,
    get_or_404,
    paginate,
)
from zonedesk.core.security_record import log_event
from zonedesk.geo.models import Zone

from . import calendar as workcal
from . import selectors, services
from .bulletin import build_bulletin_data, filename, resolve_city
from .bulletin import render as render_bulletin
from .metrics import Scope, Window, compute_kpis
from .models import ProgressReport
from .rankings import compute_ranking

router = Router(tags=["调度与通报"])

Money = Decimal | None


# ---------------------------------------------------------------------------- schemas
class ProjectRef(Schema):
    id: int
    name: str


class UnitReportingOut(Schema):
    unit_id: int | None
    unit: str
    expected: int
    reported: int
    late: int
    missing: list[ProjectRef]


class PeriodOut(Schema):
    id: int
    zone_id: int
    cycle_id: int
    cycle: str
    frequency: str
    label: str
    start: dt.date
    end: dt.date
    deadline: dt.date
    state: str
    expected: int
    reported: int
    missing: int
    units: list[UnitReportingOut]


class ReportIn(Strict):
    project: PositiveId
    investment_period_wan: FiniteDecimal
    investment_cumulative_wan: FiniteDecimal
    funds_in_place_wan: FiniteDecimal | None = None
    physical_progress: str = ""
    problems: str = ""
    next_steps: str = ""


class ReportOut(Schema):
    id: int
    period_id: PositiveId
    project_id: int
    zone_id: int
    unit_id: int | None
    investment_period_wan: Decimal
    investment_cumulative_wan: Decimal
    funds_in_place_wan: Money
    physical_progress: str
    problems: str
    next_steps: str
    submitted_at: dt.datetime
    is_late: bool


class IssueIn(Strict):
    zone: PositiveId | None = None
    project: PositiveId | None = None
    enterprise: PositiveId | None = None
    title: str = Field(..., min_length=1)
    issue_type: str
    description: str = ""
    raised_on: SaneDate
    raised_by: str = Field(..., min_length=1)
    owner_unit: PositiveId
    leader_name: str = ""
    deadline: SaneDate | None = None
    actions: str = ""


class IssueCloseIn(Strict):
    resolution: str = Field(..., min_length=1)
    closed_on: SaneDate


class IssueOut(Schema):
    id: int
    zone_id: int
    project_id: int | None
    project: str | None = None
    title: str
    issue_type: str
    issue_type_label: str
    raised_on: dt.date
    raised_by: str
    owner_unit_id: int
    owner_unit: str
    leader_name: str
    deadline: dt.date | None
    actions: str
    resolution: str
    closed_on: dt.date | None
    is_open: bool
    overdue: bool


class KpiOut(Schema):
    key: str
    name: str
    value: Money
    unit: str
    direction: str
    period: str
    formula: str
    inputs: dict[str, Money]


class KpisOut(Schema):
    period: str
    label: str
    elapsed_pct: Decimal
    zone_ids: list[int] | None
    kpis: list[KpiOut]


class TermOut(Schema):
    key: str
    name: str
    tier: str
    input: Money
    unit: str
    formula: str
    contribution: Decimal


class RankingRowOut(Schema):
    entity_id: int
    name: str
    group: str
    score: Decimal
    rank: int
    grade: str
    explanation: str
    terms: list[TermOut]


class RankingOut(Schema):
    period: str
    entity: str
    rows: list[RankingRowOut]


class ScopeQuery(Schema):
    period: CleanText
    zone: PositiveId | None = None
    city: CleanText | None = None


# ---------------------------------------------------------------------------- helpers
def _scope(request, q: ScopeQuery) -> tuple[Scope, Window, Zone | None, Any]:
    """The reader's scope: one zone they can see (404 otherwise), a city bureau's zones, or all in reach."""
    window = Window.parse(q.period)
    if q.zone is not None:
        zone = get_or_404(restrict(request.user, "view", Zone).select_related("committee"), q.zone)
        return Scope(request.user, [zone.pk]), window, zone, None
    if q.city:
        city, zone_ids = resolve_city(request.user, q.city)
        return Scope(request.user, zone_ids), window, None, city
    return Scope(request.user), window, None, None


def _period_out(period: Any, rows: list[selectors.UnitReporting]) -> dict[str, Any]:
    """A period with its reporting status (``rows``, from ``selectors.reporting_status[_many]``)."""
    units = [
        {
            "unit_id": r.unit.pk if r.unit else None,
            "unit": r.unit.name if r.unit else "",
            "expected": r.expected,
            "reported": r.reported,
            "late": r.late,
            "missing": [{"id": p.pk, "name": p.name} for p in r.missing],
        }
        for r in rows
    ]
    return {
        "id": period.pk,
        "zone_id": period.zone_id,
        "cycle_id": period.cycle_id,
        "cycle": period.cycle.name,
        "frequency": period.frequency,
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "deadline": period.deadline,
        "state": period.state,
        "expected": sum(r.expected for r in rows),
        "reported": sum(r.reported for r in rows),
        "missing": sum(len(r.missing) for r in rows),
        "units": units,
    }


def _issue_out(issue: Any) -> dict[str, Any]:
    """An issue read with its 超期 flag (``selectors.issue_list``/``issue_get`` with ``as_of``)."""
    return {
        "id": issue.pk,
        "zone_id": issue.zone_id,
        "project_id": issue.project_id,
        "project": issue.project.name if issue.project_id else None,
        "title": issue.title,
        "issue_type": issue.issue_type,
        "issue_type_label": str(issue.get_issue_type_display()),
        "raised_on": issue.raised_on,
        "raised_by": issue.raised_by,
        "owner_unit_id": issue.owner_unit_id,
        "owner_unit": issue.owner_unit.name,
        "leader_name": issue.leader_name,
        "deadline": issue.deadline,
        "actions": issue.actions,
        "resolution": issue.resolution,
        "closed_on": issue.closed_on,
        "is_open": issue.closed_on is None,
        "overdue": issue.is_overdue,
    }


# ---------------------------------------------------------------------------- periods and reports
@router.get("/periods", response={200: dict, **ERRORS}, summary="调度期次（已报/未报）")
def list_periods(
    request,
    page: Query[PageParams],
    zone: PositiveId | None = None,
    period: CleanText | None = None,
    state: Literal["open", "closed"] | None = None,
):
    qs = selectors.period_list(request.user, zone).order_by("-end", "zone_id", "cycle_id")
    if period:
        window = Window.parse(period)
        qs = qs.filter(end__gte=window.start, end__lte=window.end)
    if state:
        qs = qs.filter(state=state)
    result = paginate(qs, page)
    status = selectors.reporting_status_many(
        request.user, result["results"]
    )  # one set of queries for the page
    result["results"] = [PeriodOut(**_period_out(p, status[p.pk])).dict() for p in result["results"]]
    return result


@router.get("/periods/{period_id}", response={200: PeriodOut, **ERRORS}, summary="期次详情（已报/未报）")
def get_period(request, period_id: PositiveId):
    period = selectors.period_get(request.user, period_id)
    return _period_out(period, selectors.reporting_status(request.user, period))


@router.get(
    "/periods/{period_id}/reports", response={200: list[ReportOut], **ERRORS}, summary="期次的进度报告"
)
def list_reports(request, period_id: PositiveId):
    period = selectors.period_get(request.user, period_id)
    return list(
        restrict(request.user, "view", ProgressReport).filter(period=period).order_by("project__name", "pk")
    )


@router.post(
    "/periods/{period_id}/reports", response={201: ReportOut, **ERRORS}, summary="报送（或修改）项目进度"
)
def submit_report(request, period_id: PositiveId, payload: ReportIn):
    period = selectors.period_get(request.user, period_id)
    data = payload.dict()
    project = data.pop("project")
    with acting(request):
        report = services.report_submit(user=request.user, period=period, project=project, data=data)
    return Status(201, report)


# ---------------------------------------------------------------------------- coordination issues
@router.get("/issues", response={200: dict, **ERRORS}, summary="协调事项")
def list_issues(
    request,
    page: Query[PageParams],
    zone: PositiveId | None = None,
    unit: PositiveId | None = None,
    state: Literal["open", "closed"] | None = None,
    overdue: bool = False,
):
    zone_ids = [get_or_404(restrict(request.user, "view", Zone), zone).pk] if zone is not None else None
    qs = selectors.issue_list(
        Scope(request.user, zone_ids),
        open_only={"open": True, "closed": False}.get(state or ""),
        unit_id=unit,
        as_of=workcal.local_day(),
        overdue_only=overdue,
    ).order_by("-raised_on", "-pk")
    result = paginate(qs, page)
    result["results"] = [IssueOut(**_issue_out(i)).dict() for i in result["results"]]
    return result


@router.get("/issues/{issue_id}", response={200: IssueOut, **ERRORS}, summary="协调事项详情")
def get_issue(request, issue_id: PositiveId):
    return _issue_out(selectors.issue_get(request.user, issue_id, as_of=workcal.local_day()))


@router.post("/issues", response={201: IssueOut, **ERRORS}, summary="新建协调事项")
def create_issue(request, payload: IssueIn):
    data = {
        k: v for k, v in payload.dict().items() if not (k in ("zone", "project", "enterprise") and v is None)
    }
    with acting(request):
        issue = services.issue_create(user=request.user, data=data)
    return Status(201, _issue_out(selectors.issue_get(request.user, issue.pk, as_of=workcal.local_day())))


@router.post("/issues/{issue_id}/close", response={200: IssueOut, **ERRORS}, summary="办结协调事项")
def close_issue(request, issue_id: PositiveId, payload: IssueCloseIn):
    issue = selectors.issue_get(request.user, issue_id)
    with acting(request):
        services.issue_close(
            user=request.user, issue=issue, resolution=payload.resolution, closed_on=payload.closed_on
        )
    return _issue_out(selectors.issue_get(request.user, issue_id, as_of=workcal.local_day()))


# ---------------------------------------------------------------------------- KPIs, ranking, bulletin
@router.get("/kpis", response={200: KpisOut, **ERRORS}, summary="指标（任一范围、任一期次）")
def kpis(request, q: Query[ScopeQuery]):
    scope, window, _, _ = _scope(request, q)
    values = compute_kpis(scope, window)
    return {
        "period": q.period,
        "label": window.label,
        "elapsed_pct": window.elapsed_pct.quantize(Decimal("0.01")),
        "zone_ids": scope.zone_ids,
        "kpis": [
            {
                "key": k,
                "name": v.kpi.name,
                "value": v.value,
                "unit": v.kpi.unit,
                "direction": v.kpi.direction,
                "period": v.kpi.period,
                "formula": v.kpi.formula,
                "inputs": v.inputs,
            }
            for k, v in values.items()
        ],
    }


@router.get("/ranking", response={200: RankingOut, **ERRORS}, summary="排名（每行附计分说明）")
def ranking(request, q: Query[ScopeQuery], entity: Literal["zone", "unit"] | None = None):
    scope, window, _, _ = _scope(request, q)
    rows = compute_ranking(scope, window, entity=entity)
    return {
        "period": q.period,
        "entity": entity or "",
        "rows": [
            {
                "entity_id": r.entity_id,
                "name": r.name,
                "group": r.group,
                "score": r.score,
                "rank": r.rank,
                "grade": r.grade,
                "explanation": r.explanation(),
                "terms": [t.__dict__ for t in r.terms],
            }
            for r in rows
        ],
    }


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@router.get("/bulletin", response={200: None, **ERRORS}, summary="下载通报（docx 或 pdf）")
def bulletin(request, q: Query[ScopeQuery], format: Literal["docx", "pdf"] = "docx"):
    scope, window, zone, city = _scope(request, q)
    if zone is not None:
        data = build_bulletin_data(request.user, window, zone=zone)
    elif city is not None:
        data = build_bulletin_data(request.user, window, city=city, zone_ids=scope.zone_ids)
    else:
        zone_ids = list(selectors.zones_in_reach(request.user).values_list("pk", flat=True))
        data = build_bulletin_data(request.user, window, zone_ids=zone_ids)
    log_event(
        "bulletin.downloaded", user=request.user, request=request, file=filename(data, format), via="api"
    )
    response = HttpResponse(render_bulletin(data, format), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename(data, format))}"
    return response
