"""Dispatch pages: parse the request, call selectors/services, render. No business rules here."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import can, restrict
from zonedesk.core.errors import DomainError
from zonedesk.web.ledger import ledger_url

from . import selectors, services
from .bulletin import build_bulletin_data, filename, render as render_bulletin
from .kpis import Scope, Window, compute_kpis
from .models import ProgressReport

DASHBOARD_KPIS = ("plan_completion_rate", "ahead_of_schedule", "start_rate", "start_resume_rate", "signed_count",
                  "signed_amount", "closure_rate", "overdue_not_started")


def _window(request) -> Window:
    text = request.GET.get("period") or (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    try:
        return Window.parse(text)
    except DomainError:
        return Window.parse((dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"))


def _zone(request):
    zones = list(selectors.zones_in_reach(request.user))
    raw = request.GET.get("zone")
    zone = next((z for z in zones if str(z.pk) == raw), None) or (zones[0] if len(zones) == 1 else None)
    return zones, zone


def _ledger(zone, **query) -> str:
    """A link to the project ledger with ProjectFilters query names."""
    return ledger_url({"zone": zone.pk if zone else None, **query})


@login_required
def home(request):
    """The dispatcher's dashboard: reported/missing, red flags, open issues, KPI tiles."""
    window = _window(request)
    zones, zone = _zone(request)
    scope = Scope(request.user, [zone.pk] if zone else None)
    kpis = compute_kpis(scope, window, keys=list(DASHBOARD_KPIS))
    periods = list(selectors.periods_for_window(request.user, scope.zone_ids, window).select_related("cycle", "zone"))
    by_period = selectors.reporting_status_many(request.user, periods)
    status = [(p, by_period[p.pk]) for p in periods]
    plan_rows = selectors.plan_vs_actual(scope, window)
    behind = [r for r in plan_rows if r.status == "behind"]
    overdue = list(selectors.overdue_start(scope, window)[:50])
    open_issues = list(selectors.issue_list(scope, open_only=True)[:20])
    tiles = []
    links = {
        "plan_completion_rate": reverse("dispatch:plans") + f"?{urlencode({'zone': zone.pk if zone else '', 'period': request.GET.get('period', '')})}",
        "ahead_of_schedule": reverse("dispatch:plans") + f"?{urlencode({'zone': zone.pk if zone else '', 'status': 'behind'})}",
        "start_rate": _ledger(zone, stage=["started", "in_production", "at_capacity"], started_from=f"{window.year}-01-01",
                              started_to=window.end.isoformat()),
        "start_resume_rate": _ledger(zone, stage=["started"]),
        "signed_count": _ledger(zone, signed_from=f"{window.year}-01-01", signed_to=window.end.isoformat()),
        "signed_amount": _ledger(zone, signed_from=f"{window.year}-01-01", signed_to=window.end.isoformat()),
        "closure_rate": reverse("dispatch:issues") + (f"?zone={zone.pk}" if zone else ""),
        # The ledger's own filter (as of today) lists the same red flag with every ledger column.
        "overdue_not_started": _ledger(zone, overdue_start=1),
    }
    for key in DASHBOARD_KPIS:
        v = kpis[key]
        tiles.append({"name": v.kpi.name, "value": v.value, "unit": v.kpi.unit, "link": links.get(key), "help": v.kpi.description})
    return render(request, "dispatch/home.html", {
        "window": window, "zones": zones, "zone": zone, "tiles": tiles, "status": status, "behind": behind,
        "overdue": overdue, "open_issues": open_issues,
        "overdue_ledger": _ledger(zone, overdue_start=1), "behind_ledger": _ledger(zone, status="behind"),
        "behind_plans": reverse("dispatch:plans") + "?" + urlencode({"zone": zone.pk if zone else "", "status": "behind",
                                                                    "period": window.end.strftime("%Y-%m")}), "period_text": request.GET.get("period") or window.end.strftime("%Y-%m"),
    })


@login_required
def period_detail(request, pk):
    period = selectors.period_get(request.user, pk)
    status = selectors.reporting_status(request.user, period)
    reports = list(restrict(request.user, "view", ProgressReport).filter(period=period).select_related("project", "unit"))
    expected = list(selectors.expected_projects(request.user, period).order_by("pursuing_unit_id", "name"))
    return render(request, "dispatch/period.html", {
        "period": period, "status": status, "reports": reports, "expected": expected,
        "can_report": can(request.user, "add", ProgressReport) and not period.is_closed,
        "can_close": can(request.user, "change", type(period)) and not period.is_closed,
    })


@login_required
@require_POST
def report_submit(request, pk):
    period = selectors.period_get(request.user, pk)
    data = {k: request.POST.get(k, "") for k in services.REPORT_FIELDS}
    try:
        report = services.report_submit(user=request.user, period=period, project=request.POST.get("project"), data=data)
        for f in request.FILES.getlist("photos"):
            services.report_photo_add(user=request.user, report=report, file=f)
        messages.success(request, f"已报送：{report.project.name}")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("dispatch:period", pk=period.pk)


@login_required
@require_POST
def period_close(request, pk):
    period = selectors.period_get(request.user, pk)
    try:
        services.period_close(user=request.user, period=period)
        messages.success(request, f"{period.label}已关闭，之后的修改将作为更正记录")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("dispatch:period", pk=period.pk)


@login_required
def plans(request):
    window = _window(request)
    zones, zone = _zone(request)
    rows = selectors.plan_vs_actual(Scope(request.user, [zone.pk] if zone else None), window)
    wanted = request.GET.get("status")
    if wanted:
        rows = [r for r in rows if r.status == wanted]
    return render(request, "dispatch/plans.html", {"rows": rows, "window": window, "zones": zones, "zone": zone,
                                                   "wanted": wanted})


@login_required
def issues(request):
    window = _window(request)
    zones, zone = _zone(request)
    scope = Scope(request.user, [zone.pk] if zone else None)
    open_only = {"open": True, "closed": False}.get(request.GET.get("state"))
    rows = selectors.issue_list(scope, open_only=open_only)
    unit = request.GET.get("unit")
    if unit and unit.isdigit():
        rows = rows.filter(owner_unit_id=int(unit))
    today = dt.date.today()
    return render(request, "dispatch/issues.html", {
        "rows": rows[:500], "by_unit": selectors.issues_by_unit(scope, today), "zones": zones, "zone": zone,
        "today": today, "window": window,
    })


@login_required
def issue_detail(request, pk):
    issue = selectors.issue_get(request.user, pk)
    return render(request, "dispatch/issue_detail.html", {
        "issue": issue, "meetings": issue.meeting_items.select_related("meeting"), "today": dt.date.today(),
    })


@login_required
def bulletin(request, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404("格式无效")
    window = _window(request)
    zones, zone = _zone(request)
    try:
        if zone is not None:
            data = build_bulletin_data(request.user, window, zone=zone)
        else:
            data = build_bulletin_data(request.user, window, zone_ids=[z.pk for z in zones])
        content = render_bulletin(data, fmt)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("dispatch:home")
    ctype = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename(data, fmt))}"
    return response
