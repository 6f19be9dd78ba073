"""A project's pages: detail, edit, advance, follow-up, requirements, hesitations. Each view: parse, pass the
gate, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.core.errors import DomainError, StaleVersion
from zonedesk.core.forms import add_domain_errors
from zonedesk.projects import selectors, services
from zonedesk.projects.choices import HesitationReason
from zonedesk.projects.models import Project
from zonedesk.projects.rules import get_rules

from .fieldgroups import form_groups, shown_groups
from .forms import AdvanceForm, FollowUpForm, ProjectForm


def stale_message(exc: StaleVersion) -> str:
    """What a page says when the project changed after it was shown: nothing was saved."""
    return _("该项目已被他人修改，请刷新后重试（您读取的是第 %(expected)s 版，当前为第 %(actual)s 版）") % {
        "expected": exc.expected,
        "actual": exc.actual,
    }


@login_required
def project_detail(request, pk):
    project = selectors.project_get(request.user, pk)
    rules = get_rules()
    next_stage = (
        rules.order[rules.index(project.stage) + 1]
        if rules.index(project.stage) + 1 < len(rules.order)
        else None
    )
    missing = services.advance_missing(project, next_stage) if next_stage else []
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "investors": project.investors.all(),
            "next_stage": next_stage,
            "next_label": rules.label(next_stage) if next_stage else "",
            "missing": missing,
            "missing_fields": ",".join(m.field for m in missing),
            "days_in_stage": project.days_in_stage(dt.date.today()),
            "groups": shown_groups(project),
            "hesitation_choices": HesitationReason.choices,
            "hesitation_codes": {h.reason for h in project.hesitations.all()},
            "evidence_template": _evidence_template(),
            "stage_logs": project.stage_logs.all(),
            "follow_ups": project.follow_ups.select_related("officer")[:50],
            "hesitations": project.hesitations.all(),
            "requirements": project.requirements.all(),
            "history": selectors.object_history(project)[:100],
            "advance_form": AdvanceForm(
                initial={"to_stage": next_stage, "occurred_on": dt.date.today(), "version": project.version}
            ),
            "follow_up_form": FollowUpForm(initial={"date": dt.date.today(), "kind": "visit"}),
        },
    )


@login_required
def project_edit(request, pk):
    project = selectors.project_get(request.user, pk)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=Project.objects.get(pk=pk), user=request.user)
        if form.is_valid():
            data = {
                name: form.cleaned_data.get(name)
                for name in form.Meta.fields
                if name in request.POST or name in form.cleaned_data
            }
            try:
                services.project_update(
                    user=request.user,
                    project=project,
                    data=data,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleVersion as exc:
                form.add_error(None, stale_message(exc))
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("projects:project-detail", pk=pk)
    else:
        form = ProjectForm(instance=project, user=request.user, initial={"version": project.version})
    focus = set((request.GET.get("focus") or "").split(","))
    return render(
        request,
        "projects/project_edit.html",
        {
            "project": project,
            "form": form,
            "groups": form_groups(form),
            "focus": focus,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def project_advance(request, pk):
    project = selectors.project_get(request.user, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, _("页面缺少版本号，请刷新后重试"))
        else:
            messages.error(request, _("请填写目标阶段和发生日期"))
        return redirect("projects:project-detail", pk=pk)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.project_advance(user=request.user, project=project, expected_version=version, **data)
    except StaleVersion as exc:
        messages.error(request, stale_message(exc))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已推进到“%(stage)s”") % {"stage": get_rules().label(form.cleaned_data["to_stage"])}
        )
    return redirect("projects:project-detail", pk=pk)


@login_required
@require_POST
def project_follow_up(request, pk):
    project = selectors.project_get(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        problems = _("；").join(
            f"{form.fields[k].label}{_('、').join(str(e) for e in v)}"
            for k, v in form.errors.items()
            if k in form.fields
        )
        messages.error(request, _("跟进记录填写有误：%(problems)s") % {"problems": problems})
        return redirect("projects:project-detail", pk=pk)
    try:
        services.followup_add(user=request.user, project=project, data=form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录跟进"))
    return redirect("projects:project-detail", pk=pk)


@login_required
@require_POST
def project_requirement(request, pk):
    project = selectors.project_get(request.user, pk)
    try:
        raised_on = dt.date.fromisoformat(request.POST.get("raised_on") or "")
    except ValueError:
        messages.error(request, _("企业诉求：提出日期格式应为 年-月-日"))
        return redirect("projects:project-detail", pk=pk)
    try:
        services.requirement_add(
            user=request.user, project=project, content=request.POST.get("content") or "", raised_on=raised_on
        )
    except DomainError as exc:
        messages.error(request, _("企业诉求：%(message)s") % {"message": exc.message})
    else:
        messages.success(request, _("已添加企业诉求"))
    return redirect(f"{project.get_absolute_url()}#obstacles")


@login_required
@require_POST
def project_hesitations(request, pk):
    project = selectors.project_get(request.user, pk)
    reasons = [{"reason": r} for r in request.POST.getlist("reason")]
    version = request.POST.get("version", "")
    if not version.isdigit():
        messages.error(request, _("页面缺少版本号，请刷新后重试"))
        return redirect(f"{project.get_absolute_url()}#obstacles")
    try:
        services.project_set_hesitations(
            user=request.user,
            project=project,
            reasons=reasons,
            note=request.POST.get("note", ""),
            expected_version=int(version),
        )
    except StaleVersion as exc:
        messages.error(request, stale_message(exc))
    except DomainError as exc:
        messages.error(request, _("观望原因：%(message)s") % {"message": exc.message})
    else:
        messages.success(request, _("已保存观望原因"))
    return redirect(f"{project.get_absolute_url()}#obstacles")


def _evidence_template() -> str | None:
    """The extraction evidence panel, when the intake app that provides it is installed."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("intake/_project_evidence.html")
    except TemplateDoesNotExist:
        return None
    return "intake/_project_evidence.html"
