"""Dispatch metrics (调度指标): ``kpis.toml`` defines measures (aggregates over the data) and indicators
(formulas over measures). Where each part lives:

    language     the rule language, parsed once into data (conditions, aggregates, formulas)
    config       kpis.toml checked against the schema (KpiConfig, get_config)
    conditions   what a condition means, in SQL and in Python (and the named rules)
    scope        whose rows: the gate, zones, a condition on projects; the groupings
    derived      per-project values from plans and reports (plan_year_wan, ytd_done_wan, …)
    aggregate    measures computed (one engine, and the Python reference it is tested against)
    indicators   KPI formulas over measures, whole scope or grouped

Every figure starts from ``restrict(user, "view", Model)``."""

from zonedesk.core.median import median

from ..periods import Window
from .aggregate import compute_measure, compute_measures, compute_measures_in_python
from .config import (
    KPI_FILE,
    TOML_LABELS,
    TOML_UNITS,
    Kpi,
    KpiConfig,
    KpiConfigError,
    Measure,
    get_config,
    load_config,
    parse_config,
)
from .derived import carry_forward, derived_values, reuse, ytd_done_by_end
from .indicators import KpiValue, compute_kpis, compute_kpis_by, evaluate_kpis, round2
from .language import Predicate
from .scope import GROUPINGS, Scope, base_queryset

__all__ = [
    "GROUPINGS",
    "KPI_FILE",
    "TOML_LABELS",
    "TOML_UNITS",
    "Kpi",
    "KpiConfig",
    "KpiConfigError",
    "KpiValue",
    "Measure",
    "Predicate",
    "Scope",
    "Window",
    "base_queryset",
    "carry_forward",
    "compute_kpis",
    "compute_kpis_by",
    "compute_measure",
    "compute_measures",
    "compute_measures_in_python",
    "derived_values",
    "evaluate_kpis",
    "get_config",
    "load_config",
    "median",
    "parse_config",
    "reuse",
    "round2",
    "ytd_done_by_end",
]
