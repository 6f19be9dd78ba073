"""The zone dashboard's figures (驾驶舱). Each is an aggregate over the user's ledger with some filters,
so every number links to the ledger rows behind it: the same ``ProjectFilters`` produce both.

The number of queries is fixed, whatever the data size. At province scope a figure costs what its
scan costs, so the dashboard reads the ledger once (``summary``: one GROUP BY with every count as a
conditional aggregate) and sums the groups in Python for the funnel, the totals, the conversions,
the watch-list counts and the by-unit / by-officer bars; the medians share one more scan.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import Aggregate, CharField, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.median import median, whole

from .choices import HesitationReason, Stage, Status
from .models import Project, ProjectHesitation
from .rules import get_rules
from .selectors import ProjectFilters, no_follow_up_q, overdue_start_q, project_list

# The milestones a project passes, by the date field that records each (签约→落地→供地→开工→投产).
MILESTONES: tuple[tuple[str, Any, str], ...] = (
    ("signed", gettext_lazy("签约"), "first_signed_date"),
    ("landed", gettext_lazy("落地"), "landed_date"),
    ("land_supplied", gettext_lazy("供地"), "land_supplied_date"),
    ("started", gettext_lazy("开工"), "start_date"),
    ("in_production", gettext_lazy("投产"), "production_date"),
)
STALE_DAYS = 30
TOP = 10


@dataclass
class Bar:
    label: str
    count: int
    investment: Decimal | None
    filters: dict[str, Any]


@dataclass
class Conversion:
    from_label: str
    to_label: str
    reached_from: int
    reached_to: int
    rate: float | None  # share of those that reached ``from`` and also reached ``to``
    median_days: int | None


class DaysBetween(Func):
    """Whole days from one date column to another, on SQLite and on PostgreSQL."""

    output_field = FloatField()

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]  # SQLite's own days
        return self.as_sql(
            compiler, conn, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(", **extra
        )

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="(%(expressions)s)", arg_joiner=" - ", **extra)


def _decimal_places(expression: Any) -> int:
    """Decimal places of the model column a Sum adds up (the ORM returns sums with those places)."""
    field = Project._meta.get_field(expression.name)
    return int(getattr(field, "decimal_places", 0) or 0)


def _rows(qs: QuerySet, *, index_only: bool = False) -> list[tuple]:
    """A queryset's rows read straight from the cursor, without the ORM's per-row conversions, for
    the scans that return thousands of plain numbers at province scope. The SQL is the queryset's
    own, so the scope gate's filters are in it.

    ``index_only``: on PostgreSQL, steer the planner off the sequential scan for this one query. Its
    cost model prefers a (parallel) scan of the table, which must unpack every wide project row; an
    index-only scan of a covering index answers the same query in half the time (measured at 100 000
    projects: 113 → 59 ms). Where no index applies PostgreSQL still scans the table.
    """
    connection = connections[qs.db]
    sql, params = qs.query.sql_with_params()
    if not (index_only and connection.vendor == "postgresql"):
        # No transaction here: on SQLite ours begin IMMEDIATE, which would take the write lock for a read.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(using=qs.db), connection.cursor() as cursor:  # SET LOCAL lasts to its end
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return rows


def _pairs() -> list[tuple[tuple[str, Any, str], tuple[str, Any, str]]]:
    return list(itertools.pairwise(MILESTONES))


class Median(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values when there are two): the same value
    as ``core.median.median`` of whole days, computed where the rows are."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median_days(qs: QuerySet) -> list[int | None]:
    """The median days of every milestone pair. PostgreSQL computes them in one query; SQLite has no
    median, so one scan reads the days of the projects that reached both milestones of a pair."""
    pairs = _pairs()
    days = {f"d{i}": DaysBetween(a, b) for i, ((_k1, _l1, a), (_k2, _l2, b)) in enumerate(pairs)}
    if connections[qs.db].vendor == "postgresql":
        medians = qs.order_by().aggregate(**{name: Median(expression) for name, expression in days.items()})
        return [whole(medians[name]) for name in days]
    reached = Q()
    for (_k1, _l1, a), (_k2, _l2, b) in pairs:
        reached |= Q(**{f"{a}__isnull": False, f"{b}__isnull": False})
    rows = _rows(qs.filter(reached).order_by().annotate(**days).values_list(*days))
    return [whole(median(row[i] for row in rows if row[i] is not None)) for i in range(len(pairs))]


def median_days_between(qs: QuerySet, start: str, end: str) -> int | None:
    """Median whole days from ``start`` to ``end`` over the projects of ``qs`` that have both dates: the
    dashboard's rule for a pair of milestones (``_median_days``), for any pair, e.g. 签约至开工."""
    both = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).order_by()
    if connections[qs.db].vendor == "postgresql":
        return whole(both.aggregate(m=Median(DaysBetween(start, end)))["m"])
    return whole(median(d for (d,) in _rows(both.annotate(_d=DaysBetween(start, end)).values_list("_d"))))


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Sum as SQL sums: None only when every term is None."""
    return b if a is None else a if b is None else a + b


def _sum_by(groups: list[dict], key: str) -> dict[Any, dict[str, Any]]:
    """Count and investment of the summary's groups, re-grouped by one of its keys."""
    out: dict[Any, dict[str, Any]] = {}
    for g in groups:
        row = out.setdefault(g[key], {"n": 0, "inv": None})
        row["n"] += g["n"]
        row["inv"] = _add(row["inv"], g["inv"])
    return out


def _conversion_aggregates() -> dict[str, Any]:
    """For each milestone pair: how many reached the first (COUNT of a column counts the rows where
    it is set), and how many reached both."""
    aggregates: dict[str, Any] = {}
    for i, ((_k1, _l1, a), (_k2, _l2, b)) in enumerate(_pairs()):
        aggregates[f"from{i}"] = Count(a)
        aggregates[f"both{i}"] = Count(b, filter=Q(**{f"{a}__isnull": False}))
    return aggregates


def summary(qs: QuerySet, today: dt.date) -> list[dict[str, Any]]:
    """One scan of the ledger, grouped by zone, pursuing unit, officer, stage and status, with every
    count the dashboard shows as a conditional aggregate of the group. It names only columns of the
    index project_dashboard_cover (COUNT(*), not COUNT(id)), so both databases can answer it from the
    index alone; a filtered count counts ``stage``, which every project has."""
    this_year = Q(first_signed_date__year=today.year)
    aggregates: dict[str, Any] = {
        "n": Count("*"),
        "inv": Sum("total_investment_wan"),
        "signed_this_year": Count("stage", filter=this_year),
        "signed_investment_this_year": Sum("counted_investment_wan", filter=this_year),
        "started_this_year": Count("stage", filter=Q(start_date__year=today.year)),
        "overdue_start": Count("stage", filter=overdue_start_q(today)),
        "stale": Count("stage", filter=no_follow_up_q(today, STALE_DAYS)),
    }
    aggregates.update(_conversion_aggregates())
    keys = (
        "zone",
        "pursuing_unit",
        "responsible_officer",
        "stage",
        "status",
    )  # the order of project_dashboard_cover
    names = [*keys, *aggregates]
    # Sums become Decimals with their column's places, as the ORM would return them (SQLite sums as REAL).
    places = {
        names.index(n): Decimal(1).scaleb(-_decimal_places(a.source_expressions[0]))
        for n, a in aggregates.items()
        if isinstance(a, Sum)
    }
    groups = []
    for raw in _rows(qs.order_by().values(*keys).annotate(**aggregates), index_only=True):
        row = list(raw)
        for i, quantum in places.items():
            if row[i] is not None:
                row[i] = Decimal(row[i]).quantize(quantum)
        groups.append(dict(zip(names, row)))
    return groups


def funnel(qs: QuerySet, base: ProjectFilters, groups: list[dict] | None = None) -> list[Bar]:
    rules = get_rules()
    if groups is None:
        rows = {
            r["stage"]: r
            for r in qs.order_by().values("stage").annotate(n=Count("id"), inv=Sum("total_investment_wan"))
        }
    else:
        rows = _sum_by(groups, "stage")
    return [
        Bar(
            rules.label(s),
            rows.get(s, {}).get("n", 0),
            rows.get(s, {}).get("inv"),
            {**base.as_query(), "stage": s},
        )
        for s in rules.order
    ]


def signings_by_month(qs: QuerySet, base: ProjectFilters, today: dt.date, months: int = 12) -> list[Bar]:
    index = today.year * 12 + today.month - 1 - (months - 1)  # months since year 0, of the first bar
    first = dt.date(index // 12, index % 12 + 1, 1)
    # Group on the date's text "YYYY-MM": SQLite has no native month truncation (Django's runs a
    # Python function per row), and the text form is the same on both databases.
    rows = {
        r["month"]: r
        for r in qs.filter(first_signed_date__gte=first)
        .order_by()
        .annotate(month=Substr(Cast("first_signed_date", CharField()), 1, 7))
        .values("month")
        .annotate(n=Count("id"), inv=Sum("counted_investment_wan"))
    }
    out = []
    month = first
    while month <= today:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        row = rows.get(f"{month.year:04d}-{month.month:02d}", {})
        out.append(
            Bar(
                _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month},
                row.get("n", 0),
                row.get("inv"),
                {
                    **base.as_query(),
                    "signed_from": month.isoformat(),
                    "signed_to": (nxt - dt.timedelta(days=1)).isoformat(),
                },
            )
        )
        month = nxt
    return out


def conversions(qs: QuerySet, groups: list[dict] | None = None) -> list[Conversion]:
    pairs = _pairs()
    if groups is None:
        counts = qs.order_by().aggregate(**_conversion_aggregates())
    else:
        counts = {k: sum(g[k] for g in groups) for i in range(len(pairs)) for k in (f"from{i}", f"both{i}")}
    medians = _median_days(qs) if any(counts[f"both{i}"] for i in range(len(pairs))) else [None] * len(pairs)
    out = []
    for i, ((_k1, la, _a), (_k2, lb, _b)) in enumerate(pairs):
        reached_from, both = counts[f"from{i}"], counts[f"both{i}"]
        out.append(
            Conversion(
                str(la),
                str(lb),
                reached_from,
                both,
                round(both / reached_from, 4) if reached_from else None,
                medians[i],
            )
        )
    return out


def grouped(
    groups: list[dict], key: str, label_of, filter_name: str, base: ProjectFilters, top: int = TOP
) -> list[Bar]:
    """The ``top`` values of one of the summary's keys by number of projects (ties by key)."""
    sums = _sum_by(groups, key)
    sums.pop(None, None)
    rows = sorted(sums.items(), key=lambda kv: (-kv[1]["n"], kv[0]))[:top]
    labels = label_of([k for k, _row in rows])
    return [
        Bar(labels.get(k, "—"), row["n"], row["inv"], {**base.as_query(), filter_name: k}) for k, row in rows
    ]


def hesitation_reasons(qs: QuerySet, base: ProjectFilters, top: int = TOP) -> list[Bar]:
    labels = {code: str(label) for code, label in HesitationReason.choices}
    rows = (
        ProjectHesitation.objects.filter(project__in=qs.order_by().values("pk"))
        .values("reason")
        .annotate(n=Count("project", distinct=True))
        .order_by("-n", "reason")[:top]
    )
    return [
        Bar(
            labels.get(r["reason"], r["reason"]), r["n"], None, {**base.as_query(), "hesitation": r["reason"]}
        )
        for r in rows
    ]


@dataclass
class Watch:
    """A list of projects that need attention, with how many there are and the ledger link."""

    title: str
    count: int
    projects: list[Any]
    filters: dict[str, Any]


def watch_lists(
    user: Any, base: ProjectFilters, today: dt.date, groups: list[dict] | None = None
) -> list[Watch]:
    """Behind plan, overdue to start, no follow-up: the first ``TOP`` of each, and how many in all
    (summed from the summary's groups when given, else counted)."""
    counts = [None, None, None]
    if groups is not None:
        counts = [
            sum(g["n"] for g in groups if g["status"] == Status.BEHIND),
            sum(g["overdue_start"] for g in groups),
            sum(g["stale"] for g in groups),
        ]
    lists = []
    watched: tuple[tuple[Any, dict[str, Any]], ...] = (
        (_("进度滞后"), {"status": [Status.BEHIND]}),
        (_("超时限未开工"), {"overdue_start": True}),
        (_("%(days)d 天以上未跟进") % {"days": STALE_DAYS}, {"no_follow_up_days": STALE_DAYS}),
    )
    for (title, extra), count in zip(
        watched,
        counts,
    ):
        filters = replace(base, **extra)
        qs = project_list(user, filters)
        if count is None:
            count = qs.order_by().count()
        projects = list(
            qs.order_by("last_follow_up_on", "planned_start_date", "id")
            .select_related(None)
            .only("pk", "name", "planned_start_date", "last_follow_up_on", "status")[:TOP]
        )
        lists.append(Watch(title, count, projects, filters.as_query()))
    return lists


def dashboard(user: Any, base: ProjectFilters, today: dt.date | None = None) -> dict[str, Any]:
    from zonedesk.access.models import OrgUnit, User

    today = today or dt.date.today()
    qs = project_list(user, base)
    groups = summary(qs, today)
    totals: dict[str, Any] = {
        "count": sum(g["n"] for g in groups),
        "investment": None,
        "signed_this_year": sum(g["signed_this_year"] for g in groups),
        "signed_investment_this_year": None,
        "started_this_year": sum(g["started_this_year"] for g in groups),
        "overdue_start": sum(g["overdue_start"] for g in groups),
    }
    for g in groups:
        totals["investment"] = _add(totals["investment"], g["inv"])
        totals["signed_investment_this_year"] = _add(
            totals["signed_investment_this_year"], g["signed_investment_this_year"]
        )

    def unit_names(ids):
        return {
            u.pk: u.short_name or u.name
            for u in OrgUnit.objects.filter(pk__in=ids).only("pk", "name", "short_name")
        }

    def officer_names(ids):
        return {
            u.pk: u.full_name or u.username
            for u in User.objects.filter(pk__in=ids).only("pk", "full_name", "username")
        }

    return {
        "totals": totals,
        "funnel": funnel(qs, base, groups),
        "signings": signings_by_month(qs, base, today),
        "conversions": conversions(qs, groups),
        "watch": watch_lists(user, base, today, groups),
        "hesitations": hesitation_reasons(qs, base),
        "by_unit": grouped(groups, "pursuing_unit", unit_names, "pursuing_unit", base),
        "by_officer": grouped(groups, "responsible_officer", officer_names, "officer", base),
        "stage_order": list(Stage.values),
    }
