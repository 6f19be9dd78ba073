"""The pipeline board (看板): a column per stage; moving a card runs the stage gate.

A move is a POST to ``board/move/``. The gate answers either with the new stage or with what is
missing, as inputs the page's dialog shows; the user fills them and the same POST, now carrying the
values, fills the fields and moves the card in one transaction (``project_advance(data=...)``).
Nothing moves unless the service says so.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.access.scoping import can, restrict
from zonedesk.core.errors import DomainError, StageGateRefused, StaleVersion
from zonedesk.geo.models import Zone
from zonedesk.projects import selectors, services, stats
from zonedesk.projects.models import Project
from zonedesk.projects.rules import get_rules

from .forms import ProjectForm
from .ledger import filters_for, ledger_url
from .views import stale_message

CARDS_PER_COLUMN = 40


@login_required
def board(request):
    filters = filters_for(request)
    filters.stage = None  # the columns are the stages
    rules = get_rules()
    qs = selectors.project_list(request.user, filters)
    today = dt.date.today()
    columns = []
    # The column heads are the dashboard's funnel over the same filters: one count per stage, in the rules' order.
    for i, bar in enumerate(stats.funnel(qs, filters)):
        stage = bar.filters["stage"]
        cards = list(
            qs.filter(stage=stage)
            .order_by("stage_entered_on", "id")
            .select_related(None)
            .only("pk", "name", "stage", "status", "total_investment_wan", "stage_entered_on", "version")[
                :CARDS_PER_COLUMN
            ]
        )
        for card in cards:
            card.stage_days = card.days_in_stage(today)  # type: ignore[attr-defined]  # shown on the card
        columns.append(
            {
                "stage": stage,
                "label": bar.label,
                "next_stage": rules.order[i + 1] if i + 1 < len(rules.order) else None,
                "count": bar.count,
                "investment": bar.investment,
                "cards": cards,
                "more": max(0, bar.count - len(cards)),
                "ledger_url": ledger_url(bar.filters),
            }
        )
    return render(
        request,
        "projects/board.html",
        {
            "columns": columns,
            "filters": filters,
            "zones": restrict(request.user, "view", Zone).only("pk", "name").order_by("name"),
            "can_advance": can(request.user, "advance", Project),
            "today": today,
        },
    )


def _inputs_for(missing: list[dict[str, Any]], form: ProjectForm) -> list[dict[str, Any]]:
    """The inputs the dialog shows for what the gate says is missing (any-of groups give each choice)."""
    out = []
    for item in missing:
        names = item["field"].split("|")
        inputs = []
        for name in names:
            if name == "evidence":
                inputs.append({"name": "evidence", "label": _("依据"), "type": "textarea"})
                continue
            field = form.fields.get(name)
            if field is None:  # e.g. investors: chosen on the full form
                continue
            widget = type(field.widget).__name__
            kind = (
                "date"
                if "Date" in widget
                else "select"
                if "Select" in widget
                else "number"
                if "Number" in widget
                else "text"
            )
            entry = {"name": name, "label": str(field.label), "type": kind}
            if kind == "select":
                choices = getattr(field, "choices", ())
                entry["choices"] = [(str(v), str(label)) for v, label in choices if str(v) != ""][:200]
            inputs.append(entry)
        out.append({**item, "inputs": inputs})
    return out


def _payload(request) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {k: request.POST.get(k) for k in request.POST if k != "csrfmiddlewaretoken"}


@login_required
@require_POST
def move(request):
    data = _payload(request)
    try:
        project = selectors.project_get(request.user, data.get("project"))
    except Http404:
        return JsonResponse({"ok": False, "message": _("项目不存在或无权访问")}, status=404)
    rules = get_rules()
    to_stage = data.get("to_stage")
    if to_stage not in rules.order:
        return JsonResponse(
            {"ok": False, "message": _("目标阶段无效"), "fields": {"to_stage": [_("未知阶段")]}}, status=400
        )
    try:
        occurred_on = dt.date.fromisoformat(data.get("occurred_on") or dt.date.today().isoformat())
    except ValueError:
        return JsonResponse(
            {
                "ok": False,
                "message": _("发生日期格式应为 年-月-日"),
                "fields": {"occurred_on": [_("日期格式有误")]},
            },
            status=400,
        )
    version = data.get("version")
    if isinstance(version, str) and version.isdigit():
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 2**31:
        return JsonResponse(
            {
                "ok": False,
                "message": _("缺少版本号，请刷新页面后重试"),
                "fields": {"version": [_("缺少版本号")]},
            },
            status=400,
        )
    form = ProjectForm(user=request.user)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in data.items():
        if name in ("project", "to_stage", "occurred_on", "evidence", "version") or name not in form.fields:
            continue
        if raw in (None, ""):
            continue
        try:
            values[name] = form.fields[name].clean(raw)
        except ValidationError as exc:
            errors[name] = [str(m) for m in exc.messages]
    if errors:
        return JsonResponse({"ok": False, "message": _("填写的内容有误"), "fields": errors}, status=400)
    try:
        moved = services.project_advance(
            user=request.user,
            project=project,
            to_stage=to_stage,
            occurred_on=occurred_on,
            evidence=(data.get("evidence") or "").strip(),
            data=values,
            expected_version=version,
        )
    except StaleVersion as exc:
        return JsonResponse(
            {"ok": False, "code": exc.code, "message": stale_message(exc), "version": exc.actual}, status=409
        )
    except StageGateRefused as exc:
        return JsonResponse(
            {
                "ok": False,
                "message": exc.message,
                "missing": _inputs_for(exc.missing, form),
                "form_url": f"/projects/{project.pk}/edit/?focus="
                + ",".join(m["field"].replace("|", ",") for m in exc.missing),
            },
            status=409,
        )
    except DomainError as exc:
        return JsonResponse({"ok": False, "message": exc.message, "fields": exc.fields}, status=exc.status)
    label = rules.label(moved.stage)
    messages.success(request, _("“%(name)s”已推进到“%(stage)s”") % {"name": moved.name, "stage": label})
    return JsonResponse(
        {
            "ok": True,
            "stage": moved.stage,
            "label": label,
            "message": _("已推进到“%(stage)s”") % {"stage": label},
            "version": moved.version,
        }
    )
