"""Per-project values ``kpis.toml`` can use like fields of projects (``config.DERIVED``): this year's plan,
本年累计完成, 累计到位资金 and 复工. Each is one grouped query over the reader's visible records, merged
with the projects in Python: a correlated subquery per project (the obvious SQL) costs a scan of plans or
reports for every project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Field, Max, Q, Sum

from zonedesk.access.scoping import restrict

from ..models import AnnualPlan, ProgressReport, ReportingPeriod
from ..periods import Window
from .scope import Scope

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
