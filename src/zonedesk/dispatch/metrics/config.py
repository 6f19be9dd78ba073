"""``kpis.toml`` checked against its schema and turned into a ``KpiConfig``: measures (aggregates over a
source, with conditions) and indicators (formulas over measures). The sentences inside the file are
parsed by ``language``; this module checks that what they name exists, and reports a mistake in Chinese
naming the key ("measures.x", "kpi[3]")."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_noop, pgettext_lazy

from zonedesk.core.errors import ValidationFailed
from zonedesk.projects.models import Project

from ..models import AnnualPlan, CoordinationIssue, ProgressReport
from .conditions import RULES
from .language import (
    DATE_ANCHORS,
    ParseError,
    Predicate,
    formula_names,
    parse_aggregate,
    parse_condition,
    parse_formula,
)

KPI_FILE = Path(__file__).resolve().parent.parent / "kpis.toml"
SOURCES = ("projects", "reports", "issues", "plans")
MODELS = {"projects": Project, "reports": ProgressReport, "issues": CoordinationIssue, "plans": AnnualPlan}
DIRECTIONS = ("higher", "lower")
PERIODS = ("period", "ytd", "as_of")
# Per-project values the file can use like fields of projects (see ``derived``).
DERIVED = ("plan_year_wan", "ytd_done_wan", "funds_wan", "resumed")
BUILTINS = ("elapsed_pct",)

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
    tree: Any = field(compare=False, repr=False)  # language.Num / Ref / Neg / BinOp


@dataclass(frozen=True)
class KpiConfig:
    measures: dict[str, Measure]
    kpis: dict[str, Kpi]


def _fail(where: str, message: str) -> KpiConfigError:
    return KpiConfigError("指标配置有误", fields={where: [message]})


def field_ok(source: str, name: str) -> bool:
    if source == "projects" and name in DERIVED:
        return True
    model: Any = MODELS[source]
    parts = name.split("__")
    for i, part in enumerate(parts):
        if model is None:
            return False
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        model = f.related_model if f.is_relation else None
        if model is None and i < len(parts) - 1:
            return False
    return True


def _condition(source: str, text: str, where: str) -> tuple[Predicate, ...]:
    try:
        clause = parse_condition(text)
    except ParseError as exc:
        raise _fail(where, str(exc)) from None
    for p in clause:
        if p.op == "rule":
            if p.field not in RULES:
                raise _fail(where, f"未知的规则：{p.field}（可用：{'、'.join(RULES)}）")
            if source != "projects":
                raise _fail(where, f"规则 {p.field} 只能用于 projects 数据源")
            if p.operand not in DATE_ANCHORS:
                raise _fail(
                    where,
                    f"规则 {p.field} 的日期应为 {'、'.join(DATE_ANCHORS)} 之一：{p.operand or '（空）'}",
                )
        elif not field_ok(source, p.field):
            raise _fail(where, f"数据源 {source} 没有字段 {p.field}")
    return clause


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
        try:
            aggregate = parse_aggregate(str(spec.get("aggregate", "")).strip())
        except ParseError as exc:
            raise _fail(where, str(exc)) from None
        for f in aggregate.fields:
            if not field_ok(source, f):
                raise _fail(where, f"数据源 {source} 没有字段 {f}")
        conds = spec.get("where", [])
        if not isinstance(conds, list) or not all(isinstance(c, str) for c in conds):
            raise _fail(where, "where 应为字符串列表")
        measures[key] = Measure(
            key, source, aggregate.kind, aggregate.fields, tuple(_condition(source, c, where) for c in conds)
        )

    kpis: dict[str, Kpi] = {}
    raw_kpis = data.get("kpi")
    if not isinstance(raw_kpis, list) or not raw_kpis:
        raise _fail("kpi", "缺少 [[kpi]] 指标定义")
    required = ("key", "name", "formula", "unit", "direction", "period")
    for n, spec in enumerate(raw_kpis, 1):
        where = f"kpi[{n}]"
        if not isinstance(spec, dict):
            raise _fail(where, "指标应为表")
        missing = [k for k in required if not isinstance(spec.get(k), str) or not str(spec[k]).strip()]
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
            tree = parse_formula(spec["formula"])
        except ParseError as exc:
            raise _fail(where, str(exc)) from None
        names = formula_names(tree)
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
