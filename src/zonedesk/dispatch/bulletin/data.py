"""What a bulletin says, computed once for both files from what the reader's scope allows. Nothing here
reads around the gate: every figure comes from metrics / rankings / selectors, which start from
``restrict(user, ...)`` and the zones the reader can see."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import translation

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.core.median import whole
from zonedesk.core.perf import gc_paused
from zonedesk.geo.models import Zone
from zonedesk.geo.selectors import find_zone, zone_short_name
from zonedesk.projects.choices import Stage

from .. import calendar as workcal
from .. import selectors
from ..choices import IssueType, PlanStatus
from ..metrics import Scope, Window, base_queryset, compute_kpis, reuse, ytd_done_by_end
from ..rankings import compute_ranking, get_scheme, red_black
from .charts import TOP_N, Chart, ChartInputs, draw_charts
from .layout import OVERVIEW_KPIS, BulletinLayout, get_layout

# A bulletin is a government document: Chinese, whatever language the reader's pages are in.
BULLETIN_LANGUAGE = "zh-hans"
log = logging.getLogger("zonedesk.dispatch")


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fmt(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "天":  # a median of days, in whole days as the dashboard shows it (core.median.whole)
        return f"{whole(value):,}"
    q = value.quantize(Decimal("1") if unit == "个" else Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,}"


@dataclass
class BulletinData:
    title: str
    issuer: str
    number: int
    issued_on: dt.date
    window: Window
    scope_label: str
    entity_label: str  # 单位 or 开发区
    overview: list[str]
    kpis: dict[
        str, tuple[str, str, str]
    ]  # KPI key: (name, value, unit), every KPI a table of the layout lists
    ranking: list[Any]
    red_list: list[Any]
    black_list: list[Any]
    behind: list[selectors.PlanRow]
    overdue: list[Any]
    missing: list[tuple[Any, Any]]
    open_issues: list[Any]
    closed_issues: list[Any]
    unit_issues: list[selectors.UnitIssues]
    charts: list[Chart] = field(default_factory=list)
    project_names: set[str] = field(default_factory=set)
    tables: list[tuple[str, list[str], list[list[str]]]] | None = None  # sections(), once
    layout: BulletinLayout | None = None  # bulletin.toml (get_layout()) unless given

    @property
    def number_label(self) -> str:
        return f"第{self.number}期"


def resolve_zone(user: Any, text: str) -> Zone:
    """A zone the reader can see, by id, name or alias."""
    zone = find_zone(restrict(user, "view", Zone), text)
    if zone is None:
        raise ValidationFailed("开发区不存在或无权访问", fields={"zone": [f"开发区不存在或无权访问：{text}"]})
    return zone


def resolve_city(user: Any, text: str) -> tuple[OrgUnit, list[int]]:
    """A city bureau and the zones under it that the reader can see."""
    unit = OrgUnit.objects.filter(kind="city_bureau").filter(name=(text or "").strip()).first() or (
        OrgUnit.objects.filter(kind="city_bureau", pk=int(text)).first() if (text or "").isdigit() else None
    )
    if unit is None:
        raise ValidationFailed("市级单位不存在", fields={"city": [f"未找到市级单位：{text}"]})
    zone_ids = list(
        restrict(user, "view", Zone)
        .filter(committee__path__startswith=unit.path)
        .values_list("pk", flat=True)
    )
    if not zone_ids:
        raise ValidationFailed(
            "该市没有您可查看的开发区", fields={"city": [f"{unit.name}下没有您可查看的开发区"]}
        )
    return unit, zone_ids


def trend_done(scope: Scope, window: Window, projects: set[int]) -> list[float]:
    """完成累计 per month: ``projects``' 本年累计完成 as of each month's end, a project that did not
    report in a month counting its latest figure before it (the KPIs' rule, ``carry_forward``). The
    window's own month gives the overview's and the KPI's 累计完成."""
    series = ytd_done_by_end(scope.user, window, scope.zone_ids, window.month_ends(), projects)
    return [round(float(sum(latest.values())), 2) for _end, latest in series]


def chart_inputs(
    scope: Scope,
    window: Window,
    by_entity: list[tuple[str, Decimal, Decimal]],
    entity_label: str,
    plan_projects: set[int],
) -> ChartInputs:
    """``plan_projects``: the projects with this year's plan (the plan-vs-actual rows), whose plan and
    completion the trend compares."""
    counts = dict(
        base_queryset("projects", scope)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    months = list(range(1, window.end.month + 1))
    plan_by_month = dict(
        base_queryset("plans", scope)
        .filter(year=window.year, month__lte=window.end.month)
        .order_by()
        .values("month")
        .annotate(s=Sum("amount_wan"))
        .values_list("month", "s")
    )
    plan_cumulative, total = [], Decimal(0)
    for m in months:
        total += plan_by_month.get(m) or 0
        plan_cumulative.append(float(total))
    rows = (
        base_queryset("issues", scope)
        .filter(raised_on__lte=window.end)
        .order_by()
        .values("issue_type")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(closed_on__lte=window.end)))
    )
    by_type = {r["issue_type"]: (r["total"], r["closed"]) for r in rows}
    return ChartInputs(
        entity_label=entity_label,
        by_entity=by_entity[:TOP_N],
        stages=[(str(label), counts.get(value, 0)) for value, label in Stage.choices],
        year=window.year,
        months=months,
        plan_cumulative=plan_cumulative,
        done_cumulative=trend_done(scope, window, plan_projects),
        issue_types=[str(label) for _, label in IssueType.choices],
        issues_closed=[by_type.get(v, (0, 0))[1] for v in IssueType.values],
        issues_open=[by_type.get(v, (0, 0))[0] - by_type.get(v, (0, 0))[1] for v in IssueType.values],
    )


def build_bulletin_data(
    user: Any,
    window: Window,
    *,
    zone: Zone | None = None,
    city: OrgUnit | None = None,
    zone_ids: list[int] | None = None,
    number: int | None = None,
    issued_on: dt.date | None = None,
    with_charts: bool = True,
    layout: BulletinLayout | None = None,
) -> BulletinData:
    """Everything the bulletin says, computed once for both files. KPIs, ranking and plan-vs-actual share
    their per-project values (``reuse``); labels are Chinese whatever the reader's page language.
    ``issued_on`` (default: today in Beijing) is also the day lateness is judged on: a unit is on the
    "未按时报送" list only once its period's deadline has passed by then. ``layout``: the sections and
    KPIs shown (default: bulletin.toml)."""
    layout = layout or get_layout()
    started = time.perf_counter()
    with reuse(), translation.override(BULLETIN_LANGUAGE), gc_paused():
        data = _build_bulletin_data(
            user,
            window,
            zone=zone,
            city=city,
            zone_ids=zone_ids,
            number=number,
            issued_on=issued_on,
            with_charts=with_charts and layout.charts,
            layout=layout,
        )
    log.info(
        "bulletin.built",
        extra={
            "event": "bulletin.built",
            "zone": zone.pk if zone is not None else None,
            "city": city.pk if city is not None else None,
            "zones": len(zone_ids) if zone_ids is not None and zone is None else None,
            "period": window.label,
            "user": getattr(user, "username", None),
            "kpis": len(data.kpis),
            "ranked": len(data.ranking),
            "behind": len(data.behind),
            "overdue": len(data.overdue),
            "missing_units": len(data.missing),
            "open_issues": len(data.open_issues),
            "charts": len(data.charts),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return data


def _build_bulletin_data(
    user: Any,
    window: Window,
    *,
    zone: Zone | None,
    city: OrgUnit | None,
    zone_ids: list[int] | None,
    number: int | None,
    issued_on: dt.date | None,
    with_charts: bool,
    layout: BulletinLayout,
) -> BulletinData:
    if zone is not None:
        zone_ids = [zone.pk]
        issuer = committee.name if (committee := zone.committee) else zone.name
        short = zone_short_name(zone)
        entity, entity_label, scope_label = "unit", "单位", short
    else:
        issuer = city.name if city else "开发区工作主管部门"
        entity, entity_label = "zone", "开发区"
        scope_label = (city.name.replace("商务局", "") if city else "全省") + "各开发区"
    scope = Scope(user, zone_ids)
    plan_rows = selectors.plan_vs_actual(scope, window)
    behind = [r for r in plan_rows if r.status == PlanStatus.BEHIND]

    # Totals per ranked entity, for the overview's completion chart.
    per_entity: dict[str, list[Decimal]] = {}
    for r in plan_rows:
        key = (
            (unit.name if (unit := r.project.pursuing_unit) else "未明确单位")
            if entity == "unit"
            else (zone_short_name(r.project.zone))
        )
        acc = per_entity.setdefault(key, [Decimal(0), Decimal(0)])
        acc[0] += r.plan_year_wan
        acc[1] += r.done_ytd_wan
    by_entity = sorted(((k, v[0], v[1]) for k, v in per_entity.items()), key=lambda t: -t[1])

    kpis = compute_kpis(scope, window, keys=list(dict.fromkeys((*OVERVIEW_KPIS, *layout.kpis))))
    ranking = compute_ranking(scope, window, entity=entity)
    red, black = red_black(ranking, get_scheme().red_black_size)
    overdue = selectors.overdue_start(scope, window)
    issued_on = issued_on or workcal.local_day()
    missing = selectors.missing_reports(user, zone_ids, window, overdue_at=issued_on)
    issues = list(selectors.issue_list(scope).filter(raised_on__lte=window.end))
    open_issues = [i for i in issues if not i.closed_on or i.closed_on > window.end]
    closed_issues = [i for i in issues if i.closed_on and window.start <= i.closed_on <= window.end]
    unit_issues = selectors.issues_by_unit(scope, window.end)

    plan_total = sum((r.plan_year_wan for r in plan_rows), Decimal(0))
    done_total = sum((r.done_ytd_wan for r in plan_rows), Decimal(0))
    k = {key: v.value for key, v in kpis.items()}
    gap = k["ahead_of_schedule"]
    gap_text = (
        "—"
        if gap is None
        else (f"超过时间进度{fmt(abs(gap))}个百分点" if gap >= 0 else f"落后时间进度{fmt(abs(gap))}个百分点")
    )
    overview = [
        f"截至{cn_date(window.end)}，{scope_label}纳入年度投资计划的项目{len(plan_rows)}个，年度计划投资{fmt(plan_total)}万元，"
        f"{window.ytd_label}累计完成投资{fmt(done_total)}万元，年度计划投资完成率{fmt(k['plan_completion_rate'])}%，"
        f"时间进度{fmt(window.elapsed_pct)}%，{gap_text}。",
        f"{window.ytd_label}新签约项目{fmt(k['signed_count'], '个')}个、签约金额{fmt(k['signed_amount'])}万元；新开工项目"
        f"{fmt(k['new_started'], '个')}个，开工率{fmt(k['start_rate'])}%，开复工率{fmt(k['start_resume_rate'])}%，"
        f"投产率{fmt(k['production_rate'])}%，资金到位率{fmt(k['funds_rate'])}%。",
        f"协调事项办结率{fmt(k['closure_rate'])}%，目前仍有{len(open_issues)}件在办；超时限未开工项目"
        f"{fmt(k['overdue_not_started'], '个')}个，进度滞后项目{len(behind)}个，{len(missing)}个单位本期有项目未报送进展"
        + (f"（应报未报{sum(len(row.missing) for _, row in missing)}个）。" if missing else "。"),
    ]
    data = BulletinData(
        title=f"{scope_label}重点项目建设情况通报",
        issuer=issuer,
        number=number or window.end.month,
        issued_on=issued_on,
        window=window,
        scope_label=scope_label,
        entity_label=entity_label,
        overview=overview,
        kpis={
            key: (kpis[key].kpi.name, fmt(kpis[key].value, kpis[key].kpi.unit), kpis[key].kpi.unit)
            for key in layout.kpis
        },
        ranking=ranking,
        red_list=red,
        black_list=black,
        behind=behind,
        overdue=overdue,
        missing=missing,
        open_issues=open_issues,
        closed_issues=closed_issues,
        unit_issues=unit_issues,
        layout=layout,
    )
    data.project_names = (
        {r.project.name for r in plan_rows}
        | {p.name for p in overdue}
        | {p.name for _, row in missing for p in row.missing}
        | {project.name for i in issues if (project := i.project)}
    )
    if with_charts:
        plan_projects = {r.project.pk for r in plan_rows}
        data.charts = draw_charts(chart_inputs(scope, window, by_entity, entity_label, plan_projects))
    return data
