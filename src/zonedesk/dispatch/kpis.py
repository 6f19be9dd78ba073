"""KPIs as configuration: ``kpis.toml`` defines measures (aggregates over the data) and indicators
(formulas over measures). Loading checks the file against the schema below; computing runs one
grouped aggregate query per measure, always starting from ``restrict(user, "view", Model)``."""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
import statistics
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Field, Max, Q, Sum, Value
from django.utils.translation import get_language, gettext_noop, pgettext_lazy
from django.utils.translation import gettext as _

from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.projects.models import Project
from zonedesk.projects.selectors import overdue_start_q

from .models import AnnualPlan, CoordinationIssue, ProgressReport, ReportingPeriod

KPI_FILE = Path(__file__).with_name("kpis.toml")
SOURCES = ("projects", "reports", "issues", "plans")
DIRECTIONS = ("higher", "lower")
PERIODS = ("period", "ytd", "as_of")
DERIVED = ("plan_year_wan", "ytd_done_wan", "funds_wan", "resumed")
BUILTINS = ("elapsed_pct",)
# Rules the file names instead of restating them ("overdue_start(period_end)"): a condition over projects
# that a page lists too, so a KPI counts exactly what its link opens (the project ledger's filter).
RULES = {"overdue_start": overdue_start_q}
GROUPINGS = ("zone", "unit", "chain", "officer")
# How each source reaches the grouping fields.
GROUP_PATHS = {
    "projects": {
        "zone": "zone_id",
        "unit": "pursuing_unit_id",
        "chain": "chain_node",
        "officer": "responsible_officer_id",
    },
    "reports": {
        "zone": "zone_id",
        "unit": "project__pursuing_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
    "issues": {
        "zone": "zone_id",
        "unit": "owner_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
    "plans": {
        "zone": "zone_id",
        "unit": "project__pursuing_unit_id",
        "chain": "project__chain_node",
        "officer": "project__responsible_officer_id",
    },
}
MODELS = {"projects": Project, "reports": ProgressReport, "issues": CoordinationIssue, "plans": AnnualPlan}
PROJECT_PATH = {"projects": "", "reports": "project__", "issues": "project__", "plans": "project__"}
CENT = Decimal("0.01")

# The dashboard shows kpis.toml's names, units and descriptions in the reader's language; the file
# stays Chinese (bulletins are Chinese), so its texts are listed here for the catalogue.
TOML_UNITS = (
    pgettext_lazy("指标单位", "个"),
    pgettext_lazy("指标单位", "万元"),
    pgettext_lazy("指标单位", "%"),
    pgettext_lazy("指标单位", "个百分点"),
    pgettext_lazy("指标单位", "天"),
)
TOML_LABELS = (
    gettext_noop("签约项目数"),
    gettext_noop("本年首次签约的项目（同一项目只计一次）"),
    gettext_noop("签约金额"),
    gettext_noop("本年首次签约项目的统计口径投资额（增资只计增资额）"),
    gettext_noop("新开工项目数"),
    gettext_noop("开工日期在本年内的项目"),
    gettext_noop("开工率"),
    gettext_noop("开工率 = 已开工 ÷ 计划开工（计划开工日期在本年初至期末、未终止的项目）"),
    gettext_noop("开复工率"),
    gettext_noop(
        "开复工率 = (计划开工已开工 + 续建已复工) ÷ (计划开工 + 续建)；续建项目本年报送投资即为复工"
    ),
    gettext_noop("投产率"),
    gettext_noop("投产率 = 已投产 ÷ 已开工（截至期末、未终止的项目）"),
    gettext_noop("资金到位率"),
    gettext_noop("资金到位率 = 累计到位资金 ÷ 合同（协议）投资额（截至期末已签约、未终止的项目）"),
    gettext_noop("年度计划投资完成率"),
    gettext_noop("本年累计完成投资 ÷ 年度计划投资（有本年计划的项目）"),
    gettext_noop("超过时间进度"),
    gettext_noop("年度计划投资完成率 − 时间进度（期末已过天数 ÷ 全年天数）；负数为落后于时间进度"),
    gettext_noop("办结率"),
    gettext_noop("办结率 = 已办结 ÷ 受理（本年提出的协调事项，截至期末办结）"),
    gettext_noop("签约至开工天数（中位数）"),
    gettext_noop("本年开工项目从首次签约到开工的天数中位数"),
    gettext_noop("开工至投产天数（中位数）"),
    gettext_noop("本年投产项目从开工到投产的天数中位数"),
    gettext_noop("超时限未开工项目数"),
    gettext_noop("计划开工日期已到（不晚于期末）仍未开工、未终止的项目"),
)


class KpiConfigError(ValidationFailed):
    pass


# ---------------------------------------------------------------------------- the window
@dataclass(frozen=True)
class Window:
    """The period a KPI is computed for: the period itself, and the year up to its end."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def as_of(self) -> dt.date:
        """The period's end, or today (Beijing) while the period is still running: a condition judged
        "by then" (超时限未开工) must not count what falls due later in the current month as late."""
        from .calendar import local_day

        return min(self.end, local_day())

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.end.year, 1, 1)

    @property
    def elapsed_share(self) -> Decimal:
        """Days elapsed in the year at the period's end ÷ days in the year."""
        days_in_year = (dt.date(self.year + 1, 1, 1) - self.year_start).days
        return Decimal((self.end - self.year_start).days + 1) / Decimal(days_in_year)

    @property
    def elapsed_pct(self) -> Decimal:
        return self.elapsed_share * 100

    @property
    def ytd_label(self) -> str:
        return f"{self.year}年1—{self.end.month}月" if self.end.month > 1 else f"{self.year}年1月"

    def display(self) -> str:
        """The window as pages show it: the Chinese label, or ISO-like text on English pages (``label``
        itself stays Chinese: bulletins and stored periods use it)."""
        if not (get_language() or "").startswith("en"):
            return self.label
        if self.start.month == 1 and self.start.day == 1 and self.end == dt.date(self.end.year, 12, 31):
            return str(self.end.year)
        if self.start.day == 1 and self.end.month == self.start.month:
            return f"{self.start:%b} {self.start.year}"
        iso = self.start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    def ytd_display(self) -> str:
        if not (get_language() or "").startswith("en"):
            return self.ytd_label
        return f"Jan–{self.end:%b} {self.year}" if self.end.month > 1 else f"Jan {self.year}"

    @classmethod
    def parse(cls, text: str) -> Window:
        """ "2026-10" (a month), "2026-W42" (an ISO week) or "2026" (a year)."""
        text = (text or "").strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValidationFailed(
                    _("期次无效"), fields={"period": [_("月份应为 1–12：%(text)s") % {"text": text}]}
                )
            start = dt.date(year, month, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return cls(start, end, f"{year}年{month}月")
        m = re.fullmatch(r"(\d{4})-W(\d{1,2})", text, re.I)
        if m:
            try:
                start = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            except ValueError:
                raise ValidationFailed(
                    _("期次无效"), fields={"period": [_("周次无效：%(text)s") % {"text": text}]}
                ) from None
            return cls(start, start + dt.timedelta(days=6), f"{m.group(1)}年第{int(m.group(2))}周")
        m = re.fullmatch(r"(\d{4})", text)
        if m:
            year = int(m.group(1))
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")
        raise ValidationFailed(
            _("期次格式无效"),
            fields={"period": [_("期次应写作 2026-10、2026-W42 或 2026：%(text)s") % {"text": text}]},
        )


# ---------------------------------------------------------------------------- configuration
PREDICATE = re.compile(
    r"^\s*([a-z_][a-z0-9_]*(?:__[a-z_][a-z0-9_]*)*)\s+(not in|in|is not|is|<=|>=|!=|=|<|>)\s+(.+?)\s*$"
)
RULE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\(\s*([a-z_]*)\s*\)\s*$")
AGGREGATE = re.compile(
    r"^(count|sum\(\s*([a-z_][a-z0-9_]*)\s*\)|median_days\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\))$"
)
DATE_ANCHORS = ("period_start", "period_end", "year_start", "as_of")


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str  # "rule": ``field`` names one of RULES, ``operand`` the date anchor it is applied on
    operand: Any  # a date anchor name, a window name, None, a number, a string or a tuple


@dataclass(frozen=True)
class Measure:
    key: str
    source: str
    aggregate: str  # count | sum | median_days
    fields: tuple[str, ...]
    where: tuple[tuple[Predicate, ...], ...]  # AND of ORs

    def derived_used(self) -> set[str]:
        names = {p.field for clause in self.where for p in clause} | set(self.fields)
        return names & set(DERIVED)


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    formula: str
    unit: str
    direction: str
    period: str
    description: str
    names: tuple[str, ...]
    tree: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class KpiConfig:
    measures: dict[str, Measure]
    kpis: dict[str, Kpi]


def _fail(where: str, message: str) -> KpiConfigError:
    return KpiConfigError("指标配置有误", fields={where: [message]})


def _field_ok(source: str, name: str) -> bool:
    if source == "projects" and name in DERIVED:
        return True
    model = MODELS[source]
    for part in name.split("__"):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        model = f.related_model if f.is_relation else None
        if model is None and part != name.split("__")[-1]:
            return False
    return True


def _parse_operand(text: str, where: str) -> Any:
    text = text.strip()
    if text in DATE_ANCHORS or text in ("period", "ytd"):
        return text
    if text in ("null", "not null"):
        return None
    if text.startswith("(") and text.endswith(")"):
        return tuple(_parse_operand(p, where) for p in text[1:-1].split(",") if p.strip())
    if (text.startswith("'") and text.endswith("'")) or (text.startswith('"') and text.endswith('"')):
        return text[1:-1]
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _fail(where, f"无法识别的取值：{text}") from None


def _parse_rule(source: str, name: str, anchor: str, where: str) -> Predicate:
    if name not in RULES:
        raise _fail(where, f"未知的规则：{name}（可用：{'、'.join(RULES)}）")
    if source != "projects":
        raise _fail(where, f"规则 {name} 只能用于 projects 数据源")
    if anchor not in DATE_ANCHORS:
        raise _fail(where, f"规则 {name} 的日期应为 {'、'.join(DATE_ANCHORS)} 之一：{anchor or '（空）'}")
    return Predicate(name, "rule", anchor)


def _parse_predicate(source: str, text: str, where: str) -> tuple[Predicate, ...]:
    m = RULE.match(text)
    if m:
        return (_parse_rule(source, *m.groups(), where),)
    clauses = []
    for part in re.split(r"\s+or\s+", text):
        if RULE.match(part):
            raise _fail(where, f"规则须单独写成一个条件，不能用 or 与其他条件连接：{text}")
        m = PREDICATE.match(part)
        if not m:
            raise _fail(where, f"条件写法无效：{part}（应为“字段 运算符 值”）")
        name, op, raw = m.groups()
        if not _field_ok(source, name):
            raise _fail(where, f"数据源 {source} 没有字段 {name}")
        operand = _parse_operand(raw, where)
        if op in ("in", "not in") and not (isinstance(operand, tuple) or operand in ("period", "ytd")):
            raise _fail(where, f"“{op}”后应为 period、ytd 或 (a, b) 列表：{part}")
        if op in ("is", "is not") and operand is not None:
            raise _fail(where, f"“is”后只能是 null：{part}")
        if raw.strip() == "not null":
            op, operand = "is not", None
        clauses.append(Predicate(name, op, operand))
    return tuple(clauses)


def _formula_names(tree: ast.AST, where: str) -> tuple[str, ...]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(
            node,
            (
                ast.Expression,
                ast.BinOp,
                ast.UnaryOp,
                ast.Constant,
                ast.Load,
                ast.Add,
                ast.Sub,
                ast.Mult,
                ast.Div,
                ast.USub,
                ast.UAdd,
            ),
        ):
            continue
        else:
            raise _fail(where, "公式只能使用 + − × ÷、括号、数字和指标/度量名称")
    return tuple(dict.fromkeys(names))


def parse_config(data: dict[str, Any]) -> KpiConfig:
    """Check a KPI file's contents against the schema and build the configuration."""
    measures: dict[str, Measure] = {}
    raw_measures = data.get("measures")
    if not isinstance(raw_measures, dict) or not raw_measures:
        raise _fail("measures", "缺少 [measures.*] 度量定义")
    for key, spec in raw_measures.items():
        where = f"measures.{key}"
        if not isinstance(spec, dict):
            raise _fail(where, "度量应为表")
        extra = set(spec) - {"source", "aggregate", "where"}
        if extra:
            raise _fail(where, f"未知的键：{', '.join(sorted(extra))}")
        source = spec.get("source")
        if source not in SOURCES:
            raise _fail(where, f"source 应为 {'/'.join(SOURCES)}：{source}")
        m = AGGREGATE.match(str(spec.get("aggregate", "")).strip())
        if not m:
            raise _fail(
                where, f"aggregate 应为 count、sum(字段) 或 median_days(起, 止)：{spec.get('aggregate')}"
            )
        if m.group(2):
            agg, fields_ = "sum", (m.group(2),)
        elif m.group(3):
            agg, fields_ = "median_days", (m.group(3), m.group(4))
        else:
            agg, fields_ = "count", ()
        for f in fields_:
            if not _field_ok(source, f):
                raise _fail(where, f"数据源 {source} 没有字段 {f}")
        conds = spec.get("where", [])
        if not isinstance(conds, list) or not all(isinstance(c, str) for c in conds):
            raise _fail(where, "where 应为字符串列表")
        measures[key] = Measure(
            key, source, agg, fields_, tuple(_parse_predicate(source, c, where) for c in conds)
        )

    kpis: dict[str, Kpi] = {}
    raw_kpis = data.get("kpi")
    if not isinstance(raw_kpis, list) or not raw_kpis:
        raise _fail("kpi", "缺少 [[kpi]] 指标定义")
    required = ("key", "name", "formula", "unit", "direction", "period")
    for n, spec in enumerate(raw_kpis, 1):
        where = f"kpi[{n}]"
        missing = [k for k in required if not isinstance(spec.get(k), str) or not spec.get(k).strip()]
        if missing:
            raise _fail(where, f"缺少或为空：{', '.join(missing)}")
        extra = set(spec) - set(required) - {"description"}
        if extra:
            raise _fail(where, f"未知的键：{', '.join(sorted(extra))}")
        key = spec["key"]
        if key in kpis:
            raise _fail(where, f"指标键重复：{key}")
        if spec["direction"] not in DIRECTIONS:
            raise _fail(where, f"direction 应为 higher 或 lower：{spec['direction']}")
        if spec["period"] not in PERIODS:
            raise _fail(where, f"period 应为 {'/'.join(PERIODS)}：{spec['period']}")
        try:
            tree = ast.parse(spec["formula"], mode="eval")
        except SyntaxError:
            raise _fail(where, f"公式无法解析：{spec['formula']}") from None
        names = _formula_names(tree, where)
        unknown = [x for x in names if x not in measures and x not in kpis and x not in BUILTINS]
        if unknown:
            raise _fail(where, f"公式引用了未定义的名称：{', '.join(unknown)}")
        kpis[key] = Kpi(
            key,
            spec["name"],
            spec["formula"],
            spec["unit"],
            spec["direction"],
            spec["period"],
            spec.get("description", ""),
            names,
            tree,
        )
    return KpiConfig(measures, kpis)


def load_config(path: Path | str | None = None) -> KpiConfig:
    path = Path(path) if path else KPI_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path.name), f"TOML 格式错误：{exc}") from exc
    return parse_config(data)


@lru_cache(maxsize=1)
def get_config() -> KpiConfig:
    return load_config()


# ---------------------------------------------------------------------------- computing
@dataclass
class Scope:
    """Whose data: the user (the gate), and optionally some zones and extra project conditions."""

    user: Any
    zone_ids: list[int] | None = None
    project_q: Q | None = None  # e.g. a size tier: Q(total_investment_wan__gte=10000)


def _anchor(window: Window, name: str) -> dt.date:
    if name == "as_of":
        return window.as_of
    return {"period_start": window.start, "period_end": window.end, "year_start": window.year_start}[name]


def _predicate_q(p: Predicate, window: Window) -> Q:
    name = p.field
    if p.op == "rule":
        return RULES[name](_anchor(window, p.operand))
    if p.op in ("is", "is not"):
        q = Q(**{f"{name}__isnull": True})
        return q if p.op == "is" else ~q
    if p.op in ("in", "not in"):
        if p.operand in ("period", "ytd"):
            lo = window.start if p.operand == "period" else window.year_start
            q = Q(**{f"{name}__gte": lo, f"{name}__lte": window.end})
        else:
            q = Q(**{f"{name}__in": [str(v) if isinstance(v, str) else v for v in p.operand]})
        return q if p.op == "in" else ~Q(q) & Q(**{f"{name}__isnull": False})
    value = _anchor(window, p.operand) if p.operand in DATE_ANCHORS else p.operand
    if p.op == "=":
        return Q(**{name: value})
    if p.op == "!=":
        return ~Q(**{name: value})
    lookup = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[p.op]
    return Q(**{f"{name}__{lookup}": value})


def _measure_q(measure: Measure, window: Window) -> Q:
    q = Q()
    for clause in measure.where:
        part = Q()
        for p in clause:
            part |= _predicate_q(p, window)
        q &= part
    return q


def base_queryset(source: str, scope: Scope) -> Any:
    """The rows of ``source`` the scope may see: the gate, then the zones, then the project filter."""
    qs = restrict(scope.user, "view", MODELS[source])
    if scope.zone_ids is not None:
        qs = qs.filter(zone_id__in=scope.zone_ids)
    if source != "projects":
        # Records about a project count only when the project itself is visible to the reader.
        visible = restrict(scope.user, "view", Project).values("pk")
        qs = (
            qs.filter(Q(project__isnull=True) | Q(project__in=visible))
            if source == "issues"
            else qs.filter(project__in=visible)
        )
    if scope.project_q is not None:
        qs = qs.filter(_prefix_q(scope.project_q, PROJECT_PATH[source]))
    return qs


def _prefix_q(q: Q, prefix: str) -> Q:
    if not prefix:
        return q
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [_prefix_q(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1]) for c in q.children]
    return out


# Per-project values the KPI file can use like fields (DERIVED). Each is one grouped query over the
# reader's visible records, merged with the projects in Python: a correlated subquery per project
# (the obvious SQL) costs a scan of plans or reports for every project.
_MEMO: ContextVar[dict | None] = ContextVar("dispatch_kpi_memo", default=None)


@contextmanager
def reuse() -> Iterator[None]:
    """Inside this block each derived value is computed once per reader, window and zones, and shared by
    KPIs, rankings and plan-vs-actual (a bulletin needs all three). Outside it nothing is kept."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


REPORT_DERIVED = ("ytd_done_wan", "funds_wan", "resumed")
FEW = 500  # ids in one IN list, well under any backend's limit on query parameters


def carry_forward(
    rows: Iterable[tuple[dt.date, int, int, Any]], ends: Iterable[dt.date], *, since: dt.date | None = None
) -> Iterator[tuple[dt.date, dict[int, Any]]]:
    """The one rule for a cumulative figure summed over projects (本年累计完成, 累计到位资金): as of a
    date, each project counts the value of its latest report up to that date — latest by period end, then
    by id (a second report of the same period wins) — so a project that did not report in a period keeps
    the figure of its previous report instead of dropping out of the sum. Reports before ``since`` (1
    January for 本年累计) do not count.

    ``rows``: (period end, report id, project id, value), in any order. Yields (end, {project id: value})
    for each of ``ends`` in ascending order; the dict is the same object each time (copy it to keep it)."""
    ordered = sorted(rows)  # by period end, then report id (unique): the last one seen is the latest
    latest: dict[int, Any] = {}
    i, n = 0, len(ordered)
    if since is not None:
        while i < n and ordered[i][0] < since:
            i += 1
    for end in sorted(ends):
        while i < n and ordered[i][0] <= end:
            _end, _id, project_id, value = ordered[i]
            latest[project_id] = value
            i += 1
        yield end, latest


def _reports_up_to(user: Any, window: Window, zone_ids: tuple[int, ...] | None) -> Any:
    reports = restrict(user, "view", ProgressReport).filter(period__end__lte=window.end)
    if zone_ids is not None:
        reports = reports.filter(project__zone_id__in=zone_ids)
    return reports


def _report_derived(user: Any, window: Window, zone_ids: tuple[int, ...] | None) -> dict[str, dict[int, Any]]:
    """The three values read from progress reports, in two queries over the reports up to the period's end.
      ytd_done_wan  本年累计完成: the cumulative of the project's latest report of this year (carry_forward);
      funds_wan     累计到位资金: of the latest report that states it (carry_forward, any year);
      resumed       a report this year with investment this period (复工).
    First, per project, the latest period end (with and without funds) and the count for "resumed";
    then the reports at those ends (carry_forward picks the latest of what they read)."""
    reports = _reports_up_to(user, window, zone_ids)
    heads = (
        reports.order_by()
        .values("project_id")
        .annotate(
            _last=Max("period__end"),
            _last_funds=Max("period__end", filter=Q(funds_in_place_wan__isnull=False)),
            _resumed=Count("pk", filter=Q(period__end__gte=window.year_start, investment_period_wan__gt=0)),
        )
        .values_list("project_id", "_last", "_last_funds", "_resumed")
    )
    last, last_funds, resumed = {}, {}, {}
    for project_id, end, funds_end, n_resumed in heads:
        if end >= window.year_start:
            last[project_id] = end
        if funds_end is not None:
            last_funds[project_id] = funds_end
        if n_resumed:
            resumed[project_id] = True
    wanted: dict[dt.date, set[int]] = {}
    for project_id, end in (*last.items(), *last_funds.items()):
        wanted.setdefault(end, set()).add(project_id)
    done: dict[int, Any] = {}
    funds: dict[int, Any] = {}
    if wanted:
        # Most projects' latest report is of the same period: read that period's reports whole, and of the
        # other periods only the projects whose latest they are (while those are few). Every project's
        # latest report is among the rows read, so carry_forward over them gives what it gives over all.
        common = max(wanted, key=lambda end: (len(wanted[end]), end))
        others = {end: ids for end, ids in wanted.items() if end != common}
        cond = Q(period__end=common)
        if sum(len(ids) for ids in others.values()) <= FEW:
            for end, ids in others.items():
                cond |= Q(period__end=end, project_id__in=sorted(ids))
        elif others:
            cond |= Q(period__end__in=sorted(others))
        rows = list(
            reports.filter(cond)
            .order_by()
            .values_list("project_id", "period__end", "pk", "investment_cumulative_wan", "funds_in_place_wan")
        )
        _end, done = next(
            carry_forward(
                [(end, pk, p, c) for p, end, pk, c, _f in rows], [window.end], since=window.year_start
            )
        )
        _end, funds = next(
            carry_forward([(end, pk, p, f) for p, end, pk, _c, f in rows if f is not None], [window.end])
        )
    return {"ytd_done_wan": done, "funds_wan": funds, "resumed": resumed}


def ytd_done_by_end(
    user: Any,
    window: Window,
    zone_ids: list[int] | tuple[int, ...] | None,
    ends: list[dt.date],
    projects: set[int] | None = None,
) -> Iterator[tuple[dt.date, dict[int, Any]]]:
    """本年累计完成 of every project (or of ``projects``) as of each of ``ends`` (within the window's year,
    ascending): the KPIs' ytd_done_wan rule (carry_forward) at several dates, for a trend. One query over
    the year's reports. The figures are numbers as the database returns them (float on SQLite, Decimal on
    PostgreSQL), for a chart: converting each of a city's 25 000 reports to Decimal costs more than the
    query."""
    zone_ids = tuple(sorted(zone_ids)) if zone_ids is not None else None
    reports = _reports_up_to(user, window, zone_ids).filter(period__end__gte=window.year_start)
    as_stored = ExpressionWrapper(F("investment_cumulative_wan"), output_field=Field())  # no converter
    # Read in carry_forward's order (period end, then id), so the position stands in for the id (one column
    # fewer to read) and carry_forward's sort has nothing to do.
    rows = list(
        reports.order_by("period__end", "pk")
        .annotate(_c=as_stored)
        .values_list("project_id", "period_id", "_c")
    )
    # Period ends by id from the (few) periods: reading each report's end date costs a conversion per row.
    period_ids = {r[1] for r in rows}
    end_of: dict[int, dt.date] = {}
    if len(period_ids) <= FEW:
        visible = restrict(user, "view", ReportingPeriod).filter(pk__in=period_ids)
        end_of = dict(visible.values_list("pk", "end"))
    if len(end_of) < len(period_ids):  # many periods, or some the reader sees only through their reports
        end_of.update(reports.order_by().values_list("period_id", "period__end").distinct())
    return carry_forward(
        [
            (end_of[period_id], i, p, c)
            for i, (p, period_id, c) in enumerate(rows)
            if projects is None or p in projects
        ],
        ends,
        since=window.year_start,
    )


def _plan_year(user: Any, window: Window, zone_ids: tuple[int, ...] | None) -> dict[int, Decimal]:
    """This year's plan per project: the sum of its months."""
    plans = restrict(user, "view", AnnualPlan).filter(year=window.year)
    if zone_ids is not None:
        plans = plans.filter(project__zone_id__in=zone_ids)
    return dict(
        plans.order_by().values("project_id").annotate(_t=Sum("amount_wan")).values_list("project_id", "_t")
    )


DERIVED_DEFAULTS = {
    "plan_year_wan": Decimal(0),
    "ytd_done_wan": Decimal(0),
    "funds_wan": Decimal(0),
    "resumed": False,
}


def derived_values(scope: Scope, window: Window, names: set[str] | list[str]) -> dict[str, dict[int, Any]]:
    """{derived name: {project id: value}}; a project missing from a dict has the value in DERIVED_DEFAULTS."""
    memo = _MEMO.get()
    zone_ids = tuple(sorted(scope.zone_ids)) if scope.zone_ids is not None else None
    user_key = getattr(scope.user, "pk", None) or id(scope.user)
    out = {}
    memo = {} if memo is None else memo
    for name in names:
        key = (user_key, window.year_start, window.end, zone_ids, name)
        if key not in memo:
            if name == "plan_year_wan":
                memo[key] = _plan_year(scope.user, window, zone_ids)
            elif name in REPORT_DERIVED:
                for other, values in _report_derived(scope.user, window, zone_ids).items():
                    memo[(user_key, window.year_start, window.end, zone_ids, other)] = values
            else:
                raise ValueError(f"unknown derived value {name}")
        out[name] = memo[key]
    return out


def _py_match(p: Predicate, value: Any, window: Window) -> bool:
    """A predicate tested in Python, with SQL's NULLs: nothing matches NULL except "is null" and "!="
    (Django's exclude keeps NULL rows, as the SQL path does)."""
    if p.op in ("is", "is not"):
        return (value is None) == (p.op == "is")
    if p.op in ("in", "not in"):
        if value is None:
            return False
        if p.operand in ("period", "ytd"):
            lo = window.start if p.operand == "period" else window.year_start
            inside = lo <= value <= window.end
        else:
            inside = value in p.operand
        return inside if p.op == "in" else not inside
    operand = _anchor(window, p.operand) if p.operand in DATE_ANCHORS else p.operand
    if p.op == "!=":
        return value is None or value != operand
    if value is None:
        return False
    try:
        return {
            "=": value == operand,
            "<": value < operand,
            "<=": value <= operand,
            ">": value > operand,
            ">=": value >= operand,
        }[p.op]
    except TypeError:
        return False


def _py_test(p: Predicate, window: Window) -> Any:
    """``_py_match`` for one predicate, with its operand worked out once (it runs per project row)."""
    if p.op in ("=", "<", "<=", ">", ">="):
        operand = _anchor(window, p.operand) if p.operand in DATE_ANCHORS else p.operand
        compare = {
            "=": operator.eq,
            "<": operator.lt,
            "<=": operator.le,
            ">": operator.gt,
            ">=": operator.ge,
        }[p.op]

        def test(value: Any) -> bool:
            if value is None:
                return False
            try:
                return compare(value, operand)
            except TypeError:
                return False

        return test
    return lambda value: _py_match(p, value, window)


def _py_clauses(clauses: list[tuple[Predicate, ...]], window: Window) -> Any:
    """A function of the row's values that tests every clause (AND of ORs), built once per measure."""
    compiled = [tuple((p.field, _py_test(p, window)) for p in clause) for clause in clauses]
    if all(len(c) == 1 for c in compiled):
        flat = [c[0] for c in compiled]
        return lambda env: all(test(env[name]) for name, test in flat)
    return lambda env: all(any(test(env[name]) for name, test in clause) for clause in compiled)


def _sql_part(measure: Measure, window: Window) -> tuple[Q, list[tuple[Predicate, ...]]]:
    """A measure's conditions split into those SQL tests and those that need a derived value."""
    q, rest = Q(), []
    for clause in measure.where:
        if any(p.field in DERIVED for p in clause):
            rest.append(clause)
            continue
        part = Q()
        for p in clause:
            part |= _predicate_q(p, window)
        q &= part
    return q, rest


def _condition(q: Q) -> Any:
    return ExpressionWrapper(q, output_field=BooleanField()) if q.children else Value(True)


def _reduce(measure: Measure, values: list[Any]) -> Decimal | None:
    if measure.aggregate == "count":
        return Decimal(len(values))
    if measure.aggregate == "sum":
        present = [v for v in values if v is not None]
        return Decimal(sum(present, Decimal(0))) if present else Decimal(0)
    return Decimal(str(statistics.median(values)))


def _days(start: Any, stop: Any) -> int:
    days = stop - start
    return days.days if isinstance(days, dt.timedelta) else int(days)


def compute_measures(
    measures: list[Measure], scope: Scope, window: Window, group_by: str | None = None
) -> dict[str, dict[Any, Decimal | None]]:
    """Every measure's {group key (or None for the whole scope): value}, in few queries: per source one
    query with a conditional aggregate per count/sum measure, one per median, and one pass over the
    projects for the measures that use derived values (each derived value itself one grouped query)."""
    out: dict[str, dict[Any, Decimal | None]] = {m.key: {} for m in measures}
    by_source: dict[str, list[Measure]] = {}
    for m in measures:
        by_source.setdefault(m.source, []).append(m)
    for source, group_ms in by_source.items():
        group = GROUP_PATHS[source][group_by] if group_by else None
        qs = base_queryset(source, scope)
        plain = [m for m in group_ms if m.aggregate != "median_days" and not m.derived_used()]
        if plain:
            aggs: dict[str, Any] = {}
            for i, m in enumerate(plain):
                q = _measure_q(m, window)
                cond = q if q.children else None
                aggs[f"_n{i}"] = Count("pk", filter=cond)
                if m.aggregate == "sum":
                    aggs[f"_s{i}"] = Sum(m.fields[0], filter=cond)
            rows = qs.order_by().values(group).annotate(**aggs) if group else [qs.aggregate(**aggs)]
            for row in rows:
                key = row[group] if group else None
                for i, m in enumerate(plain):
                    n = row[f"_n{i}"]
                    if group and not n:
                        continue  # like a filtered GROUP BY: a group with no matching row is absent
                    v = n if m.aggregate == "count" else row[f"_s{i}"]
                    out[m.key][key] = Decimal(v) if v is not None else Decimal(0)
        derived_ms = [m for m in group_ms if m.derived_used()]
        if derived_ms:
            # The derived pass reads every project row anyway: medians ride along instead of two more queries.
            derived_ms += [m for m in group_ms if m.aggregate == "median_days" and not m.derived_used()]
        for m in group_ms:
            if m.aggregate != "median_days" or m in derived_ms:
                continue
            start, stop = m.fields
            mq = qs.filter(_measure_q(m, window)).filter(
                **{f"{start}__isnull": False, f"{stop}__isnull": False}
            )
            collected: dict[Any, list[int]] = {}
            for row in mq.order_by().values_list(*([group] if group else []), start, stop):
                collected.setdefault(row[0] if group else None, []).append(_days(row[-2], row[-1]))
            out[m.key].update({k: _reduce(m, v) for k, v in collected.items()})
        if derived_ms:
            _compute_derived_measures(derived_ms, qs, group, scope, window, out)
    if group_by is None:
        for m in measures:
            out[m.key].setdefault(None, _reduce(m, []) if m.aggregate != "median_days" else None)
    return out


def _compute_derived_measures(
    measures: list[Measure],
    qs: Any,
    group: str | None,
    scope: Scope,
    window: Window,
    out: dict[str, dict[Any, Decimal | None]],
) -> None:
    """Measures over projects that test or sum derived values: SQL decides each measure's other
    conditions (one boolean column per measure), Python the derived ones."""
    derived = derived_values(scope, window, set().union(*(m.derived_used() for m in measures)))
    plans: list[tuple[Measure, list[tuple[Predicate, ...]], Any]] = []
    fields: list[str] = []
    annotations: dict[str, Any] = {}
    for i, m in enumerate(measures):
        q, rest = _sql_part(m, window)
        annotations[f"_ok{i}"] = _condition(q)
        plans.append((m, rest, _py_clauses(rest, window)))
        for name in [p.field for clause in rest for p in clause] + list(m.fields):
            if name not in DERIVED and name not in fields:
                fields.append(name)
    head = ["pk", group] if group else ["pk"]
    width = len(head) + len(fields)
    collected: list[dict[Any, list[Any]]] = [{} for _measure in measures]
    for row in qs.annotate(**annotations).order_by().values_list(*head, *fields, *annotations):
        pk, key = row[0], (row[1] if group else None)
        env = dict(zip(fields, row[len(head) : width]))
        for name, values in derived.items():
            env[name] = values.get(pk, DERIVED_DEFAULTS[name])
        oks = row[width:]
        for i, (m, _rest, test) in enumerate(plans):
            if not oks[i] or not test(env):
                continue
            if m.aggregate == "count":
                value = 1
            elif m.aggregate == "sum":
                value = env[m.fields[0]]
            else:
                a, b = env[m.fields[0]], env[m.fields[1]]
                if a is None or b is None:
                    continue
                value = _days(a, b)
            collected[i].setdefault(key, []).append(value)
    for i, (m, _rest, _test) in enumerate(plans):
        out[m.key].update({k: _reduce(m, v) for k, v in collected[i].items()})


def compute_measure(
    measure: Measure, scope: Scope, window: Window, group_by: str | None = None
) -> dict[Any, Decimal | None]:
    """One measure: {group key (or None for the whole scope): value}."""
    return compute_measures([measure], scope, window, group_by)[measure.key]


def _evaluate(node: ast.AST, env: dict[str, Decimal | None]) -> Decimal | None:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, env)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.UnaryOp):
        v = _evaluate(node.operand, env)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp):
        a, b = _evaluate(node.left, env), _evaluate(node.right, env)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            return None  # nothing to divide by: no value, shown as "—"
        return a / b
    raise ValueError("unsupported formula node")


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class KpiValue:
    kpi: Kpi
    value: Decimal | None
    inputs: dict[str, Decimal | None]


def evaluate_kpis(
    config: KpiConfig,
    measure_values: dict[str, Decimal | None],
    window: Window,
    keys: list[str] | None = None,
) -> dict[str, KpiValue]:
    env: dict[str, Decimal | None] = dict(measure_values)
    env["elapsed_pct"] = window.elapsed_pct
    out: dict[str, KpiValue] = {}
    with localcontext() as ctx:
        ctx.prec = 28
        ctx.traps[DivisionByZero] = False
        for key, kpi in config.kpis.items():
            value = _evaluate(kpi.tree, env)
            env[key] = value  # later KPIs use the unrounded value
            if keys is None or key in keys:
                out[key] = KpiValue(kpi, round2(value), {n: round2(env.get(n)) for n in kpi.names})
    return out


def _needed_measures(config: KpiConfig, keys: list[str] | None) -> set[str]:
    wanted: set[str] = set()
    todo = list(keys or config.kpis)
    while todo:
        k = todo.pop()
        if k in config.measures:
            wanted.add(k)
        elif k in config.kpis:
            todo.extend(config.kpis[k].names)
    return wanted


def _empty(measure: Measure) -> Decimal | None:
    """A measure's value where no row matched: 0 for counts and sums, none for a median."""
    return None if measure.aggregate == "median_days" else Decimal(0)


def compute_kpis(
    scope: Scope, window: Window, *, keys: list[str] | None = None, config: KpiConfig | None = None
) -> dict[str, KpiValue]:
    """The KPIs for the whole scope."""
    config = config or get_config()
    with reuse():
        computed = compute_measures(
            [config.measures[m] for m in sorted(_needed_measures(config, keys))], scope, window
        )
    values = {m: v.get(None, _empty(config.measures[m])) for m, v in computed.items()}
    return evaluate_kpis(config, values, window, keys)


def compute_kpis_by(
    scope: Scope,
    window: Window,
    group_by: str,
    *,
    keys: list[str] | None = None,
    config: KpiConfig | None = None,
) -> dict[Any, dict[str, KpiValue]]:
    """The KPIs per zone, unit, chain or officer: {group key: {kpi key: value}}."""
    if group_by not in GROUPINGS:
        raise ValidationFailed(
            _("分组无效"),
            fields={
                "group_by": [
                    _("分组应为 %(choices)s：%(value)s") % {"choices": "/".join(GROUPINGS), "value": group_by}
                ]
            },
        )
    config = config or get_config()
    with reuse():
        per_measure = compute_measures(
            [config.measures[m] for m in sorted(_needed_measures(config, keys))], scope, window, group_by
        )
    groups = set()
    for values in per_measure.values():
        groups.update(values)
    groups.discard(None)
    groups.discard("")
    return {
        g: evaluate_kpis(
            config, {m: v.get(g, _empty(config.measures[m])) for m, v in per_measure.items()}, window, keys
        )
        for g in groups
    }
