"""The monthly bulletin (通报): computed once from what the reader's scope allows, then written as
Word (python-docx) and PDF (reportlab, CJK TrueType font embedded), with matplotlib charts.

Nothing here reads around the gate: every figure comes from kpis/rankings/selectors, which start
from ``restrict(user, ...)`` and the zones the reader can see."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.geo.models import Zone
from zonedesk.projects.choices import Stage

from . import selectors
from .choices import IssueType, PlanStatus
from .fonts import chart_font, mixed_markup, pdf_font, pdf_latin_font
from .kpis import Scope, Window, base_queryset, compute_kpis
from .rankings import compute_ranking, get_scheme, red_black

BULLETIN_KPIS = (
    "signed_count", "signed_amount", "new_started", "start_rate", "start_resume_rate", "production_rate",
    "funds_rate", "plan_completion_rate", "ahead_of_schedule", "closure_rate", "days_sign_to_start",
    "days_start_to_production", "overdue_not_started",
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

    @property
    def number_label(self) -> str:
        return f"第{self.number}期"


def resolve_zone(user: Any, text: str) -> Zone:
    """A zone the reader can see, by id, name or alias."""
    qs = restrict(user, "view", Zone)
    text = (text or "").strip()
    zone = qs.filter(pk=int(text)).first() if text.isdigit() else None
    zone = zone or qs.filter(name=text).first()
    if zone is None:
        zone = next((z for z in qs if text in (z.aliases or [])), None)
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
    zone_ids = list(restrict(user, "view", Zone).filter(committee__path__startswith=unit.path).values_list("pk", flat=True))
    if not zone_ids:
        raise ValidationFailed("该市没有您可查看的开发区", fields={"city": [f"{unit.name}下没有您可查看的开发区"]})
    return unit, zone_ids


# ---------------------------------------------------------------------------- charts
CHART_DPI = 100  # 7.2 in wide → 720 px: sharp at the 16 cm the documents print it


def _figure(width: float, height: float):
    """A bare Agg figure (no pyplot state machine, nothing to close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=CHART_DPI)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout(pad=0.4)
    fig.savefig(buf, format="png", dpi=CHART_DPI)
    return buf.getvalue()


def _charts(scope: Scope, window: Window, by_entity: list[tuple[str, Decimal, Decimal]], entity_label: str) -> list[Chart]:
    chart_font()
    charts = []
    # 1. plan vs completed by unit / zone
    names = [n for n, _, _ in by_entity][:15]
    fig, ax = _figure(7.2, 3.2)
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [float(p) for _, p, _ in by_entity][:15], width=0.4, label="年度计划", color="#9fb3c8")
    ax.bar([x + 0.2 for x in xs], [float(d) for _, _, d in by_entity][:15], width=0.4, label="累计完成", color="#1d4ed8")
    ax.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("万元")
    ax.set_title(f"各{entity_label}年度计划与累计完成投资")
    ax.legend(fontsize=8)
    charts.append(Chart(f"图1 各{entity_label}投资完成情况", _png(fig)))

    # 2. stage funnel
    counts = dict(base_queryset("projects", scope).order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = [(label, counts.get(value, 0)) for value, label in Stage.choices]
    fig, ax = _figure(7.2, 3.0)
    ax.barh([s for s, _ in stages][::-1], [n for _, n in stages][::-1], color="#0f766e")
    for i, (_, n) in enumerate(stages[::-1]):
        ax.text(n, i, f" {n}", va="center", fontsize=8)
    ax.set_title("项目阶段分布（储备→达产）")
    charts.append(Chart("图2 项目阶段漏斗", _png(fig)))

    # 3. trend: cumulative plan vs reported cumulative completion, month by month
    months = list(range(1, window.end.month + 1))
    plan_by_month = dict(
        base_queryset("plans", scope).filter(year=window.year, month__lte=window.end.month).order_by()
        .values("month").annotate(s=Sum("amount_wan")).values_list("month", "s")
    )
    done_by_month = dict(
        base_queryset("reports", scope).filter(period__frequency="monthly", period__end__year=window.year,
                                               period__end__lte=window.end).order_by()
        .values("period__end__month").annotate(s=Sum("investment_cumulative_wan")).values_list("period__end__month", "s")
    )
    plan_cum, total = [], Decimal(0)
    for m in months:
        total += plan_by_month.get(m) or 0
        plan_cum.append(float(total))
    fig, ax = _figure(7.2, 3.0)
    ax.plot(months, plan_cum, marker="o", label="计划累计", color="#9a3412")
    ax.plot(months, [float(done_by_month.get(m) or 0) for m in months], marker="s", label="完成累计", color="#1d4ed8")
    ax.set_xticks(months, [f"{m}月" for m in months], fontsize=8)
    ax.set_ylabel("万元")
    ax.set_title(f"{window.year}年投资完成趋势")
    ax.legend(fontsize=8)
    charts.append(Chart("图3 投资完成趋势", _png(fig)))

    # 4. coordination issues by type, open / closed
    rows = base_queryset("issues", scope).filter(raised_on__lte=window.end).order_by().values("issue_type").annotate(
        total=Count("pk"), closed=Count("pk", filter=Q(closed_on__lte=window.end))
    )
    by_type = {r["issue_type"]: (r["total"], r["closed"]) for r in rows}
    labels = [label for value, label in IssueType.choices]
    closed = [by_type.get(v, (0, 0))[1] for v, _ in IssueType.choices]
    open_ = [by_type.get(v, (0, 0))[0] - by_type.get(v, (0, 0))[1] for v, _ in IssueType.choices]
    fig, ax = _figure(7.2, 3.0)
    ax.bar(labels, closed, label="已办结", color="#15803d")
    ax.bar(labels, open_, bottom=closed, label="办理中", color="#b45309")
    ax.set_title("协调事项分类办理情况")
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=8)
    charts.append(Chart("图4 协调事项办理情况", _png(fig)))
    return charts


# ---------------------------------------------------------------------------- the data
def build_bulletin_data(
    user: Any, window: Window, *, zone: Zone | None = None, city: OrgUnit | None = None,
    zone_ids: list[int] | None = None, number: int | None = None, issued_on: dt.date | None = None,
    with_charts: bool = True,
) -> BulletinData:
    if zone is not None:
        zone_ids = [zone.pk]
        issuer = zone.committee.name if zone.committee_id else zone.name
        short = zone.aliases[0] if zone.aliases else zone.name
        entity, entity_label, scope_label = "unit", "单位", short
    else:
        issuer = city.name if city else "开发区工作主管部门"
        entity, entity_label = "zone", "开发区"
        scope_label = (city.name.replace("商务局", "") if city else "全省") + "各开发区"
    scope = Scope(user, zone_ids)
    kpis = compute_kpis(scope, window, keys=list(BULLETIN_KPIS))
    ranking = compute_ranking(scope, window, entity=entity)
    red, black = red_black(ranking, get_scheme().red_black_size)
    plan_rows = selectors.plan_vs_actual(scope, window)
    behind = [r for r in plan_rows if r.status == PlanStatus.BEHIND]
    overdue = list(selectors.overdue_start(scope, window))
    missing = selectors.missing_reports(user, zone_ids, window)
    issues = list(selectors.issue_list(scope).filter(raised_on__lte=window.end))
    open_issues = [i for i in issues if not i.closed_on or i.closed_on > window.end]
    closed_issues = [i for i in issues if i.closed_on and window.start <= i.closed_on <= window.end]
    unit_issues = selectors.issues_by_unit(scope, window.end)

    # Totals per ranked entity, for the overview's completion chart.
    per_entity: dict[str, list[Decimal]] = {}
    for r in plan_rows:
        key = (r.project.pursuing_unit.name if r.project.pursuing_unit_id else "未明确单位") if entity == "unit" else (
            r.project.zone.aliases[0] if r.project.zone.aliases else r.project.zone.name)
        acc = per_entity.setdefault(key, [Decimal(0), Decimal(0)])
        acc[0] += r.plan_year_wan
        acc[1] += r.done_ytd_wan
    by_entity = sorted(((k, v[0], v[1]) for k, v in per_entity.items()), key=lambda t: -t[1])

    plan_total = sum((r.plan_year_wan for r in plan_rows), Decimal(0))
    done_total = sum((r.done_ytd_wan for r in plan_rows), Decimal(0))
    k = {key: v.value for key, v in kpis.items()}
    gap = k["ahead_of_schedule"]
    gap_text = "—" if gap is None else (f"超过时间进度{fmt(abs(gap))}个百分点" if gap >= 0 else f"落后时间进度{fmt(abs(gap))}个百分点")
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
        issued_on=issued_on or dt.date.today(),
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
    data.project_names = {r.project.name for r in plan_rows} | {p.name for p in overdue} | {
        p.name for _, row in missing for p in row.missing} | {i.project.name for i in issues if i.project_id}
    if with_charts:
        data.charts = _charts(scope, window, by_entity, entity_label)
    return data


# ---------------------------------------------------------------------------- tables, shared by both formats
LIST_LIMIT = 20  # a bulletin names the worst cases; the full lists are on the dashboard


def _cap(rows: list, what: str) -> list:
    if len(rows) <= LIST_LIMIT:
        return rows
    width = len(rows[0])
    return rows[:LIST_LIMIT] + [[f"另有{len(rows) - LIST_LIMIT}{what}，详见调度工作台"] + [""] * (width - 1)]


def sections(data: BulletinData) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) for every table of the bulletin."""
    out = [("一、主要指标", ["指标", "数值", "单位"], [list(r) for r in data.kpis])]
    out.append((
        f"二、{data.entity_label}综合排名",
        ["名次", data.entity_label, "组别", "得分", "等次", "计分说明"],
        [[str(r.rank), r.name, r.group or "—", fmt(r.score), r.grade, r.explanation()] for r in data.ranking],
    ))
    out.append(("红榜", ["名次", data.entity_label, "得分"], [[str(n), r.name, fmt(r.score)] for n, r in enumerate(data.red_list, 1)]))
    out.append(("黑榜", ["名次", data.entity_label, "得分"], [[str(n), r.name, fmt(r.score)] for n, r in enumerate(data.black_list, 1)]))
    out.append((
        "三、红色预警：进度滞后项目",
        ["项目名称", "责任单位", "年度计划（万元）", "累计完成（万元）", "完成率（%）", "与时间进度差（个百分点）"],
        _cap([[r.project.name, r.project.pursuing_unit.name if r.project.pursuing_unit_id else "—", fmt(r.plan_year_wan),
          fmt(r.done_ytd_wan), fmt(r.completion_pct), fmt(r.gap_pct)]
         for r in sorted(data.behind, key=lambda r: (r.gap_pct, r.project.name))], "个滞后项目"),
    ))
    out.append((
        "红色预警：超时限未开工项目",
        ["项目名称", "开发区", "责任单位", "计划开工日期"],
        _cap([[p.name, p.zone.aliases[0] if p.zone.aliases else p.zone.name,
               p.pursuing_unit.name if p.pursuing_unit_id else "—", cn_date(p.planned_start_date)] for p in data.overdue],
             "个超时限未开工项目"),
    ))
    out.append((
        "红色预警：未按时报送进展",
        ["期次", "单位", "应报", "已报", "未报项目"],
        _cap([[period.label, row.unit.name if row.unit else "未明确单位", str(row.expected), str(row.reported),
               "、".join(p.name for p in row.missing[:10]) + (f"等{len(row.missing)}个" if len(row.missing) > 10 else "")]
              for period, row in data.missing], "个单位"),
    ))
    out.append((
        "四、协调事项办理情况",
        ["责任单位", "受理", "办结", "办结率（%）", "超期"],
        [[u.unit, str(u.received), str(u.closed), fmt(u.closure_pct), str(u.overdue)] for u in data.unit_issues],
    ))
    out.append((
        "在办协调事项",
        ["事项", "类型", "项目", "责任单位", "提出日期", "办结时限"],
        _cap([[i.title, i.get_issue_type_display(), i.project.name if i.project_id else "—", i.owner_unit.name,
          cn_date(i.raised_on), cn_date(i.deadline) if i.deadline else "—"] for i in data.open_issues], "件在办事项"),
    ))
    out.append((
        "本期办结协调事项",
        ["事项", "类型", "责任单位", "办结日期", "办理结果"],
        _cap([[i.title, i.get_issue_type_display(), i.owner_unit.name, cn_date(i.closed_on), i.resolution]
              for i in data.closed_issues], "件办结事项"),
    ))
    return out


# ---------------------------------------------------------------------------- Word
def render_docx(data: BulletinData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
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

    para(f"{data.scope_label}项目建设调度通报", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, color=(0xC0, 0, 0),
         font="方正小标宋简体")
    para(data.number_label, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{data.issuer}　　　　　　　　{cn_date(data.issued_on)}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("—" * 30, color=(0xC0, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER)
    para(data.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体")
    doc.add_heading("总体情况", level=2)
    for text in data.overview:
        p = para(text, size=14)
        p.paragraph_format.first_line_indent = Pt(28)
    for heading, header, rows in sections(data):
        doc.add_heading(heading, level=2)
        if not rows:
            para("无。", size=12)
            continue
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = text
    if data.charts:
        doc.add_heading("附图", level=2)
        for chart in data.charts:
            doc.add_picture(io.BytesIO(chart.png), width=Cm(15))
            para(chart.title, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- PDF
def render_pdf(data: BulletinData) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Image, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus import Paragraph as _Paragraph

    def Paragraph(text, style):  # noqa: N802 - stands in for reportlab's class
        return _Paragraph(mixed_markup(text), style)

    font = pdf_font()
    latin = pdf_latin_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    body = ParagraphStyle("body", parent=base, fontSize=12, leading=20, firstLineIndent=24)
    red_title = ParagraphStyle("redtitle", parent=base, fontSize=24, leading=32, alignment=TA_CENTER,
                               textColor=colors.HexColor("#C00000"))
    center = ParagraphStyle("center", parent=base, fontSize=13, leading=20, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=base, fontSize=17, leading=26, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", parent=base, fontSize=13, leading=22, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)

    story: list[Any] = [
        Paragraph(f"{data.scope_label}项目建设调度通报", red_title),
        Spacer(1, 4),
        Paragraph(data.number_label, center),
        Paragraph(f"{data.issuer}　　　　{cn_date(data.issued_on)}", center),
        HRFlowable(width="100%", thickness=1.5, color=colors.HexColor("#C00000"), spaceBefore=4, spaceAfter=10),
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
        table = Table([[Paragraph(h, cell) for h in header]] + [[Paragraph(c, cell) for c in r] for r in rows],
                      repeatRows=1, colWidths=[width / len(header)] * len(header))
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF2F7")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
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
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
                      title=data.title, author=data.issuer).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def render(data: BulletinData, fmt_: str) -> bytes:
    if fmt_ == "docx":
        return render_docx(data)
    if fmt_ == "pdf":
        return render_pdf(data)
    raise ValidationFailed("格式无效", fields={"format": [f"格式应为 docx 或 pdf：{fmt_}"]})


def filename(data: BulletinData, fmt_: str) -> str:
    return f"{data.scope_label}项目建设调度通报-{data.window.end:%Y%m}-{data.number_label}.{fmt_}"
