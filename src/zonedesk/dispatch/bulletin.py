"""The monthly bulletin (通报): computed once from what the reader's scope allows, then written as
Word (python-docx) and PDF (reportlab, CJK TrueType font embedded), with matplotlib charts.

Nothing here reads around the gate: every figure comes from kpis/rankings/selectors, which start
from ``restrict(user, ...)`` and the zones the reader can see."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.db.models import Count, Q, Sum
from django.utils import translation

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.core.perf import gc_paused
from zonedesk.geo.models import Zone
from zonedesk.geo.selectors import find_zone, zone_short_name
from zonedesk.projects.choices import Stage

from . import calendar as workcal
from . import selectors
from .choices import IssueType, PlanStatus
from .fonts import chart_font, mixed_markup, pdf_font, pdf_latin_font
from .kpis import Scope, Window, base_queryset, compute_kpis, reuse, ytd_done_by_end
from .rankings import compute_ranking, get_scheme, red_black

# A bulletin is a government document: Chinese, whatever language the reader's pages are in.
BULLETIN_LANGUAGE = "zh-hans"
BULLETIN_KPIS = (
    "signed_count",
    "signed_amount",
    "new_started",
    "start_rate",
    "start_resume_rate",
    "production_rate",
    "funds_rate",
    "plan_completion_rate",
    "ahead_of_schedule",
    "closure_rate",
    "days_sign_to_start",
    "days_start_to_production",
    "overdue_not_started",
)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fmt(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    q = value.quantize(Decimal("1") if unit in ("个", "天") else Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,}"


@dataclass
class Chart:
    title: str
    png: bytes


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
    kpis: list[tuple[str, str, str]]  # name, value, unit
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


# ---------------------------------------------------------------------------- charts
# 7.2 in wide at 125 dpi → 900 px: 150 dpi at the 15 cm the documents print it.
CHART_WIDTH_IN = 7.2
CHART_DPI = 125
CHART_HEIGHTS_IN = (3.2, 3.0, 3.0, 3.0)
TOP_N = 15  # bars in the completion chart


@dataclass
class ChartInputs:
    """What the four charts show, gathered from the data first (so drawing reads no database)."""

    entity_label: str
    by_entity: list[tuple[str, Decimal, Decimal]]  # name, this year's plan, completed (largest plans first)
    stages: list[tuple[str, int]]
    year: int
    months: list[int]
    plan_cumulative: list[float]
    done_cumulative: list[float]
    issue_types: list[str]
    issues_closed: list[int]
    issues_open: list[int]


def month_ends(window: Window) -> list[dt.date]:
    """The last day of each month from January to the window's end (the window's end in its own month)."""
    ends = []
    for month in range(1, window.end.month + 1):
        first = dt.date(window.year, month, 1)
        ends.append(min((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), window.end))
    return ends


def trend_done(scope: Scope, window: Window, projects: set[int]) -> list[float]:
    """完成累计 per month: ``projects``' 本年累计完成 as of each month's end, a project that did not
    report in a month counting its latest figure before it (the KPIs' rule, ``carry_forward``). The
    window's own month gives the overview's and the KPI's 累计完成."""
    series = ytd_done_by_end(scope.user, window, scope.zone_ids, month_ends(window), projects)
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


def _text_pt(text: str, size: float) -> float:
    """A label's width in points, estimated without laying it out (CJK ≈ 1 em, Latin and digits ≈ 0.6 em).
    Laying out text to measure it (tight_layout) costs as much as drawing it."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def _wan_ticks(value: float, _pos: Any = None) -> str:
    return f"{value:,.0f}"


def draw_charts(inputs: ChartInputs) -> list[Chart]:
    """The four charts drawn on one Agg canvas in one pass, then cut into four PNGs. Margins are computed
    from the labels' lengths, so nothing is laid out twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory
    from PIL import Image

    chart_font()
    width, heights = CHART_WIDTH_IN, CHART_HEIGHTS_IN
    total_height = sum(heights)
    fig = Figure(figsize=(width, total_height), dpi=CHART_DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    pt = 1 / 72  # inches
    tick_pad = 10 * pt  # tick length + pad + a little air
    panels = []
    bottom_of = total_height

    def axes(height: float, left: float, bottom: float, top: float = 0.42, right: float = 0.15):
        nonlocal bottom_of
        bottom_of -= height
        panels.append(height)
        return fig.add_axes(
            (
                left / width,
                (bottom_of + bottom) / total_height,
                (width - left - right) / width,
                (height - bottom - top) / total_height,
            )
        )

    def title(ax, text: str) -> None:
        # A fixed place (y given): matplotlib otherwise measures the axis' tick labels to place it.
        ax.set_title(text, y=1.0, pad=6)

    def categories(
        ax, labels: list[str], *, axis: str = "x", fontsize: float = 8, rotation: float = 0
    ) -> None:
        """Category names as plain texts at 0, 1, 2…: a Tick per category (two marks, a grid line, two labels)
        costs three times as much to build and draw."""
        if axis == "x":
            ax.set_xticks([])
            where = blended_transform_factory(ax.transData, ax.transAxes) + ScaledTranslation(
                0, -4 * pt, fig.dpi_scale_trans
            )
            for i, text in enumerate(labels):
                ax.text(
                    i,
                    0,
                    text,
                    transform=where,
                    fontsize=fontsize,
                    va="top",
                    rotation=rotation,
                    ha="right" if rotation else "center",
                    rotation_mode="anchor" if rotation else "default",
                )
        else:
            ax.set_yticks([])
            where = blended_transform_factory(ax.transAxes, ax.transData) + ScaledTranslation(
                -4 * pt, 0, fig.dpi_scale_trans
            )
            for i, text in enumerate(labels):
                ax.text(0, i, text, transform=where, fontsize=fontsize, ha="right", va="center")

    def y_left(values: list[float], *, label: bool = True) -> float:
        longest = max((_text_pt(_wan_ticks(v), 10) for v in values), default=10)
        return (longest + (16 if label else 0)) * pt + tick_pad + 0.08

    label = inputs.entity_label
    # 1. plan vs completed by unit / zone
    names = [n for n, _, _ in inputs.by_entity]
    plans = [float(p) for _, p, _ in inputs.by_entity]
    done = [float(d) for _, _, d in inputs.by_entity]
    longest_name = max((_text_pt(n, 8) for n in names), default=8)
    peak = max(plans + done + [1.0])
    left = max(y_left([peak * 1.1]), longest_name * 0.87 * pt - 0.15)
    ax = axes(heights[0], left, bottom=(longest_name * 0.5 + 8 * 0.87) * pt + tick_pad + 0.05)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], plans, width=0.4, label="年度计划", color="#9fb3c8")
    ax.bar([x + 0.2 for x in xs], done, width=0.4, label="累计完成", color="#1d4ed8")
    categories(ax, names, rotation=30)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_wan_ticks))
    ax.set_ylabel("万元")
    title(ax, f"各{label}年度计划与累计完成投资")
    ax.legend(fontsize=8, loc="upper right")

    # 2. stage funnel
    stages = inputs.stages
    most = max([n for _, n in stages] + [1])
    ax = axes(
        heights[1], max(_text_pt(s, 10) for s, _ in stages) * pt + tick_pad + 0.08, bottom=0.15, right=0.2
    )
    ax.barh(range(len(stages)), [n for _, n in stages][::-1], color="#0f766e")
    categories(ax, [s for s, _ in stages][::-1], axis="y", fontsize=10)
    for i, (_, n) in enumerate(stages[::-1]):
        ax.text(n, i, f" {n}", va="center", fontsize=8)
    ax.set_xlim(0, most * 1.1)
    ax.set_xticks([])  # every bar carries its count: an axis of counts would repeat them
    title(ax, "项目阶段分布（储备→达产）")

    # 3. trend: cumulative plan vs reported cumulative completion, month by month
    peak = max(inputs.plan_cumulative + inputs.done_cumulative + [1.0])
    ax = axes(heights[2], y_left([peak * 1.1]), bottom=0.38)
    at = range(len(inputs.months))
    ax.plot(at, inputs.plan_cumulative, marker="o", label="计划累计", color="#9a3412")
    ax.plot(at, inputs.done_cumulative, marker="s", label="完成累计", color="#1d4ed8")
    categories(ax, [f"{m}月" for m in inputs.months])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_wan_ticks))
    ax.set_ylabel("万元")
    title(ax, f"{inputs.year}年投资完成趋势")
    ax.legend(fontsize=8, loc="upper left")

    # 4. coordination issues by type, open / closed
    peak = max([c + o for c, o in zip(inputs.issues_closed, inputs.issues_open)] + [1])
    ax = axes(heights[3], y_left([peak * 1.1], label=False), bottom=0.38)
    at = range(len(inputs.issue_types))
    ax.bar(at, inputs.issues_closed, label="已办结", color="#15803d")
    ax.bar(at, inputs.issues_open, bottom=inputs.issues_closed, label="办理中", color="#b45309")
    categories(ax, inputs.issue_types)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    title(ax, "协调事项分类办理情况")
    ax.legend(fontsize=8, loc="upper right")

    canvas.draw()
    image = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    ).convert("RGB")
    titles = (f"图1 各{label}投资完成情况", "图2 项目阶段漏斗", "图3 投资完成趋势", "图4 协调事项办理情况")
    charts, top = [], 0
    for title, height in zip(titles, panels):
        rows = round(height * CHART_DPI)
        buf = io.BytesIO()
        # Level 1: the image is flat colour, so it compresses well anyway, and five times faster than 6.
        image.crop((0, top, image.width, top + rows)).save(buf, format="PNG", compress_level=1)
        charts.append(Chart(title, buf.getvalue()))
        top += rows
    return charts


# ---------------------------------------------------------------------------- the data
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
) -> BulletinData:
    """Everything the bulletin says, computed once for both files. KPIs, ranking and plan-vs-actual share
    their per-project values (``reuse``); labels are Chinese whatever the reader's page language.
    ``issued_on`` (default: today in Beijing) is also the day lateness is judged on: a unit is on the
    "未按时报送" list only once its period's deadline has passed by then."""
    with reuse(), translation.override(BULLETIN_LANGUAGE), gc_paused():
        return _build_bulletin_data(
            user,
            window,
            zone=zone,
            city=city,
            zone_ids=zone_ids,
            number=number,
            issued_on=issued_on,
            with_charts=with_charts,
        )


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
) -> BulletinData:
    if zone is not None:
        zone_ids = [zone.pk]
        issuer = zone.committee.name if zone.committee_id else zone.name
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
            (r.project.pursuing_unit.name if r.project.pursuing_unit_id else "未明确单位")
            if entity == "unit"
            else (zone_short_name(r.project.zone))
        )
        acc = per_entity.setdefault(key, [Decimal(0), Decimal(0)])
        acc[0] += r.plan_year_wan
        acc[1] += r.done_ytd_wan
    by_entity = sorted(((k, v[0], v[1]) for k, v in per_entity.items()), key=lambda t: -t[1])

    kpis = compute_kpis(scope, window, keys=list(BULLETIN_KPIS))
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
        kpis=[(v.kpi.name, fmt(v.value, v.kpi.unit), v.kpi.unit) for v in kpis.values()],
        ranking=ranking,
        red_list=red,
        black_list=black,
        behind=behind,
        overdue=overdue,
        missing=missing,
        open_issues=open_issues,
        closed_issues=closed_issues,
        unit_issues=unit_issues,
    )
    data.project_names = (
        {r.project.name for r in plan_rows}
        | {p.name for p in overdue}
        | {p.name for _, row in missing for p in row.missing}
        | {i.project.name for i in issues if i.project_id}
    )
    if with_charts:
        plan_projects = {r.project.pk for r in plan_rows}
        data.charts = draw_charts(chart_inputs(scope, window, by_entity, entity_label, plan_projects))
    return data


# ---------------------------------------------------------------------------- tables, shared by both formats
LIST_LIMIT = 20  # a bulletin names the worst cases; the full lists are on the dashboard


def _cap(rows: list, what: str) -> list:
    if len(rows) <= LIST_LIMIT:
        return rows
    width = len(rows[0])
    return rows[:LIST_LIMIT] + [[f"另有{len(rows) - LIST_LIMIT}{what}，详见调度工作台"] + [""] * (width - 1)]


def sections(data: BulletinData) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) for every table of the bulletin, worked out once for both files."""
    if data.tables is None:
        with translation.override(BULLETIN_LANGUAGE):
            data.tables = _sections(data)
    return data.tables


def _sections(data: BulletinData) -> list[tuple[str, list[str], list[list[str]]]]:
    out = [("一、主要指标", ["指标", "数值", "单位"], [list(r) for r in data.kpis])]
    out.append(
        (
            f"二、{data.entity_label}综合排名",
            ["名次", data.entity_label, "组别", "得分", "等次", "计分说明"],
            [
                [str(r.rank), r.name, r.group or "—", fmt(r.score), r.grade, r.explanation()]
                for r in data.ranking
            ],
        )
    )
    out.append(
        (
            "红榜",
            ["名次", data.entity_label, "得分"],
            [[str(n), r.name, fmt(r.score)] for n, r in enumerate(data.red_list, 1)],
        )
    )
    out.append(
        (
            "黑榜",
            ["名次", data.entity_label, "得分"],
            [[str(n), r.name, fmt(r.score)] for n, r in enumerate(data.black_list, 1)],
        )
    )
    out.append(
        (
            "三、红色预警：进度滞后项目",
            [
                "项目名称",
                "责任单位",
                "年度计划（万元）",
                "累计完成（万元）",
                "完成率（%）",
                "与时间进度差（个百分点）",
            ],
            _cap(
                [
                    [
                        r.project.name,
                        r.project.pursuing_unit.name if r.project.pursuing_unit_id else "—",
                        fmt(r.plan_year_wan),
                        fmt(r.done_ytd_wan),
                        fmt(r.completion_pct),
                        fmt(r.gap_pct),
                    ]
                    for r in sorted(data.behind, key=lambda r: (r.gap_pct, r.project.name))
                ],
                "个滞后项目",
            ),
        )
    )
    out.append(
        (
            "红色预警：超时限未开工项目",
            ["项目名称", "开发区", "责任单位", "计划开工日期"],
            _cap(
                [
                    [
                        p.name,
                        zone_short_name(p.zone),
                        p.pursuing_unit.name if p.pursuing_unit_id else "—",
                        cn_date(p.planned_start_date),
                    ]
                    for p in data.overdue
                ],
                "个超时限未开工项目",
            ),
        )
    )
    out.append(
        (
            "红色预警：未按时报送进展",
            ["期次", "单位", "应报", "已报", "未报项目"],
            _cap(
                [
                    [
                        period.label,
                        row.unit.name if row.unit else "未明确单位",
                        str(row.expected),
                        str(row.reported),
                        "、".join(p.name for p in row.missing[:10])
                        + (f"等{len(row.missing)}个" if len(row.missing) > 10 else ""),
                    ]
                    for period, row in data.missing
                ],
                "个单位",
            ),
        )
    )
    out.append(
        (
            "四、协调事项办理情况",
            ["责任单位", "受理", "办结", "办结率（%）", "超期"],
            [
                [u.unit, str(u.received), str(u.closed), fmt(u.closure_pct), str(u.overdue)]
                for u in data.unit_issues
            ],
        )
    )
    out.append(
        (
            "在办协调事项",
            ["事项", "类型", "项目", "责任单位", "提出日期", "办结时限"],
            _cap(
                [
                    [
                        i.title,
                        i.get_issue_type_display(),
                        i.project.name if i.project_id else "—",
                        i.owner_unit.name,
                        cn_date(i.raised_on),
                        cn_date(i.deadline) if i.deadline else "—",
                    ]
                    for i in data.open_issues
                ],
                "件在办事项",
            ),
        )
    )
    out.append(
        (
            "本期办结协调事项",
            ["事项", "类型", "责任单位", "办结日期", "办理结果"],
            _cap(
                [
                    [
                        i.title,
                        i.get_issue_type_display(),
                        i.owner_unit.name,
                        cn_date(i.closed_on),
                        i.resolution,
                    ]
                    for i in data.closed_issues
                ],
                "件办结事项",
            ),
        )
    )
    return out


def column_shares(header: list[str], rows: list[list[str]]) -> list[float]:
    """Each column's share of the table width: as much as its longest line needs, the long columns
    (a ranking's explanation) sharing what the short ones (rank, score) leave. Equal widths gave a
    explanation column of a few characters and pages of one-row tables."""
    natural = []
    for i, head in enumerate(header):
        longest = max(
            [_text_pt(head, 1)]
            + [
                max((_text_pt(line, 1) for line in (r[i] if i < len(r) else "").split("\n")), default=0)
                for r in rows
            ]
        )
        natural.append(max(longest, 2.0) + 1.0)  # at least two characters, plus the cell's padding
    total = float(len(header)) * 6  # a column fits about six characters at an even split
    if sum(natural) <= total:
        return [n / sum(natural) for n in natural]
    # Water-filling: the columns above a common cap get the cap, chosen so that all of them fill the width.
    ordered = sorted(natural)
    remaining, cap = total, 0.0
    for k, n in enumerate(ordered):
        share = remaining / (len(ordered) - k)
        if n >= share:
            cap = share
            break
        remaining -= n
    else:
        cap = ordered[-1]
    widths = [min(n, cap) for n in natural]
    return [w / sum(widths) for w in widths]


# ---------------------------------------------------------------------------- Word
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Characters XML 1.0 cannot hold (a pasted form feed would otherwise fail the whole document).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _docx_run_xml(text: str, bold: bool) -> str:
    """One run as python-docx's ``cell.text`` writes it: line breaks as w:br, tabs as w:tab."""
    if not text:
        return "<w:r/>"
    parts = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                space = ' xml:space="preserve"' if piece != piece.strip() else ""
                parts.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>"


def _docx_rows_xml(rows: list[list[str]], widths: list[str], *, header: bool = False) -> str:
    """Table rows; a header row is bold and repeated at the top of every page a table runs onto."""
    cells = '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p>{run}</w:p></w:tc>'
    start = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>"
    body = "".join(
        start
        + "".join(cells.format(w=w, run=_docx_run_xml(text, header)) for w, text in zip(widths, row))
        + "</w:tr>"
        for row in rows
    )
    return f'<w:tbl xmlns:w="{W_NS}">{body}</w:tbl>'


def render_docx(data: BulletinData) -> bytes:
    with translation.override(BULLETIN_LANGUAGE), gc_paused():
        return _render_docx(data)


def _render_docx(data: BulletinData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")

    def para(text, *, size=12, bold=False, align=None, color=None, font=None):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        if color:
            run.font.color.rgb = RGBColor(*color)
        if align is not None:
            p.alignment = align
        return p

    heading_style = doc.styles["Heading 2"].style_id

    def heading2(text):
        # What add_heading(text, 2) writes; it looks the style up by name (a walk over all styles) each time.
        p = doc.add_paragraph(text)
        p._p.style = heading_style
        return p

    para(
        f"{data.scope_label}项目建设调度通报",
        size=22,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=(0xC0, 0, 0),
        font="方正小标宋简体",
    )
    para(data.number_label, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{data.issuer}　　　　　　　　{cn_date(data.issued_on)}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("—" * 30, color=(0xC0, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER)
    para(data.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体")
    heading2("总体情况")
    for text in data.overview:
        p = para(text, size=14)
        p.paragraph_format.first_line_indent = Pt(28)
    grid_style = doc.styles["Table Grid"].style_id
    for heading, header, rows in sections(data):
        heading2(heading)
        if not rows:
            para("无。", size=12)
            continue
        table = doc.add_table(rows=0, cols=len(header))
        table._tbl.tblPr.style = grid_style  # by id: looking the style up by name costs more than the table
        cols = list(table._tbl.tblGrid.iterchildren(qn("w:gridCol")))
        table_width = sum(int(col.get(qn("w:w"))) for col in cols)
        widths = [str(int(table_width * share)) for share in column_shares(header, rows)]
        for col, w in zip(cols, widths):
            col.set(qn("w:w"), w)
        # Rows written as XML in one parse: python-docx's add_row() and cell.text re-read the whole table
        # for every cell. The XML is what they write (w:tr/w:tc/w:tcW/w:p/w:r/w:t).
        for tr in list(parse_xml(_docx_rows_xml([header], widths, header=True))) + list(
            parse_xml(_docx_rows_xml(rows, widths))
        ):
            table._tbl.append(tr)
    if data.charts:
        heading2("附图")
        for chart in data.charts:
            doc.add_picture(io.BytesIO(chart.png), width=Cm(15))
            para(chart.title, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- PDF
def render_pdf(data: BulletinData) -> bytes:
    with translation.override(BULLETIN_LANGUAGE), gc_paused():
        return _render_pdf(data)


def _render_pdf(data: BulletinData) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Image, SimpleDocTemplate, Spacer
    from reportlab.platypus import Paragraph as _Paragraph

    from .pdftext import CellText, GridTable

    # Binary streams: ASCII85 only makes a PDF 25 % larger, and reportlab encodes it in pure Python.
    rl_config.useA85 = 0

    def Paragraph(text, style):
        return _Paragraph(mixed_markup(text), style)

    font = pdf_font()
    latin = pdf_latin_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    body = ParagraphStyle("body", parent=base, fontSize=12, leading=20, firstLineIndent=24)
    red_title = ParagraphStyle(
        "redtitle",
        parent=base,
        fontSize=24,
        leading=32,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#C00000"),
    )
    center = ParagraphStyle("center", parent=base, fontSize=13, leading=20, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=base, fontSize=17, leading=26, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", parent=base, fontSize=13, leading=22, spaceBefore=8, spaceAfter=4)

    def cell(text: str) -> CellText:
        return CellText(text, font, latin, 8.5, 11)

    story: list[Any] = [
        Paragraph(f"{data.scope_label}项目建设调度通报", red_title),
        Spacer(1, 4),
        Paragraph(data.number_label, center),
        Paragraph(f"{data.issuer}　　　　{cn_date(data.issued_on)}", center),
        HRFlowable(
            width="100%", thickness=1.5, color=colors.HexColor("#C00000"), spaceBefore=4, spaceAfter=10
        ),
        Paragraph(data.title, title),
        Spacer(1, 6),
        Paragraph("总体情况", heading),
        *[Paragraph(t, body) for t in data.overview],
    ]
    width = A4[0] - 4 * cm
    for head, header, rows in sections(data):
        story.append(Paragraph(head, heading))
        if not rows:
            story.append(Paragraph("无。", base))
            continue
        widths = [width * share for share in column_shares(header, rows)]
        table = GridTable(
            [cell(h) for h in header],
            [[cell(c) for c in r] for r in rows],
            widths,
            grid_color=colors.grey,
            header_color=colors.HexColor("#EEF2F7"),
        )
        story.append(table)
    if data.charts:
        story.append(Paragraph("附图", heading))
        for chart in data.charts:
            img = Image(io.BytesIO(chart.png))
            scale = width / img.imageWidth
            img.drawWidth, img.drawHeight = width, img.imageHeight * scale
            story.extend([img, Paragraph(chart.title, center), Spacer(1, 6)])

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont(latin, 9)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"- {doc_.page} -")
        canvas.restoreState()

    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=data.title,
        author=data.issuer,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def render(data: BulletinData, fmt_: str) -> bytes:
    if fmt_ == "docx":
        return render_docx(data)
    if fmt_ == "pdf":
        return render_pdf(data)
    raise ValidationFailed("格式无效", fields={"format": [f"格式应为 docx 或 pdf：{fmt_}"]})


def filename(data: BulletinData, fmt_: str) -> str:
    return f"{data.scope_label}项目建设调度通报-{data.window.end:%Y%m}-{data.number_label}.{fmt_}"
