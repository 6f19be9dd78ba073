"""Server-rendered pages. Each view: parse, pass the gate, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import can, restrict
from zonedesk.core.errors import DomainError
from zonedesk.geo.models import Zone
from zonedesk.projects import selectors, services
from zonedesk.projects.choices import Stage, Status
from zonedesk.projects.models import Project
from zonedesk.projects.rules import get_rules
from zonedesk.projects.selectors import ProjectFilters

from .forms import AdvanceForm, FollowUpForm, ProjectForm


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    return redirect("web:project-list")


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def project_list(request):
    g = request.GET
    filters = ProjectFilters(
        zone=_int(g.get("zone")),
        stage=[s for s in g.getlist("stage") if s in Stage.values] or None,
        status=[s for s in g.getlist("status") if s in Status.values] or None,
        q=g.get("q") or None,
    )
    qs = selectors.project_list(request.user, filters)
    totals = qs.order_by().aggregate(count=Count("id"), investment=Sum("total_investment_wan"))
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(request, "web/project_list.html", {
        "page": page, "totals": totals, "filters": filters,
        "zones": restrict(request.user, "view", Zone), "stages": Stage.choices, "statuses": Status.choices,
        "can_add": can(request.user, "add", Project),
    })


@login_required
def project_detail(request, pk):
    project = selectors.project_get(request.user, pk)
    rules = get_rules()
    next_stage = rules.order[rules.index(project.stage) + 1] if rules.index(project.stage) + 1 < len(rules.order) else None
    return render(request, "web/project_detail.html", {
        "project": project,
        "investors": project.investors.all(),
        "next_stage": next_stage,
        "next_label": rules.label(next_stage) if next_stage else "",
        "missing": services.advance_missing(project, next_stage) if next_stage else [],
        "stage_logs": project.stage_logs.all(),
        "follow_ups": project.follow_ups.select_related("officer")[:50],
        "hesitations": project.hesitations.all(),
        "requirements": project.requirements.all(),
        "history": selectors.object_history(project)[:100],
        "advance_form": AdvanceForm(initial={"to_stage": next_stage, "occurred_on": dt.date.today()}),
        "follow_up_form": FollowUpForm(initial={"date": dt.date.today(), "kind": "visit"}),
    })


@login_required
def project_edit(request, pk):
    project = selectors.project_get(request.user, pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=Project.objects.get(pk=pk), user=request.user)
        if form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in form.Meta.fields if name in request.POST or name in form.cleaned_data}
            try:
                services.project_update(user=request.user, project=project, data=data,
                                        expected_version=form.cleaned_data["version"])
            except DomainError as exc:
                for name, errs in exc.fields.items():
                    for err in errs:
                        form.add_error(name if name in form.fields else None, err)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, "已保存")
                return redirect("web:project-detail", pk=pk)
    else:
        form = ProjectForm(instance=project, user=request.user, initial={"version": project.version})
    return render(request, "web/project_edit.html", {"project": project, "form": form}, status=422 if form.errors else 200)


@login_required
@require_POST
def project_advance(request, pk):
    project = selectors.project_get(request.user, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写目标阶段和发生日期")
        return redirect("web:project-detail", pk=pk)
    try:
        services.project_advance(user=request.user, project=project, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已推进到“{get_rules().label(form.cleaned_data['to_stage'])}”")
    return redirect("web:project-detail", pk=pk)


@login_required
@require_POST
def project_follow_up(request, pk):
    project = selectors.project_get(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "跟进记录填写有误：" + "；".join(f"{form.fields[k].label}{'、'.join(v)}" for k, v in form.errors.items() if k in form.fields))
        return redirect("web:project-detail", pk=pk)
    try:
        services.followup_add(user=request.user, project=project, data=form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录跟进")
    return redirect("web:project-detail", pk=pk)
