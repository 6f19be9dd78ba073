"""Measures computed: per source one grouped query with a conditional aggregate per count / sum measure,
one per median, and one pass over the projects for the measures that use derived values (SQL decides
their other conditions, Python the derived ones). ``compute_measures_in_python`` is the reference: it
reads the rows and decides every condition in Python; the agreement test compares the two."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum, Value

from zonedesk.core.median import median

from ..periods import Window
from .conditions import clauses_q, clauses_test, fields_read, predicate_q
from .config import DERIVED, Measure
from .derived import DERIVED_DEFAULTS, derived_values
from .language import Predicate
from .scope import GROUP_PATHS, Scope, base_queryset


def _sql_part(measure: Measure, window: Window) -> tuple[Q, list[tuple[Predicate, ...]]]:
    """A measure's conditions split into those SQL tests and those that need a derived value."""
    q, rest = Q(), []
    for clause in measure.where:
        if any(p.field in DERIVED for p in clause):
            rest.append(clause)
            continue
        part = Q()
        for p in clause:
            part |= predicate_q(p, window)
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
    return median(values)


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
                q = clauses_q(m.where, window)
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
            mq = qs.filter(clauses_q(m.where, window)).filter(
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
        plans.append((m, rest, clauses_test(rest, window)))
        for name in fields_read(rest) + list(m.fields):
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


def _value_of(m: Measure, env: dict[str, Any]) -> Any:
    """What one matching row adds to a measure; None when a median's row lacks one of its dates."""
    if m.aggregate == "count":
        return 1
    if m.aggregate == "sum":
        return env[m.fields[0]]
    a, b = env[m.fields[0]], env[m.fields[1]]
    return None if a is None or b is None else _days(a, b)


def compute_measures_in_python(
    measures: list[Measure], scope: Scope, window: Window, group_by: str | None = None
) -> dict[str, dict[Any, Decimal | None]]:
    """The reference evaluator: the same figures as ``compute_measures``, with every condition (rules too)
    decided in Python over the rows the scope may see. Slower (it reads every row); the agreement test
    runs every KPI through both."""
    out: dict[str, dict[Any, Decimal | None]] = {m.key: {} for m in measures}
    by_source: dict[str, list[Measure]] = {}
    for m in measures:
        by_source.setdefault(m.source, []).append(m)
    for source, group_ms in by_source.items():
        group = GROUP_PATHS[source][group_by] if group_by else None
        used = set().union(*(m.derived_used() for m in group_ms))
        derived = derived_values(scope, window, used) if used else {}
        fields: list[str] = []
        for m in group_ms:
            for name in fields_read(m.where) + list(m.fields):
                if name not in DERIVED and name not in fields:
                    fields.append(name)
        head = ["pk", group] if group else ["pk"]
        tests = [clauses_test(m.where, window) for m in group_ms]
        collected: list[dict[Any, list[Any]]] = [{} for _measure in group_ms]
        for row in base_queryset(source, scope).order_by().values_list(*head, *fields):
            pk, key = row[0], (row[1] if group else None)
            env = dict(zip(fields, row[len(head) :]))
            for name, values in derived.items():
                env[name] = values.get(pk, DERIVED_DEFAULTS[name])
            for i, m in enumerate(group_ms):
                if tests[i](env) and (value := _value_of(m, env)) is not None:
                    collected[i].setdefault(key, []).append(value)
        for i, m in enumerate(group_ms):
            out[m.key].update({k: _reduce(m, v) for k, v in collected[i].items()})
    if group_by is None:
        for m in measures:
            out[m.key].setdefault(None, _reduce(m, []) if m.aggregate != "median_days" else None)
    return out
