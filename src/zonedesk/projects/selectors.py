"""Reads of projects. Every one starts from the gate: ``restrict(user, action, Project)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, get_type_hints

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zonedesk.access.scoping import restrict
from zonedesk.core.models import ObjectChange

from . import search
from .choices import Stage, Status
from .models import Project, ProjectHesitation


@dataclass
class ProjectFilters:
    """The ledger's filters, shared by the API, the pages and the exports."""

    zone: int | None = None
    park: int | None = None
    stage: list[str] | None = None
    status: list[str] | None = None
    hesitation: str | None = None
    pursuing_unit: int | None = None
    referring_unit: int | None = None
    officer: int | None = None
    leader: str | None = None
    industry: str | None = None
    chain_node: str | None = None
    investment_min: Decimal | None = None
    investment_max: Decimal | None = None
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    started_from: dt.date | None = None
    started_to: dt.date | None = None
    no_follow_up_days: int | None = None
    overdue_start: bool | None = None
    q: str | None = None

    @classmethod
    def from_query(cls, query: Any) -> ProjectFilters:
        """Filters from a page's query string (a QueryDict or a plain dict). A value that does not
        parse is ignored, as a link typed by hand should still show the ledger."""
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in fields(cls):
            hint = hints[f.name]
            if hint == list[str] | None:
                raw_list = query.getlist(f.name) if hasattr(query, "getlist") else query.get(f.name)
                items = [v for v in (raw_list if isinstance(raw_list, list) else [raw_list]) if v]
                values[f.name] = items or None
                continue
            raw = query.get(f.name)
            if raw in (None, ""):
                continue
            parse = _PARSERS.get(hint, str)
            try:
                values[f.name] = parse(raw.strip() if isinstance(raw, str) else raw)
            except (ValueError, ArithmeticError):
                continue
        return cls(**values)

    def as_query(self) -> dict[str, Any]:
        """The non-empty filters as query-string values, for links and saved views."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", []):
                continue
            out[f.name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return out


_PARSERS: dict[Any, Callable[[Any], Any]] = {
    int | None: int,
    Decimal | None: Decimal,
    dt.date | None: dt.date.fromisoformat,
    str | None: str,
    bool | None: lambda raw: raw.lower() in {"1", "true", "yes", "on"},
}


def overdue_start_q(day: dt.date) -> Q:
    """超时限未开工 on ``day``: the planned start date has come (计划开工日期已到, ``day`` itself included),
    the project had not started by ``day`` and is not terminated. Not started: no start date and a stage
    before 开工 (a started project whose date is missing counts as started), or a start date after ``day``
    (so a past day's count stays what it was). The one rule for the ledger filter, the dashboards and the
    dispatch KPI, red-flag list and bulletin: a count and the list its link opens agree for the same day."""
    not_started = Q(start_date__gt=day) | (
        Q(start_date__isnull=True) & ~Q(stage__in=[Stage.STARTED, Stage.IN_PRODUCTION, Stage.AT_CAPACITY])
    )
    return Q(planned_start_date__lte=day) & not_started & ~Q(status=Status.TERMINATED)


def no_follow_up_q(today: dt.date, days: int) -> Q:
    """No follow-up recorded in the last ``days`` days (never followed up counts too)."""
    cutoff = today - dt.timedelta(days=days)
    return Q(last_follow_up_on__lt=cutoff) | Q(last_follow_up_on__isnull=True)


def project_queryset(user: Any, action: str = "view") -> QuerySet[Project]:
    return restrict(user, action, Project).select_related(
        "zone", "park", "pursuing_unit", "referring_unit", "responsible_officer", "industry"
    )


def project_list(
    user: Any, filters: ProjectFilters | None = None, *, ordering: str = "-updated_at"
) -> QuerySet[Project]:
    qs = project_queryset(user)
    f = filters or ProjectFilters()
    if f.zone:
        qs = qs.filter(zone_id=f.zone)
    if f.park:
        qs = qs.filter(park_id=f.park)
    if f.stage:
        qs = qs.filter(stage__in=f.stage)
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.hesitation:
        qs = qs.filter(pk__in=ProjectHesitation.objects.filter(reason=f.hesitation).values("project"))
    if f.pursuing_unit:
        qs = qs.filter(pursuing_unit_id=f.pursuing_unit)
    if f.referring_unit:
        qs = qs.filter(referring_unit_id=f.referring_unit)
    if f.officer:
        qs = qs.filter(responsible_officer_id=f.officer)
    if f.leader:
        qs = qs.filter(leader_name=f.leader)
    if f.industry:
        qs = qs.filter(industry__code=f.industry)
    if f.chain_node:
        qs = qs.filter(chain_node=f.chain_node)
    if f.investment_min is not None:
        qs = qs.filter(total_investment_wan__gte=f.investment_min)
    if f.investment_max is not None:
        qs = qs.filter(total_investment_wan__lte=f.investment_max)
    if f.signed_from:
        qs = qs.filter(first_signed_date__gte=f.signed_from)
    if f.signed_to:
        qs = qs.filter(first_signed_date__lte=f.signed_to)
    if f.started_from:
        qs = qs.filter(start_date__gte=f.started_from)
    if f.started_to:
        qs = qs.filter(start_date__lte=f.started_to)
    if f.no_follow_up_days:
        qs = qs.filter(no_follow_up_q(dt.date.today(), f.no_follow_up_days))
    if f.overdue_start:
        qs = qs.filter(overdue_start_q(dt.date.today()))
    if f.q and f.q.strip():
        qs = search.filter_search(qs, f.q)
    return qs.order_by(ordering, "-id")


def project_get(user: Any, pk: Any, action: str = "view") -> Project:
    """One project the user may ``action``, or 404: outside the reach, it does not exist."""
    try:
        return project_queryset(user, action).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该项目")) from None


def object_history(obj: Any) -> QuerySet[ObjectChange]:
    """The change log of one object, newest first. The caller has already passed the gate for ``obj``."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    return ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).select_related(
        "user", "content_type"
    )
