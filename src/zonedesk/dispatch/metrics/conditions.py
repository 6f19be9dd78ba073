"""What a parsed condition means, said twice: as SQL (a Django ``Q``) and as a test of a row's values in
Python, with SQL's NULLs (nothing matches NULL except "is null", and "!=" and "not in" as Django's
exclude writes them). The measures use SQL wherever they can and Python for the per-project derived
values; ``tests/test_metrics_agreement.py`` runs every KPI through both on the demo data set and
asserts the same figures, so the two cannot drift apart unseen."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from zonedesk.projects.choices import Stage, Status
from zonedesk.projects.selectors import overdue_start_q

from ..periods import Window
from .language import DATE_ANCHORS, WINDOWS, Predicate

STARTED_STAGES = (Stage.STARTED, Stage.IN_PRODUCTION, Stage.AT_CAPACITY)


def _overdue_start_test(row: dict[str, Any], day: dt.date) -> bool:
    """``projects.selectors.overdue_start_q`` on one row (the agreement test holds them together)."""
    planned = row["planned_start_date"]
    if planned is None or planned > day or row["status"] == Status.TERMINATED:
        return False
    start = row["start_date"]
    return start > day if start is not None else row["stage"] not in STARTED_STAGES


@dataclass(frozen=True)
class Rule:
    """A condition the file names instead of restating it ("overdue_start(as_of)"): a condition over
    projects that a page lists too, so a KPI counts exactly what its link opens."""

    q: Callable[[dt.date], Q]
    test: Callable[[dict[str, Any], dt.date], bool]
    fields: tuple[str, ...]  # what ``test`` reads from the row


RULES = {
    "overdue_start": Rule(
        overdue_start_q, _overdue_start_test, ("planned_start_date", "start_date", "stage", "status")
    ),
}


def anchor(window: Window, name: str) -> dt.date:
    if name == "as_of":
        return window.as_of
    return {"period_start": window.start, "period_end": window.end, "year_start": window.year_start}[name]


def _span(window: Window, name: str) -> tuple[dt.date, dt.date]:
    return (window.start if name == "period" else window.year_start), window.end


# ---------------------------------------------------------------------------- SQL
def predicate_q(p: Predicate, window: Window) -> Q:
    name = p.field
    if p.op == "rule":
        return RULES[name].q(anchor(window, p.operand))
    if p.op in ("is", "is not"):
        q = Q(**{f"{name}__isnull": True})
        return q if p.op == "is" else ~q
    if p.op in ("in", "not in"):
        if p.operand in WINDOWS:
            lo, hi = _span(window, p.operand)
            q = Q(**{f"{name}__gte": lo, f"{name}__lte": hi})
        else:
            q = Q(**{f"{name}__in": list(p.operand)})
        return q if p.op == "in" else ~Q(q) & Q(**{f"{name}__isnull": False})
    value = anchor(window, p.operand) if p.operand in DATE_ANCHORS else p.operand
    if p.op == "=":
        return Q(**{name: value})
    if p.op == "!=":
        return ~Q(**{name: value})
    lookup = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[p.op]
    return Q(**{f"{name}__{lookup}": value})


def clauses_q(clauses: tuple[tuple[Predicate, ...], ...] | list[tuple[Predicate, ...]], window: Window) -> Q:
    """AND of ORs as one ``Q``."""
    q = Q()
    for clause in clauses:
        part = Q()
        for p in clause:
            part |= predicate_q(p, window)
        q &= part
    return q


# ---------------------------------------------------------------------------- Python
_COMPARE = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def predicate_test(p: Predicate, window: Window) -> Callable[[dict[str, Any]], bool]:
    """A function of a row's values ({field: value}) that is true where ``predicate_q`` matches; its
    operand is worked out once (it runs per row)."""
    name = p.field
    if p.op == "rule":
        rule, day = RULES[name], anchor(window, p.operand)
        return lambda row: rule.test(row, day)
    if p.op in ("is", "is not"):
        want_null = p.op == "is"
        return lambda row: (row[name] is None) == want_null
    if p.op in ("in", "not in"):
        keep = p.op == "in"
        if p.operand in WINDOWS:
            lo, hi = _span(window, p.operand)

            def inside(value: Any) -> bool:
                return lo <= value <= hi
        else:
            members = p.operand

            def inside(value: Any) -> bool:
                return value in members

        return lambda row: row[name] is not None and inside(row[name]) == keep
    operand = anchor(window, p.operand) if p.operand in DATE_ANCHORS else p.operand
    if p.op == "!=":
        return lambda row: row[name] is None or row[name] != operand
    compare = _COMPARE[p.op]

    def test(row: dict[str, Any]) -> bool:
        value = row[name]
        if value is None:
            return False
        try:
            return compare(value, operand)
        except TypeError:
            return False

    return test


def clauses_test(
    clauses: tuple[tuple[Predicate, ...], ...] | list[tuple[Predicate, ...]], window: Window
) -> Callable[[dict[str, Any]], bool]:
    """AND of ORs as one function of the row, built once per measure."""
    compiled = [tuple(predicate_test(p, window) for p in clause) for clause in clauses]
    if all(len(c) == 1 for c in compiled):
        flat = [c[0] for c in compiled]
        return lambda row: all(test(row) for test in flat)
    return lambda row: all(any(test(row) for test in clause) for clause in compiled)


def fields_read(clauses: tuple[tuple[Predicate, ...], ...] | list[tuple[Predicate, ...]]) -> list[str]:
    """The row fields the Python test of these clauses reads."""
    out: list[str] = []
    for clause in clauses:
        for p in clause:
            for name in RULES[p.field].fields if p.op == "rule" else (p.field,):
                if name not in out:
                    out.append(name)
    return out
