"""Dispatch pages: parse the request, call selectors/services, render. No business rules here."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import can, restrict
from zonedesk.core.errors import DomainError
from zonedesk.core.forms import add_domain_errors
from zonedesk.core.security_record import log_event
from zonedesk.core.templatetags.zonedesk import cndate
from zonedesk.projects.ledger import ledger_url

from . import calendar as workcal
from . import selectors, services
from .bulletin import build_bulletin_data, filename
from .bulletin import render as render_bulletin
from .forms import CorrectionForm, CycleForm, OpenPeriodForm
from .metrics import Scope, compute_kpis, reuse
from .models import DEFAULT_REPORTING_STAGES, ProgressReport, ReportingCycle
from .periods import Window, last_month

DASHBOARD_KPIS = (
    "plan_completion_rate",
    "ahead_of_schedule",
    "start_rate",
    "start_resume_rate",
    "signed_count",
    "signed_amount",
    "closure_rate",
    "overdue_not_started",
)


def _window(request) -> Window:
    default = last_month()  # Beijing's
    try:
        return Window.parse(request.GET["period"]) if request.GET.get("period") else default
    except DomainError as exc:
        messages.error(request, str(exc))  # and the default period is shown
        return default


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
    with reuse():  # the KPI tiles and the plan rows share their per-project values
        kpis = compute_kpis(scope, window, keys=list(DASHBOARD_KPIS))
        plan_rows = selectors.plan_vs_actual(scope, window)
    periods = list(
        selectors.periods_for_window(request.user, scope.zone_ids, window).select_related("cycle", "zone")
    )
    by_period = selectors.reporting_status_many(request.user, periods)
    status = [(p, by_period[p.pk]) for p in periods]
    behind = [r for r in plan_rows if r.status == "behind"]
    overdue = selectors.overdue_start(scope, window, limit=50)
    open_issues = list(selectors.issue_list(scope, open_only=True)[:20])
    tiles = []
    links = {
        "plan_completion_rate": reverse("dispatch:plans")
        + f"?{urlencode({'zone': zone.pk if zone else '', 'period': request.GET.get('period', '')})}",
        "ahead_of_schedule": reverse("dispatch:plans")
        + f"?{urlencode({'zone': zone.pk if zone else '', 'status': 'behind'})}",
        "start_rate": _ledger(
            zone,
            stage=["started", "in_production", "at_capacity"],
            started_from=f"{window.year}-01-01",
            started_to=window.end.isoformat(),
        ),
        "start_resume_rate": _ledger(zone, stage=["started"]),
        "signed_count": _ledger(zone, signed_from=f"{window.year}-01-01", signed_to=window.end.isoformat()),
        "signed_amount": _ledger(zone, signed_from=f"{window.year}-01-01", signed_to=window.end.isoformat()),
        "closure_rate": reverse("dispatch:issues") + (f"?zone={zone.pk}" if zone else ""),
        # The ledger's own filter (as of today) lists the same red flag with every ledger column.
        "overdue_not_started": _ledger(zone, overdue_start=1),
    }
    for key in DASHBOARD_KPIS:
        v = kpis[key]
        tiles.append(
            {
                "name": _(v.kpi.name),
                "value": v.value,
                "unit": pgettext("指标单位", v.kpi.unit),
                "link": links.get(key),
                "help": _(v.kpi.description),
            }
        )
    return render(
        request,
        "dispatch/home.html",
        {
            "window": window,
            "zones": zones,
            "zone": zone,
            "tiles": tiles,
            "status": status,
            "behind": behind,
            "overdue": overdue,
            "open_issues": open_issues,
            "notices": selectors.my_notices(request.user),
            "can_manage_cycles": can(request.user, "change", ReportingCycle),
            "overdue_ledger": _ledger(zone, overdue_start=1),
            "behind_ledger": _ledger(zone, status="behind"),
            "behind_plans": reverse("dispatch:plans")
            + "?"
            + urlencode(
                {"zone": zone.pk if zone else "", "status": "behind", "period": window.end.strftime("%Y-%m")}
            ),
            "period_text": request.GET.get("period") or window.end.strftime("%Y-%m"),
        },
    )


@login_required
def period_detail(request, pk):
    period = selectors.period_get(request.user, pk)
    status = selectors.reporting_status(request.user, period)
    reports = list(
        restrict(request.user, "view", ProgressReport).filter(period=period).select_related("project", "unit")
    )
    expected = list(selectors.expected_projects(request.user, period).order_by("pursuing_unit_id", "name"))
    return render(
        request,
        "dispatch/period.html",
        {
            "period": period,
            "status": status,
            "reports": reports,
            "expected": expected,
            "can_report": can(request.user, "add", ProgressReport) and not period.is_closed,
            "can_close": can(request.user, "change", type(period)) and not period.is_closed,
            "can_correct": can(request.user, "change", ProgressReport),
        },
    )


@login_required
@require_POST
def report_submit(request, pk):
    period = selectors.period_get(request.user, pk)
    data = {k: request.POST.get(k, "") for k in services.REPORT_FIELDS}
    try:
        report = services.report_submit(
            user=request.user, period=period, project=request.POST.get("project"), data=data
        )
        for f in request.FILES.getlist("photos"):
            services.report_photo_add(user=request.user, report=report, file=f)
        messages.success(request, _("已报送：%(name)s") % {"name": report.project.name})
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("dispatch:period", pk=period.pk)


@login_required
@require_POST
def period_close(request, pk):
    period = selectors.period_get(request.user, pk)
    try:
        services.period_close(user=request.user, period=period)
        messages.success(request, _("%(label)s已关闭，之后的修改将作为更正记录") % {"label": period.label})
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
    return render(
        request,
        "dispatch/plans.html",
        {"rows": rows, "window": window, "zones": zones, "zone": zone, "wanted": wanted},
    )


@login_required
def issues(request):
    window = _window(request)
    zones, zone = _zone(request)
    scope = Scope(request.user, [zone.pk] if zone else None)
    open_only = {"open": True, "closed": False}.get(request.GET.get("state"))
    today = workcal.local_day()
    rows = selectors.issue_list(scope, open_only=open_only, as_of=today)  # 超期 by the per-unit count's rule
    unit = request.GET.get("unit")
    if unit and unit.isdigit():
        rows = rows.filter(owner_unit_id=int(unit))
    return render(
        request,
        "dispatch/issues.html",
        {
            "rows": rows[:500],
            "by_unit": selectors.issues_by_unit(scope, today),
            "zones": zones,
            "zone": zone,
            "today": today,
            "window": window,
        },
    )


@login_required
def issue_detail(request, pk):
    issue = selectors.issue_get(request.user, pk)
    return render(
        request,
        "dispatch/issue_detail.html",
        {
            "issue": issue,
            "meetings": issue.meeting_items.select_related("meeting"),
            "today": workcal.local_day(),
        },
    )


@login_required
def bulletin(request, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404(_("格式无效"))
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
    ctype = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    log_event("bulletin.downloaded", user=request.user, request=request, file=filename(data, fmt), via="web")
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename(data, fmt))}"
    return response


@login_required
@require_POST
def notice_read(request, pk):
    notice = selectors.notice_get(request.user, pk)
    try:
        services.notice_mark_read(user=request.user, notice=notice)
    except DomainError as exc:
        messages.error(request, str(exc))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("dispatch:home")
    return redirect(target)


# ---------------------------------------------------------------------------- reporting cycles
@login_required
def cycles(request):
    zones, zone = _zone(request)
    rows = list(
        selectors.cycle_list(request.user, zone.pk if zone else None).prefetch_related("units", "dispatchers")
    )
    recent = selectors.recent_periods(request.user, [c.pk for c in rows])
    return render(
        request,
        "dispatch/cycles.html",
        {
            "rows": [(c, recent.get(c.pk, [])) for c in rows],
            "zones": zones,
            "zone": zone,
            "can_add": can(request.user, "add", ReportingCycle),
            "can_change": can(request.user, "change", ReportingCycle),
            "open_form": OpenPeriodForm(initial={"day": workcal.local_day()}),
        },
    )


def _cycle_values(form) -> dict:
    data = form.cleaned_data
    return {
        "zone": data["zone"],
        "name": data["name"],
        "frequency": data["frequency"],
        "deadline_workdays": data["deadline_workdays"],
        "units": list(data["units"]),
        "reporting_stages": list(data["reporting_stages"]),
        "dispatchers": list(data["dispatchers"]),
        "is_active": data["is_active"],
    }


@login_required
def cycle_new(request):
    form = CycleForm(
        request.POST or None,
        user=request.user,
        initial={
            "frequency": "monthly",
            "reporting_stages": list(DEFAULT_REPORTING_STAGES),
            "is_active": True,
            "zone": request.GET.get("zone"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(user=request.user, **_cycle_values(form))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("已创建调度周期：%(name)s") % {"name": cycle.name})
            return redirect(reverse("dispatch:cycles") + f"?zone={cycle.zone_id}")
    return render(
        request, "dispatch/cycle_form.html", {"form": form, "cycle": None}, status=422 if form.errors else 200
    )


@login_required
def cycle_edit(request, pk):
    cycle = selectors.cycle_get(request.user, pk)
    initial = {
        "zone": cycle.zone_id,
        "name": cycle.name,
        "frequency": cycle.frequency,
        "deadline_workdays": cycle.deadline_workdays,
        "units": list(cycle.units.all()),
        "reporting_stages": cycle.reporting_stages,
        "dispatchers": list(cycle.dispatchers.all()),
        "is_active": cycle.is_active,
    }
    form = CycleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(user=request.user, cycle=cycle, **_cycle_values(form))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("已保存调度周期：%(name)s") % {"name": form.cleaned_data["name"]})
            return redirect(reverse("dispatch:cycles") + f"?zone={cycle.zone_id}")
    return render(
        request,
        "dispatch/cycle_form.html",
        {"form": form, "cycle": cycle},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def cycle_open_period(request, pk):
    cycle = selectors.cycle_get(request.user, pk)
    form = OpenPeriodForm(request.POST)
    if not form.is_valid():
        errors = _("；").join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("开启期次：%(errors)s") % {"errors": errors})
        return redirect(reverse("dispatch:cycles") + f"?zone={cycle.zone_id}")
    try:
        period = services.period_open(user=request.user, cycle=cycle, day=form.cleaned_data["day"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("dispatch:cycles") + f"?zone={cycle.zone_id}")
    messages.success(
        request,
        _("已开启%(label)s，报送截止 %(deadline)s")
        % {"label": period.label, "deadline": cndate(period.deadline)},
    )
    return redirect("dispatch:period", pk=period.pk)


# ---------------------------------------------------------------------------- reports and corrections
@login_required
def report_detail(request, pk):
    report = selectors.report_get(request.user, pk)
    return render(
        request,
        "dispatch/report_detail.html",
        {
            "report": report,
            "fields": selectors.report_fields(report),
            "money_fields": services.MONEY_FIELDS,
            "corrections": selectors.correction_list(request.user, report),
            "photos": list(report.photos.all()),
            "can_correct": report.period.is_closed and can(request.user, "change", ProgressReport),
        },
    )


@login_required
def report_correct(request, pk):
    report = selectors.report_get(request.user, pk)
    if not report.period.is_closed:
        messages.error(
            request, _("%(label)s尚未关闭：请在期次页面直接修改报告") % {"label": report.period.label}
        )
        return redirect("dispatch:period", pk=report.period_id)
    initial = {
        name: "" if value is None else str(value) for name, _label, value in selectors.report_fields(report)
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.report_correct(
                user=request.user, report=report, data=form.report_data(), reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(
                request, _("已记录 %(count)s 项更正，原值保留在更正记录中") % {"count": len(done)}
            )
            return redirect("dispatch:report", pk=report.pk)
    return render(
        request,
        "dispatch/report_correct.html",
        {"report": report, "form": form},
        status=422 if form.errors else 200,
    )
