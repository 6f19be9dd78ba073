"""The ledger page (项目台账): columns, sorting, filters, totals, saved views.

Columns are declared once here (label, how to sort, how to show); the page renders only the ones the
user picked. Every query the page makes is fixed in number whatever the page size: the row query with
its joins, one prefetch for investors, the count/sum, and the choice lists of the filter form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Sum
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zonedesk.access.models import OrgUnit, User
from zonedesk.access.scoping import can, restrict
from zonedesk.core.templatetags.zonedesk import cndate, wan
from zonedesk.geo.models import Park, Zone
from zonedesk.geo.selectors import zone_short_name
from zonedesk.projects import selectors
from zonedesk.projects.choices import HesitationReason, Stage, Status
from zonedesk.projects.models import Project, ProjectInvestor
from zonedesk.projects.selectors import ProjectFilters

PAGE_SIZES = (50, 100, 200)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy: shown in the reader's language
    sort: str | None  # ORM field to order by ("-field" when the column shows it reversed); None: not sortable
    show: Callable[[Project], Any]
    num: bool = False
    default: bool = True


def _days_in_stage(p: Project) -> str:
    days = p.days_in_stage(dt.date.today())
    return "—" if days is None else f"{days}"


def _investors(p: Project) -> str:
    return gettext("、").join(link.enterprise.name for link in p.investor_links.all()) or "—"


def _unit(unit: OrgUnit | None) -> str:
    return (unit.short_name or unit.name) if unit else "—"


COLUMNS: tuple[Column, ...] = (
    Column("name", _("项目名称"), "name", lambda p: p.name),
    Column("zone", _("开发区"), "zone__name", lambda p: zone_short_name(p.zone)),
    Column("park", _("园区"), "park__name", lambda p: p.park.name if p.park else "—", default=False),
    Column("investors", _("投资方"), None, _investors),
    Column(
        "industry",
        _("行业"),
        "industry__code",
        lambda p: p.industry.name if p.industry else "—",
        default=False,
    ),
    Column("chain_node", _("产业链环节"), "chain_node", lambda p: p.chain_node or "—", default=False),
    Column("stage", _("阶段"), "stage", lambda p: p.get_stage_display()),
    Column("days_in_stage", _("本阶段天数"), "-stage_entered_on", _days_in_stage, num=True, default=False),
    Column("status", _("状态"), "status", lambda p: p.get_status_display()),
    Column(
        "total_investment_wan",
        _("总投资（万元）"),
        "total_investment_wan",
        lambda p: wan(p.total_investment_wan),
        num=True,
    ),
    Column(
        "counted_investment_wan",
        _("计入签约额（万元）"),
        "counted_investment_wan",
        lambda p: wan(p.counted_investment_wan),
        num=True,
        default=False,
    ),
    Column(
        "land_area_mu",
        _("用地（亩）"),
        "land_area_mu",
        lambda p: wan(p.land_area_mu),
        num=True,
        default=False,
    ),
    Column("agreement_date", _("签约日期"), "agreement_date", lambda p: cndate(p.agreement_date)),
    Column(
        "planned_start_date",
        _("计划开工"),
        "planned_start_date",
        lambda p: cndate(p.planned_start_date),
        default=False,
    ),
    Column("start_date", _("开工日期"), "start_date", lambda p: cndate(p.start_date), default=False),
    Column(
        "production_date",
        _("投产日期"),
        "production_date",
        lambda p: cndate(p.production_date),
        default=False,
    ),
    Column("pursuing_unit", _("责任单位"), "pursuing_unit__name", lambda p: _unit(p.pursuing_unit)),
    Column(
        "referring_unit",
        _("推荐单位"),
        "referring_unit__name",
        lambda p: _unit(p.referring_unit),
        default=False,
    ),
    Column("leader_name", _("包联领导"), "leader_name", lambda p: p.leader_name or "—", default=False),
    Column(
        "responsible_officer",
        _("责任人"),
        "responsible_officer__full_name",
        lambda p: str(p.responsible_officer or "—"),
    ),
    Column("last_follow_up_on", _("最近跟进"), "last_follow_up_on", lambda p: cndate(p.last_follow_up_on)),
    Column("updated_at", _("更新时间"), "updated_at", lambda p: cndate(p.updated_at.date()), default=False),
)
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = [c.key for c in COLUMNS if c.default]


def chosen_columns(raw: str | None) -> list[Column]:
    keys = [k for k in (raw or "").split(",") if k in BY_KEY]
    if "name" not in keys:
        keys.insert(0, "name")
    return [BY_KEY[k] for k in (keys if len(keys) > 1 else DEFAULT_COLUMNS)]


def ordering_for(sort: str | None) -> tuple[str, list[Any]]:
    """The sort key as given (validated) and the ORM ordering; empty values sort last either way."""
    key = (sort or "").strip()
    desc = key.startswith("-")
    column = BY_KEY.get(key.lstrip("-"))
    if column is None or column.sort is None:
        return "", ["-updated_at", "-id"]
    field = column.sort.lstrip("-")
    descending = desc != column.sort.startswith("-")  # "-field": the column grows as the field falls
    expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return key, [expr, "-id" if desc else "id"]


def ledger_queryset(user: Any, filters: ProjectFilters, sort: str | None):
    key, ordering = ordering_for(sort)
    qs = selectors.project_list(user, filters).order_by(*ordering)
    return key, qs


def ledger_url(query: dict[str, Any] | None = None, **more: Any) -> str:
    """The ledger filtered by ``query`` (ProjectFilters names; lists repeat the key). Every link to
    "the projects behind this figure" is built here, so they all open the same page the same way."""
    pairs = []
    for key, value in {**(query or {}), **more}.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v not in (None, ""):
                pairs.append((key, v))
    return reverse("projects:project-list") + ("?" + urlencode(pairs) if pairs else "")


def filters_for(request) -> ProjectFilters:
    """The page's filters; with no zone asked for, the zone the user switched to (if any)."""
    filters, refused = ProjectFilters.parse_query(request.GET)
    for name, errs in refused.items():  # shown above the ledger, which is listed without that filter
        messages.error(
            request,
            gettext("筛选条件 %(field)s 未应用：%(message)s") % {"field": name, "message": "、".join(errs)},
        )
    if filters.zone is None and request.session.get("zone") and "zone" not in request.GET:
        filters.zone = request.session["zone"]
    return filters


def _query_without(query, *drop: str) -> str:
    pairs = [(k, v) for k in query for v in query.getlist(k) if k not in drop and v != ""]
    return urlencode(pairs)


def _export_url() -> str | None:
    try:
        return reverse("ledgerio:export")
    except NoReverseMatch:
        return None


def filter_choices(user: Any) -> dict[str, Any]:
    """What the filter form offers: only what the user can see (each list one query)."""
    zones = list(restrict(user, "view", Zone).only("pk", "name", "aliases").order_by("name"))
    return {
        "zones": zones,
        "parks": list(restrict(user, "view", Park).only("pk", "name", "zone_id").order_by("zone_id", "name")),
        "units": list(restrict(user, "view", OrgUnit).only("pk", "name", "short_name").order_by("path")),
        "officers": list(
            User.objects.filter(
                pk__in=restrict(user, "view", Project)
                .exclude(responsible_officer=None)
                .values("responsible_officer")
            )
            .only("pk", "full_name", "username")
            .order_by("full_name")
        ),
        "stages": Stage.choices,
        "statuses": Status.choices,
        "hesitations": HesitationReason.choices,
        "stale_choices": [(days, gettext("%(days)d 天以上未跟进") % {"days": days}) for days in (30, 60, 90)],
    }


@login_required
def ledger(request):
    g = request.GET
    filters = filters_for(request)
    sort_key, qs = ledger_queryset(request.user, filters, g.get("sort"))
    picked = ",".join(g.getlist("col")) or g.get("cols")
    columns = chosen_columns(picked or request.session.get("ledger_cols"))
    if picked:
        request.session["ledger_cols"] = ",".join(c.key for c in columns)
    if any(c.key == "investors" for c in columns):
        qs = qs.prefetch_related(
            Prefetch(
                "investor_links",
                queryset=ProjectInvestor.objects.select_related("enterprise")
                .only("project_id", "enterprise__name")
                .order_by("-is_lead", "id"),
            )
        )
    totals = qs.order_by().aggregate(count=Count("id"), investment=Sum("total_investment_wan"))
    try:
        size = int(g.get("size", PAGE_SIZES[0]))
    except ValueError:
        size = PAGE_SIZES[0]
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    paginator = Paginator(qs, size)
    paginator.count = totals["count"]  # the count is already known; do not ask the database twice
    page = paginator.get_page(g.get("page"))
    rows = [(p, [(c, c.show(p)) for c in columns]) for p in page]
    export = _export_url()
    return render(
        request,
        "projects/ledger.html",
        {
            "page": page,
            "rows": rows,
            "columns": columns,
            "all_columns": COLUMNS,
            "chosen_keys": {c.key for c in columns},
            "cols_value": ",".join(c.key for c in columns),
            "sort": sort_key,
            "totals": totals,
            "filters": filters,
            "size": size,
            "page_sizes": PAGE_SIZES,
            "base_query": _query_without(g, "page", "col"),
            "sort_query": _query_without(g, "page", "sort", "col"),
            "page_query": _query_without(g, "page", "col"),
            "export_url": f"{export}?{_query_without(g, 'page', 'size', 'cols', 'sort')}" if export else None,
            "can_add": can(request.user, "add", Project),
            "advanced_open": any(
                getattr(filters, name) not in (None, [], "")
                for name in (
                    "park",
                    "hesitation",
                    "pursuing_unit",
                    "referring_unit",
                    "officer",
                    "leader",
                    "industry",
                    "chain_node",
                    "investment_min",
                    "investment_max",
                    "signed_from",
                    "signed_to",
                    "started_from",
                    "started_to",
                    "no_follow_up_days",
                )
            ),
            **filter_choices(request.user),
        },
    )
