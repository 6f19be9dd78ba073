"""Indicators: each KPI's formula evaluated over its measures' values, for the whole scope or per zone,
unit, chain or officer. Values are rounded to 0.01 once, at the end; later KPIs read earlier ones
unrounded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, localcontext
from typing import Any

from django.utils.translation import gettext as _

from zonedesk.core.errors import ValidationFailed

from ..periods import Window
from .aggregate import compute_measures
from .config import Kpi, KpiConfig, Measure, get_config
from .derived import reuse
from .language import evaluate_formula
from .scope import GROUPINGS, Scope

CENT = Decimal("0.01")


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
            value = evaluate_formula(kpi.tree, env)
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
    scope: Scope,
    window: Window,
    *,
    keys: list[str] | None = None,
    config: KpiConfig | None = None,
    engine: Any = None,
) -> dict[str, KpiValue]:
    """The KPIs for the whole scope. ``engine``: the measure evaluator (default ``compute_measures``;
    the agreement test passes ``compute_measures_in_python``)."""
    config = config or get_config()
    with reuse():
        computed = (engine or compute_measures)(
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
    engine: Any = None,
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
        per_measure = (engine or compute_measures)(
            [config.measures[m] for m in sorted(_needed_measures(config, keys))], scope, window, group_by
        )
    groups: set[Any] = set()
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
