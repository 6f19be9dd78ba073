"""KPIs as configuration: ``kpis.toml`` defines measures (aggregates over the data) and indicators
(formulas over measures). Loading checks the file against the schema below; computing runs one
grouped aggregate query per measure, always starting from ``restrict(user, "view", Model)``."""

from __future__ import annotations

import ast
import datetime as dt
import re
import statistics
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Count, DateField, DecimalField, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value,
)
from django.db.models.functions import Coalesce

from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.projects.models import Project

from .models import AnnualPlan, CoordinationIssue, ProgressReport

KPI_FILE = Path(__file__).with_name("kpis.toml")
SOURCES = ("projects", "reports", "issues", "plans")
DIRECTIONS = ("higher", "lower")
PERIODS = ("period", "ytd", "as_of")
DERIVED = ("plan_year_wan", "ytd_done_wan", "funds_wan", "resumed")
BUILTINS = ("elapsed_pct",)
GROUPINGS = ("zone", "unit", "chain", "officer")
# How each source reaches the grouping fields.
GROUP_PATHS = {
    "projects": {"zone": "zone_id", "unit": "pursuing_unit_id", "chain": "chain_node", "officer": "responsible_officer_id"},
    "reports": {"zone": "zone_id", "unit": "project__pursuing_unit_id", "chain": "project__chain_node",
                "officer": "project__responsible_officer_id"},
    "issues": {"zone": "zone_id", "unit": "owner_unit_id", "chain": "project__chain_node",
               "officer": "project__responsible_officer_id"},
    "plans": {"zone": "zone_id", "unit": "project__pursuing_unit_id", "chain": "project__chain_node",
              "officer": "project__responsible_officer_id"},
}
MODELS = {"projects": Project, "reports": ProgressReport, "issues": CoordinationIssue, "plans": AnnualPlan}
PROJECT_PATH = {"projects": "", "reports": "project__", "issues": "project__", "plans": "project__"}
CENT = Decimal("0.01")


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

    @classmethod
    def parse(cls, text: str) -> "Window":
        """"2026-10" (a month), "2026-W42" (an ISO week) or "2026" (a year)."""
        text = (text or "").strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValidationFailed("期次无效", fields={"period": [f"月份应为 1–12：{text}"]})
            start = dt.date(year, month, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return cls(start, end, f"{year}年{month}月")
        m = re.fullmatch(r"(\d{4})-W(\d{1,2})", text, re.I)
        if m:
            try:
                start = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            except ValueError:
                raise ValidationFailed("期次无效", fields={"period": [f"周次无效：{text}"]})
            return cls(start, start + dt.timedelta(days=6), f"{m.group(1)}年第{int(m.group(2))}周")
        m = re.fullmatch(r"(\d{4})", text)
        if m:
            year = int(m.group(1))
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")
        raise ValidationFailed("期次格式无效", fields={"period": [f"期次应写作 2026-10、2026-W42 或 2026：{text}"]})


# ---------------------------------------------------------------------------- configuration
PREDICATE = re.compile(r"^\s*([a-z_][a-z0-9_]*(?:__[a-z_][a-z0-9_]*)*)\s+(not in|in|is not|is|<=|>=|!=|=|<|>)\s+(.+?)\s*$")
AGGREGATE = re.compile(r"^(count|sum\(\s*([a-z_][a-z0-9_]*)\s*\)|median_days\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\))$")
DATE_ANCHORS = ("period_start", "period_end", "year_start")


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str
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
        raise _fail(where, f"无法识别的取值：{text}")


def _parse_predicate(source: str, text: str, where: str) -> tuple[Predicate, ...]:
    clauses = []
    for part in re.split(r"\s+or\s+", text):
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
        elif isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Load,
                               ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)):
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
            raise _fail(where, f"aggregate 应为 count、sum(字段) 或 median_days(起, 止)：{spec.get('aggregate')}")
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
        measures[key] = Measure(key, source, agg, fields_, tuple(_parse_predicate(source, c, where) for c in conds))

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
            raise _fail(where, f"公式无法解析：{spec['formula']}")
        names = _formula_names(tree, where)
        unknown = [x for x in names if x not in measures and x not in kpis and x not in BUILTINS]
        if unknown:
            raise _fail(where, f"公式引用了未定义的名称：{', '.join(unknown)}")
        kpis[key] = Kpi(key, spec["name"], spec["formula"], spec["unit"], spec["direction"], spec["period"],
                        spec.get("description", ""), names, tree)
    return KpiConfig(measures, kpis)


def load_config(path: Path | str | None = None) -> KpiConfig:
    path = Path(path) if path else KPI_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path.name), f"TOML 格式错误：{exc}")
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
    return {"period_start": window.start, "period_end": window.end, "year_start": window.year_start}[name]


def _predicate_q(p: Predicate, window: Window) -> Q:
    name = p.field
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


def _project_annotations(user: Any, window: Window, wanted: set[str]) -> dict[str, Any]:
    money = DecimalField(max_digits=16, decimal_places=2)
    out: dict[str, Any] = {}
    reports = restrict(user, "view", ProgressReport).filter(project=OuterRef("pk"))
    if "plan_year_wan" in wanted:
        plans = (
            restrict(user, "view", AnnualPlan).filter(project=OuterRef("pk"), year=window.year)
            .order_by().values("project").annotate(total=Sum("amount_wan")).values("total")
        )
        out["plan_year_wan"] = Coalesce(Subquery(plans, output_field=money), Value(Decimal(0)), output_field=money)
    if "ytd_done_wan" in wanted:
        latest = (
            reports.filter(period__end__gte=window.year_start, period__end__lte=window.end)
            .order_by("-period__end", "-id").values("investment_cumulative_wan")[:1]
        )
        out["ytd_done_wan"] = Coalesce(Subquery(latest, output_field=money), Value(Decimal(0)), output_field=money)
    if "funds_wan" in wanted:
        latest = (
            reports.filter(period__end__lte=window.end, funds_in_place_wan__isnull=False)
            .order_by("-period__end", "-id").values("funds_in_place_wan")[:1]
        )
        out["funds_wan"] = Coalesce(Subquery(latest, output_field=money), Value(Decimal(0)), output_field=money)
    if "resumed" in wanted:
        out["resumed"] = Exists(
            reports.filter(period__end__gte=window.year_start, period__end__lte=window.end, investment_period_wan__gt=0)
        )
    return out


def base_queryset(source: str, scope: Scope) -> Any:
    """The rows of ``source`` the scope may see: the gate, then the zones, then the project filter."""
    qs = restrict(scope.user, "view", MODELS[source])
    if scope.zone_ids is not None:
        qs = qs.filter(zone_id__in=scope.zone_ids)
    if source != "projects":
        # Records about a project count only when the project itself is visible to the reader.
        visible = restrict(scope.user, "view", Project).values("pk")
        qs = qs.filter(Q(project__isnull=True) | Q(project__in=visible)) if source == "issues" else qs.filter(project__in=visible)
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


def compute_measure(measure: Measure, scope: Scope, window: Window, group_by: str | None = None) -> dict[Any, Decimal | None]:
    """One grouped aggregate: {group key (or None for the whole scope): value}."""
    qs = base_queryset(measure.source, scope)
    derived = measure.derived_used()
    if derived:
        qs = qs.annotate(**_project_annotations(scope.user, window, derived))
    qs = qs.filter(_measure_q(measure, window))
    group = GROUP_PATHS[measure.source][group_by] if group_by else None
    if measure.aggregate == "median_days":
        start, stop = measure.fields
        qs = qs.filter(**{f"{start}__isnull": False, f"{stop}__isnull": False}).annotate(
            _days=ExpressionWrapper(F(stop) - F(start), output_field=DurationField())
        )
        values: dict[Any, list[int]] = {}
        for key, days in qs.values_list(group, "_days") if group else ((None, d) for d in qs.values_list("_days", flat=True)):
            values.setdefault(key, []).append(days.days if isinstance(days, dt.timedelta) else int(days))
        return {k: Decimal(str(statistics.median(v))) for k, v in values.items()}
    agg = Count("pk") if measure.aggregate == "count" else Sum(measure.fields[0])
    if group:
        rows = qs.order_by().values(group).annotate(_v=agg).values_list(group, "_v")
        return {k: Decimal(v) if v is not None else Decimal(0) for k, v in rows}
    value = qs.aggregate(_v=agg)["_v"]
    return {None: Decimal(value) if value is not None else Decimal(0)}


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


def evaluate_kpis(config: KpiConfig, measure_values: dict[str, Decimal | None], window: Window,
                  keys: list[str] | None = None) -> dict[str, KpiValue]:
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


def compute_kpis(scope: Scope, window: Window, *, keys: list[str] | None = None,
                 config: KpiConfig | None = None) -> dict[str, KpiValue]:
    """The KPIs for the whole scope."""
    config = config or get_config()
    values = {m: compute_measure(config.measures[m], scope, window).get(None, _empty(config.measures[m]))
              for m in _needed_measures(config, keys)}
    return evaluate_kpis(config, values, window, keys)


def compute_kpis_by(scope: Scope, window: Window, group_by: str, *, keys: list[str] | None = None,
                    config: KpiConfig | None = None) -> dict[Any, dict[str, KpiValue]]:
    """The KPIs per zone, unit, chain or officer: {group key: {kpi key: value}}."""
    if group_by not in GROUPINGS:
        raise ValidationFailed("分组无效", fields={"group_by": [f"分组应为 {'/'.join(GROUPINGS)}：{group_by}"]})
    config = config or get_config()
    per_measure = {m: compute_measure(config.measures[m], scope, window, group_by)
                   for m in _needed_measures(config, keys)}
    groups = set()
    for values in per_measure.values():
        groups.update(values)
    groups.discard(None)
    groups.discard("")
    return {
        g: evaluate_kpis(config, {m: v.get(g, _empty(config.measures[m])) for m, v in per_measure.items()}, window, keys)
        for g in groups
    }
