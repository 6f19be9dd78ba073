"""Rankings as configuration (``rankings.toml``): weighted terms over KPIs, size tiers, deductions,
separate groups and A/B/C/D grades by percentile. Every row carries its own explanation."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Q

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.errors import ValidationFailed
from zonedesk.geo.models import Zone
from zonedesk.geo.selectors import zone_short_name

from .metrics import KpiConfig, Scope, Window, compute_kpis_by, get_config

RANKING_FILE = Path(__file__).with_name("rankings.toml")


@dataclass(frozen=True)
class Tier:
    key: str
    name: str
    min_wan: Decimal | None = None
    max_wan: Decimal | None = None

    def q(self) -> Q | None:
        q = Q()
        if self.min_wan is not None:
            q &= Q(total_investment_wan__gte=self.min_wan)
        if self.max_wan is not None:
            q &= Q(total_investment_wan__lt=self.max_wan)
        return q if q.children else None


@dataclass(frozen=True)
class Term:
    key: str
    kpi: str
    tier: str
    weight: Decimal
    benchmark: Decimal
    cap: Decimal


@dataclass(frozen=True)
class Deduction:
    key: str
    kpi: str
    tier: str
    per: Decimal


@dataclass(frozen=True)
class Scheme:
    name: str
    entity: str
    separate_by: str
    red_black_size: int
    tiers: dict[str, Tier]
    terms: tuple[Term, ...]
    deductions: tuple[Deduction, ...]
    grades: tuple[tuple[str, Decimal], ...]


def _fail(where: str, message: str) -> ValidationFailed:
    return ValidationFailed("排名配置有误", fields={where: [message]})


def _dec(spec: dict, key: str, where: str, default: Any = ...) -> Decimal:
    if key not in spec:
        if default is ...:
            raise _fail(where, f"缺少 {key}")
        return default
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"{key} 应为数字：{value!r}")
    return Decimal(str(value))


def parse_scheme(data: dict[str, Any], kpis: KpiConfig) -> Scheme:
    head = data.get("scheme") or {}
    entity = head.get("entity", "zone")
    if entity not in ("zone", "unit"):
        raise _fail("scheme.entity", f"entity 应为 zone 或 unit：{entity}")
    separate_by = head.get("separate_by", "none")
    if separate_by not in ("level", "none") or (separate_by == "level" and entity != "zone"):
        raise _fail("scheme.separate_by", f"separate_by 应为 level（仅开发区）或 none：{separate_by}")
    tiers = {}
    for key, spec in (data.get("tiers") or {"all": {"name": "全部项目"}}).items():
        tiers[key] = Tier(
            key,
            spec.get("name", key),
            _dec(spec, "min_wan", f"tiers.{key}", None),
            _dec(spec, "max_wan", f"tiers.{key}", None),
        )
    terms = []
    for n, spec in enumerate(data.get("terms") or [], 1):
        where = f"terms[{n}]"
        kpi = spec.get("kpi")
        if kpi not in kpis.kpis:
            raise _fail(where, f"未定义的指标：{kpi}")
        tier = spec.get("tier", "all")
        if tier not in tiers:
            raise _fail(where, f"未定义的规模档：{tier}")
        benchmark = _dec(spec, "benchmark", where)
        if benchmark <= 0:
            raise _fail(where, "benchmark 应大于 0")
        terms.append(
            Term(
                spec.get("key", kpi),
                kpi,
                tier,
                _dec(spec, "weight", where),
                benchmark,
                _dec(spec, "cap", where, Decimal(1)),
            )
        )
    if not terms:
        raise _fail("terms", "至少需要一个计分项 [[terms]]")
    deductions = []
    for n, spec in enumerate(data.get("deductions") or [], 1):
        where = f"deductions[{n}]"
        if spec.get("kpi") not in kpis.kpis:
            raise _fail(where, f"未定义的指标：{spec.get('kpi')}")
        tier = spec.get("tier", "all")
        if tier not in tiers:
            raise _fail(where, f"未定义的规模档：{tier}")
        deductions.append(
            Deduction(spec.get("key", spec["kpi"]), spec["kpi"], tier, _dec(spec, "per", where))
        )
    grades = [(g.get("grade"), _dec(g, "upto_pct", "grades")) for g in data.get("grades") or []]
    if not grades or grades[-1][1] != 100 or [p for _, p in grades] != sorted(p for _, p in grades):
        raise _fail("grades", "等次应按 upto_pct 递增排列，最后一档为 100")
    return Scheme(
        head.get("name", "综合排名"),
        entity,
        separate_by,
        int(head.get("red_black_size", 3)),
        tiers,
        tuple(terms),
        tuple(deductions),
        tuple(grades),
    )


def load_scheme(path: Path | str | None = None, kpis: KpiConfig | None = None) -> Scheme:
    path = Path(path) if path else RANKING_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path.name, f"TOML 格式错误：{exc}") from exc
    return parse_scheme(data, kpis or get_config())


@lru_cache(maxsize=1)
def get_scheme() -> Scheme:
    return load_scheme()


@dataclass
class TermResult:
    key: str
    name: str
    tier: str
    input: Decimal | None
    unit: str
    formula: str
    contribution: Decimal


@dataclass
class RankingRow:
    entity_id: int
    name: str
    group: str
    score: Decimal = Decimal(0)
    rank: int = 0
    grade: str = ""
    terms: list[TermResult] = field(default_factory=list)

    def explanation(self) -> str:
        parts = [f"{t.name}（{t.tier}）：{t.formula}" for t in self.terms]
        return "；".join(parts) + f"；合计 {self.score}"


Q2 = Decimal("0.01")
Q4 = Decimal("0.0001")


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return "无数据"
    return format(d.quantize(Q2, rounding=ROUND_HALF_UP).normalize(), "f")


def _entities(scope: Scope, entity: str) -> list[tuple[int, str, str]]:
    if entity == "zone":
        qs = restrict(scope.user, "view", Zone)
        if scope.zone_ids is not None:
            qs = qs.filter(pk__in=scope.zone_ids)
        return [(z.pk, zone_short_name(z), str(z.get_level_display())) for z in qs]
    qs = restrict(scope.user, "view", OrgUnit).exclude(kind="zone_committee").filter(zone__isnull=False)
    if scope.zone_ids is not None:
        qs = qs.filter(zone_id__in=scope.zone_ids)
    return [(u.pk, u.short_name or u.name, "") for u in qs]


def compute_ranking(
    scope: Scope,
    window: Window,
    *,
    scheme: Scheme | None = None,
    kpis: KpiConfig | None = None,
    entity: str | None = None,
) -> list[RankingRow]:
    """Score, rank and grade every entity in the scope; rows come in group order, then rank.
    ``entity`` ranks units (a zone's bulletin) or zones (a city's) with the same terms."""
    kpis = kpis or get_config()
    scheme = scheme or get_scheme()
    if entity and entity != scheme.entity:
        scheme = replace(
            scheme, entity=entity, separate_by=scheme.separate_by if entity == "zone" else "none"
        )
    group_by = scheme.entity
    needed: dict[str, set[str]] = {}
    for item in (*scheme.terms, *scheme.deductions):
        needed.setdefault(item.tier, set()).add(item.kpi)
    by_tier = {}
    for tier_key, keys in needed.items():
        tier = scheme.tiers[tier_key]
        tier_q = tier.q()
        tier_scope = Scope(
            scope.user,
            scope.zone_ids,
            tier_q
            if scope.project_q is None
            else (scope.project_q & tier_q if tier_q is not None else scope.project_q),
        )
        by_tier[tier_key] = compute_kpis_by(tier_scope, window, group_by, keys=sorted(keys), config=kpis)

    rows = []
    for entity_id, name, group in _entities(scope, scheme.entity):
        row = RankingRow(entity_id, name, group if scheme.separate_by == "level" else "")
        total = Decimal(0)
        for term in scheme.terms:
            kv = by_tier[term.tier].get(entity_id, {}).get(term.kpi)
            value = kv.value if kv else None
            kpi = kpis.kpis[term.kpi]
            if value is None:
                contribution = Decimal(0)
                formula = "无数据 → 0"
            else:
                ratio = (
                    (value / term.benchmark)
                    if kpi.direction == "higher"
                    else (term.benchmark / value if value > 0 else term.cap)
                )
                ratio = min(ratio, term.cap)
                if ratio < 0:
                    ratio = Decimal(0)
                contribution = (term.weight * ratio).quantize(Q4, rounding=ROUND_HALF_UP)
                shown = (
                    f"{_fmt(value)} ÷ {_fmt(term.benchmark)}"
                    if kpi.direction == "higher"
                    else f"{_fmt(term.benchmark)} ÷ {_fmt(value)}"
                )
                formula = f"{_fmt(term.weight)} × min({shown}, {_fmt(term.cap)}) = {_fmt(contribution)}"
            total += contribution
            row.terms.append(
                TermResult(
                    term.key, kpi.name, scheme.tiers[term.tier].name, value, kpi.unit, formula, contribution
                )
            )
        for d in scheme.deductions:
            kv = by_tier[d.tier].get(entity_id, {}).get(d.kpi)
            value = kv.value if kv and kv.value is not None else Decimal(0)
            kpi = kpis.kpis[d.kpi]
            contribution = -(d.per * value).quantize(Q4, rounding=ROUND_HALF_UP)
            formula = f"−{_fmt(d.per)} × {_fmt(value)} = {_fmt(contribution)}"
            total += contribution
            row.terms.append(
                TermResult(
                    d.key,
                    f"扣分：{kpi.name}",
                    scheme.tiers[d.tier].name,
                    value,
                    kpi.unit,
                    formula,
                    contribution,
                )
            )
        row.score = total.quantize(Q2, rounding=ROUND_HALF_UP)
        rows.append(row)

    groups: dict[str, list[RankingRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    out = []
    for group in sorted(groups):
        members = sorted(groups[group], key=lambda r: (-r.score, r.name))
        n = len(members)
        for i, row in enumerate(members, 1):
            # Ties share a rank (1, 2, 2, 4).
            row.rank = members[i - 2].rank if i > 1 and members[i - 2].score == row.score else i
            # Mid-rank percentile: a lone entity sits at 50 %, the last of 20 at 97.5 % (bottom 5 %).
            pct = (Decimal(row.rank) - Decimal("0.5")) * 100 / Decimal(n)
            row.grade = next(g for g, upto in scheme.grades if pct <= upto)
        out.extend(members)
    return out


def red_black(rows: list[RankingRow], size: int) -> tuple[list[RankingRow], list[RankingRow]]:
    """红榜 (the top ``size``) and 黑榜 (the bottom ``size``, worst first), across all groups by score."""
    ordered = sorted(rows, key=lambda r: (-r.score, r.name))
    size = min(size, len(ordered) // 2)
    return ordered[:size], list(reversed(ordered[-size:])) if size else []
