"""The zone dashboard's figures (驾驶舱). Each is an aggregate over the user's ledger with some filters,
so every number links to the ledger rows behind it: the same ``ProjectFilters`` produce both.

The number of queries is fixed (one per figure, two per median), whatever the data size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.db.models.functions import Cast, Substr

from .choices import HesitationReason, Stage, Status
from .models import ProjectHesitation
from .rules import get_rules
from .selectors import ProjectFilters, overdue_start_q, project_list

# The milestones a project passes, by the date field that records each (签约→落地→供地→开工→投产).
MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("signed", "签约", "first_signed_date"),
    ("landed", "落地", "landed_date"),
    ("land_supplied", "供地", "land_supplied_date"),
    ("started", "开工", "start_date"),
    ("in_production", "投产", "production_date"),
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

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="(%(expressions)s)", arg_joiner=" - ", **extra)


def _median_days(qs: QuerySet, start: str, end: str, n: int) -> int | None:
    if n == 0:
        return None
    ordered = (
        qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
        .annotate(days=DaysBetween(start, end))
        .order_by("days")
        .values_list("days", flat=True)
    )
    if n % 2:
        return round(ordered[n // 2])
    low, high = list(ordered[n // 2 - 1 : n // 2 + 1])
    return round((low + high) / 2)


def funnel(qs: QuerySet, base: ProjectFilters) -> list[Bar]:
    rules = get_rules()
    rows = {r["stage"]: r for r in qs.order_by().values("stage").annotate(n=Count("id"), inv=Sum("total_investment_wan"))}
    return [
        Bar(rules.label(s), rows.get(s, {}).get("n", 0), rows.get(s, {}).get("inv"), {**base.as_query(), "stage": s})
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
        out.append(Bar(
            f"{month.year}年{month.month}月", row.get("n", 0), row.get("inv"),
            {**base.as_query(), "signed_from": month.isoformat(), "signed_to": (nxt - dt.timedelta(days=1)).isoformat()},
        ))
        month = nxt
    return out


def conversions(qs: QuerySet) -> list[Conversion]:
    pairs = list(zip(MILESTONES, MILESTONES[1:]))
    aggregates: dict[str, Any] = {}
    for i, ((_, _, a), (_, _, b)) in enumerate(pairs):
        aggregates[f"from{i}"] = Count("id", filter=Q(**{f"{a}__isnull": False}))
        aggregates[f"both{i}"] = Count("id", filter=Q(**{f"{a}__isnull": False, f"{b}__isnull": False}))
    counts = qs.order_by().aggregate(**aggregates)
    out = []
    for i, ((_, la, a), (_, lb, b)) in enumerate(pairs):
        reached_from, both = counts[f"from{i}"], counts[f"both{i}"]
        out.append(Conversion(
            la, lb, reached_from, both,
            round(both / reached_from, 4) if reached_from else None,
            _median_days(qs, a, b, both),
        ))
    return out


def grouped(qs: QuerySet, key: str, label_of, filter_name: str, base: ProjectFilters, top: int = TOP) -> list[Bar]:
    rows = (
        qs.exclude(**{f"{key}__isnull": True})
        .order_by()
        .values(key)
        .annotate(n=Count("id"), inv=Sum("total_investment_wan"))
        .order_by("-n", key)[:top]
    )
    labels = label_of([r[key] for r in rows])
    return [Bar(labels.get(r[key], "—"), r["n"], r["inv"], {**base.as_query(), filter_name: r[key]}) for r in rows]


def hesitation_reasons(qs: QuerySet, base: ProjectFilters, top: int = TOP) -> list[Bar]:
    labels = dict(HesitationReason.choices)
    rows = (
        ProjectHesitation.objects.filter(project__in=qs.order_by().values("pk"))
        .values("reason")
        .annotate(n=Count("project", distinct=True))
        .order_by("-n", "reason")[:top]
    )
    return [Bar(labels.get(r["reason"], r["reason"]), r["n"], None, {**base.as_query(), "hesitation": r["reason"]}) for r in rows]


@dataclass
class Watch:
    """A list of projects that need attention, with how many there are and the ledger link."""

    title: str
    count: int
    projects: list[Any]
    filters: dict[str, Any]


def watch_lists(user: Any, base: ProjectFilters, today: dt.date) -> list[Watch]:
    lists = []
    for title, extra in (
        ("进度滞后", {"status": [Status.BEHIND]}),
        ("超时限未开工", {"overdue_start": True}),
        (f"{STALE_DAYS} 天以上未跟进", {"no_follow_up_days": STALE_DAYS}),
    ):
        filters = replace(base, **extra)
        qs = project_list(user, filters)
        count = qs.order_by().count()
        projects = list(qs.order_by("last_follow_up_on", "planned_start_date", "id").select_related(None)
                        .only("pk", "name", "planned_start_date", "last_follow_up_on", "status")[:TOP])
        lists.append(Watch(title, count, projects, filters.as_query()))
    return lists


def dashboard(user: Any, base: ProjectFilters, today: dt.date | None = None) -> dict[str, Any]:
    from zonedesk.access.models import OrgUnit, User

    today = today or dt.date.today()
    qs = project_list(user, base)
    totals = qs.order_by().aggregate(
        count=Count("id"),
        investment=Sum("total_investment_wan"),
        signed_this_year=Count("id", filter=Q(first_signed_date__year=today.year)),
        signed_investment_this_year=Sum("counted_investment_wan", filter=Q(first_signed_date__year=today.year)),
        started_this_year=Count("id", filter=Q(start_date__year=today.year)),
        overdue_start=Count("id", filter=overdue_start_q(today)),
    )

    def unit_names(ids):
        return {u.pk: u.short_name or u.name for u in OrgUnit.objects.filter(pk__in=ids).only("pk", "name", "short_name")}

    def officer_names(ids):
        return {u.pk: u.full_name or u.username for u in User.objects.filter(pk__in=ids).only("pk", "full_name", "username")}

    return {
        "totals": totals,
        "funnel": funnel(qs, base),
        "signings": signings_by_month(qs, base, today),
        "conversions": conversions(qs),
        "watch": watch_lists(user, base, today),
        "hesitations": hesitation_reasons(qs, base),
        "by_unit": grouped(qs, "pursuing_unit", unit_names, "pursuing_unit", base),
        "by_officer": grouped(qs, "responsible_officer", officer_names, "officer", base),
        "stage_order": [s for s in Stage.values],
    }
