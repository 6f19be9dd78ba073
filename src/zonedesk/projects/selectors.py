"""Reads of projects. Every one starts from the gate: ``restrict(user, action, Project)``."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, fields
from typing import Annotated, Any, get_type_hints

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from pydantic import Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from zonedesk.access.scoping import restrict
from zonedesk.core.inputs import CleanText, FiniteDecimal, PositiveId, SaneDate, parse_id
from zonedesk.core.models import ObjectChange

from . import search
from .choices import Stage, Status
from .models import Project, ProjectHesitation

# Days without a follow-up: up to a century (a larger one overflowed the date arithmetic).
FollowUpDays = Annotated[int, Field(ge=0, le=36500)]


@dataclass
class ProjectFilters:
    """The ledger's filters, shared by the API, the pages and the exports. Each hint is the validated type
    (``core/inputs.py``) both the API's query schema and ``from_query`` check a value against."""

    zone: PositiveId | None = None
    park: PositiveId | None = None
    stage: list[CleanText] | None = None
    status: list[CleanText] | None = None
    hesitation: CleanText | None = None
    pursuing_unit: PositiveId | None = None
    referring_unit: PositiveId | None = None
    officer: PositiveId | None = None
    leader: CleanText | None = None
    industry: CleanText | None = None
    chain_node: CleanText | None = None
    investment_min: FiniteDecimal | None = None
    investment_max: FiniteDecimal | None = None
    signed_from: SaneDate | None = None
    signed_to: SaneDate | None = None
    started_from: SaneDate | None = None
    started_to: SaneDate | None = None
    no_follow_up_days: FollowUpDays | None = None
    overdue_start: bool | None = None
    q: CleanText | None = None

    @classmethod
    def from_query(cls, query: Any) -> ProjectFilters:
        """Filters from a page's query string (a QueryDict or a plain dict). A value that does not
        parse, or is out of range, is ignored, as a link typed by hand should still show the ledger;
        ``parse_query`` also says which ones and why."""
        return cls.parse_query(query)[0]

    @classmethod
    def parse_query(cls, query: Any) -> tuple[ProjectFilters, dict[str, list[str]]]:
        """The filters a query string asks for, and the messages for the values refused (by field)."""
        hints = get_type_hints(cls)
        checked = _filter_adapters()
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for f in fields(cls):
            hint = hints[f.name]
            if hint == list[str] | None:
                raw_list = query.getlist(f.name) if hasattr(query, "getlist") else query.get(f.name)
                items = [v for v in (raw_list if isinstance(raw_list, list) else [raw_list]) if v]
                raw: Any = items or None
            else:
                raw = query.get(f.name)
                if raw in (None, ""):
                    continue
                raw = raw.strip() if isinstance(raw, str) else raw
                if hint == bool | None:
                    values[f.name] = str(raw).lower() in {"1", "true", "yes", "on"}
                    continue
            try:
                values[f.name] = checked[f.name].validate_python(raw)
            except PydanticValidationError as exc:
                errors[f.name] = [filter_error_message(err) for err in exc.errors()]
        return cls(**values), errors

    def as_query(self) -> dict[str, Any]:
        """The non-empty filters as query-string values, for links and saved views."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", []):
                continue
            out[f.name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return out


@functools.cache
def _filter_adapters() -> dict[str, TypeAdapter[Any]]:
    hints = get_type_hints(ProjectFilters, include_extras=True)
    return {f.name: TypeAdapter(hints[f.name]) for f in fields(ProjectFilters)}


def filter_error_message(err: Any) -> str:
    """A refused filter value said in the user's language."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "date_out_of_range":
        return _("日期应在 %(first)s 年至 %(last)s 年之间") % ctx
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("日期格式应为 YYYY-MM-DD")
    if kind == "finite_number":
        return _("应为有限数字")
    if kind in ("less_than_equal", "greater_than_equal"):
        return _("超出范围（%(low)s–%(high)s）") % {
            "low": ctx.get("ge", "…") if kind == "greater_than_equal" else "…",
            "high": ctx.get("le", "…") if kind == "less_than_equal" else "…",
        }
    if kind == "text_forbidden_character":
        return _("不能包含空字符（NUL）或不成对的代理字符")
    if kind.startswith(("int", "decimal")):
        return _("应为数字")
    return _("取值无效")


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
        return project_queryset(user, action).get(pk=parse_id(pk) or 0)  # 0: no row has it
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404(_("未找到该项目")) from None


def object_history(obj: Any) -> QuerySet[ObjectChange]:
    """The change log of one object, newest first. The caller has already passed the gate for ``obj``."""
    ct = ContentType.objects.get_for_model(obj.__class__)
    return ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).select_related(
        "user", "content_type"
    )
