"""Every write to projects goes through here: permission re-checked, rules applied, history kept.

Functions are ``<entity>_<verb>``, keyword-only, and run inside an actor context
(``zonedesk.core.audit.acting_as``); the user passed in is the one whose reach is checked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zonedesk.access.scoping import can, restrict
from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import (
    NotPermitted,
    StageGateRefused,
    StaleVersion,
    ValidationFailed,
    full_clean_or_fail,
)
from zonedesk.core.permissions import ensure_may_act, resolve_visible

from . import fields, search
from .choices import ProjectType, Stage, StageDirection, Status
from .models import FollowUp, Project, ProjectHesitation, ProjectInvestor, Requirement, StageLog
from .rules import Missing, get_rules, missing_for, project_values

# Fields a user may set directly, and the references among them: from the one declaration
# (projects/fields.py). Stage, counting facts and version change only through services.
EDITABLE_FIELDS = tuple(n for n in fields.editable_names() if n != "investors")
FK_FIELDS = {name: spec.reference for name, spec in fields.references().items()}
# References the user must be able to see; the others are reference data or people.
SCOPED_FKS = {name for name, spec in fields.references().items() if spec.scoped}


def _resolve_fk(user: Any, name: str, value: Any) -> Any:
    """The row a reference names: within the user's reach for zones, parks and units (the one
    ``core.permissions.resolve_visible``); reference data and people need only exist."""
    from django.apps import apps

    model = apps.get_model(str(FK_FIELDS[name]))
    label = fields.BY_NAME[name].label
    if name in SCOPED_FKS:
        return resolve_visible(user, model, value, field=name, label=label, required=False)
    if value is None or value == "":
        return None
    pk = value.pk if hasattr(value, "pk") else value
    try:
        return model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise ValidationFailed(
            _("%(label)s不存在或无权访问") % {"label": label},
            fields={name: [_("%(label)s不存在或无权访问（%(pk)s）") % {"label": label, "pk": pk}]},
        ) from None


def _apply(user: Any, project: Project, data: dict[str, Any]) -> list[int] | None:
    """Copy ``data`` onto ``project``; returns the investor ids when they are being set."""
    unknown = sorted(set(data) - set(EDITABLE_FIELDS) - {"investors"})
    if unknown:
        raise ValidationFailed(
            _("包含不可修改或不存在的字段"), fields={k: [_("该字段不存在或不可直接修改")] for k in unknown}
        )
    for name, value in data.items():
        if name == "investors":
            continue
        if name in FK_FIELDS:
            setattr(project, name, _resolve_fk(user, name, value))
        else:
            field = Project._meta.get_field(name)
            if (
                isinstance(field, models.DecimalField)
                and value is not None
                and not isinstance(value, Decimal)
            ):
                value = _to_decimal(name, value)
            if value is None and not field.null:
                value = (
                    "" if hasattr(field, "max_length") or field.get_internal_type() == "TextField" else value
                )
            setattr(project, name, value)
    if "investors" in data:
        return _resolve_investors(user, data["investors"] or [])
    return None


def _to_decimal(name: str, value: Any) -> Decimal:
    # Through str, so 40.8 stays 40.8 and does not become 40.79999….
    try:
        return Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:
        label = fields.BY_NAME[name].label
        raise ValidationFailed(
            _("%(field)s应为数字") % {"field": label},
            fields={name: [_("%(field)s应为数字：%(value)s") % {"field": label, "value": value}]},
        ) from None


def _resolve_investors(user: Any, ids: list[Any]) -> list[int]:
    from zonedesk.enterprises.models import Enterprise

    wanted = [getattr(i, "pk", i) for i in ids]
    found = set(restrict(user, "view", Enterprise).filter(pk__in=wanted).values_list("pk", flat=True))
    lost = [i for i in wanted if i not in found]
    if lost:
        raise ValidationFailed(
            _("投资方企业不存在或无权访问"),
            fields={"investors": [_("企业不存在或无权访问：%(ids)s") % {"ids": lost}]},
        )
    return list(dict.fromkeys(wanted))


def _full_clean(project: Project) -> None:
    full_clean_or_fail(project)


def _set_investors(project: Project, ids: list[int]) -> None:
    ProjectInvestor.objects.filter(project=project).exclude(enterprise_id__in=ids).delete()
    have = set(ProjectInvestor.objects.filter(project=project).values_list("enterprise_id", flat=True))
    ProjectInvestor.objects.bulk_create(
        [
            ProjectInvestor(project=project, enterprise_id=i, is_lead=(n == 0))
            for n, i in enumerate(ids)
            if i not in have
        ]
    )
    search.reindex([project.pk])


def _gate_errors(values: dict[str, Any], stage: str) -> list[Missing]:
    return [m for m in missing_for(values, stage) if m.severity == "error"]


def _refuse(missing: list[Missing], target: str) -> StageGateRefused:
    rules = get_rules()
    fields: dict[str, list[str]] = {}
    for m in missing:
        fields.setdefault(m.field, []).append(
            _("进入“%(stage)s”阶段须填写：%(field)s") % {"stage": rules.label(target), "field": m.label}
        )
    labels = _("、").join(m.label for m in missing)
    return StageGateRefused(
        _("不能进入“%(stage)s”阶段，缺少：%(fields)s") % {"stage": rules.label(target), "fields": labels},
        missing=[m.as_dict() for m in missing],
        fields=fields,
    )


_NOT_WITHIN = {
    "add": gettext_noop("您无权在该范围内新建项目"),
    "change": gettext_noop("您无权在该范围内修改项目"),
    "delete": gettext_noop("您无权在该范围内删除项目"),
    "advance": gettext_noop("您无权在该范围内推进项目"),
}


def _ensure_within(user: Any, action: str, project: Project) -> None:
    ensure_may_act(
        user, action, project, _(_NOT_WITHIN.get(action, gettext_noop("您无权在该范围内操作项目")))
    )


def record_counting_facts(project: Any) -> None:
    """The first signing fixes the date and the amount statistics count (增资 counts the increase only).

    On a Project, or on anything with its attributes (the Excel import's rows before they are saved)."""
    if project.first_signed_date is not None:
        return
    if get_rules().index(project.stage) < get_rules().index(Stage.SIGNED):
        return
    project.first_signed_date = project.agreement_date or project.stage_entered_on
    if project.project_type == ProjectType.CAPITAL_INCREASE:
        project.counted_investment_wan = project.increase_amount_wan
    else:
        project.counted_investment_wan = project.agreement_amount_wan or project.total_investment_wan


@transaction.atomic
def project_create(*, user: Any, data: dict[str, Any], stage: str = Stage.RESERVE) -> Project:
    """Create a project. ``stage`` lets an import record a project already past 储备; its gate applies."""
    require_actor()
    if not can(user, "add", Project):
        raise NotPermitted(_("您没有新建项目的权限"))
    project = Project(created_by=user if getattr(user, "pk", None) else None)
    investors = _apply(user, project, data)
    if stage not in get_rules().order:
        raise ValidationFailed(_("阶段无效"), fields={"stage": [_("未知阶段：%(stage)s") % {"stage": stage}]})
    project.stage = stage
    rule_date = get_rules().stages[stage].date_field
    project.stage_entered_on = (getattr(project, rule_date) if rule_date else None) or dt.date.today()
    _full_clean(project)
    values = project_values(project)
    values["investors"] = investors or []
    missing = _gate_errors(values, stage)
    if missing:
        raise _refuse(missing, stage)
    record_counting_facts(project)
    project.save()
    if investors:
        _set_investors(project, investors)
    _ensure_within(user, "add", project)
    log_change(project, "create", None, snapshot(project))
    return project


@transaction.atomic
def project_update(
    *, user: Any, project: Project, data: dict[str, Any], expected_version: int | None
) -> Project:
    """Change fields. ``expected_version`` is the version the client read; a stale one changes nothing."""
    require_actor()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    _ensure_within(user, "change", locked)
    before = snapshot(locked)
    investors = _apply(user, locked, data)
    _full_clean(locked)
    # A project already in a stage must keep what that stage requires.
    values = project_values(locked)
    if investors is not None:
        values["investors"] = investors
    missing = _gate_errors(values, locked.stage)
    if missing:
        raise _refuse(missing, locked.stage)
    record_counting_facts(locked)
    pending = {
        **snapshot(locked),
        "investors": sorted(investors) if investors is not None else before.get("investors"),
    }
    if pending == before:
        return locked  # nothing really changed: no new version, no history row
    locked.version += 1
    locked.save()
    if investors is not None:
        _set_investors(locked, investors)
    _ensure_within(user, "change", locked)  # may not move a project out of one's own reach
    log_change(locked, "update", before, snapshot(locked))
    return locked


@transaction.atomic
def project_delete(*, user: Any, project: Project) -> None:
    require_actor()
    _ensure_within(user, "delete", project)
    before = snapshot(project)
    pk = project.pk
    log_change(project, "delete", before, None)
    project.delete()
    project.pk = pk


def advance_missing(project: Project, target: str, *, occurred_on: dt.date | None = None) -> list[Missing]:
    """What ``project`` lacks to enter ``target`` (all severities), with the move's date filled in."""
    values = project_values(project)
    date_field = get_rules().stages[target].date_field
    if occurred_on and date_field:
        values[date_field] = values.get(date_field) or occurred_on
    return missing_for(values, target)


def check_move(
    *,
    from_stage: str,
    to_stage: str,
    status: str,
    evidence: str,
    occurred_on: dt.date,
    today: dt.date | None = None,
) -> str:
    """May a project in ``from_stage`` with ``status`` move to ``to_stage`` on ``occurred_on``?

    The move rules of the rules file — no future date, not to the same stage, a terminated project
    not at all, skips and moves back only where allowed, evidence where a stage asks for it — for
    a single advance and for every row of a bulk write alike. Returns the move's direction; raises
    ValidationFailed or StageGateRefused with the field to correct.
    """
    rules = get_rules()
    if to_stage not in rules.order:
        raise ValidationFailed(
            _("目标阶段无效"), fields={"to_stage": [_("未知阶段：%(stage)s") % {"stage": to_stage}]}
        )
    if occurred_on > (today or timezone.localdate()):
        raise ValidationFailed(_("发生日期不能晚于今天"), fields={"occurred_on": [_("发生日期不能晚于今天")]})
    here, there = rules.index(from_stage), rules.index(to_stage)
    if here == there:
        raise ValidationFailed(
            _("项目已处于“%(stage)s”阶段") % {"stage": rules.label(to_stage)},
            fields={"to_stage": [_("目标阶段与当前阶段相同")]},
        )
    if status == Status.TERMINATED and not rules.terminated_may_move:
        raise ValidationFailed(_("项目已终止，须先恢复状态才能推进"), fields={"status": [_("项目已终止")]})
    direction = (
        StageDirection.FORWARD
        if there == here + 1
        else StageDirection.SKIP
        if there > here
        else StageDirection.BACK
    )
    if direction == StageDirection.SKIP and not rules.skip_forward:
        raise ValidationFailed(_("规则不允许跨阶段推进"), fields={"to_stage": [_("只能推进到下一阶段")]})
    if direction == StageDirection.BACK:
        if not rules.backward:
            raise ValidationFailed(_("规则不允许回退阶段"), fields={"to_stage": [_("不能回退")]})
        if rules.backward_requires_evidence and not evidence.strip():
            raise ValidationFailed(
                _("回退阶段须说明原因"), fields={"evidence": [_("回退阶段须填写原因或依据")]}
            )
    if rules.stages[to_stage].evidence and direction != StageDirection.BACK and not evidence.strip():
        raise StageGateRefused(
            _("进入“%(stage)s”阶段须提供依据（如施工许可证号、开工照片说明）")
            % {"stage": rules.label(to_stage)},
            missing=[{"field": "evidence", "label": _("依据"), "stage": to_stage, "severity": "error"}],
            fields={"evidence": [_("请填写依据")]},
        )
    return direction


def move_note(from_stage: str, to_stage: str, direction: str) -> str:
    """The history's note for a stage move, in the installation's language whoever works in which."""
    rules = get_rules()
    with translation.override(settings.LANGUAGE_CODE):
        return f"{rules.label(from_stage)} → {rules.label(to_stage)}（{StageDirection(direction).label}）"


@transaction.atomic
def project_advance(
    *,
    user: Any,
    project: Project,
    to_stage: str,
    occurred_on: dt.date,
    evidence: str = "",
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Move a project to ``to_stage`` if the rules allow; ``data`` may fill missing fields in the same step."""
    actor = require_actor()
    rules = get_rules()
    if to_stage not in rules.order:
        raise ValidationFailed(
            _("目标阶段无效"), fields={"to_stage": [_("未知阶段：%(stage)s") % {"stage": to_stage}]}
        )
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    if not restrict(user, "advance", Project).filter(pk=locked.pk).exists():
        raise NotPermitted(_("您无权推进该项目的阶段"))
    direction = check_move(
        from_stage=locked.stage,
        to_stage=to_stage,
        status=locked.status,
        evidence=evidence,
        occurred_on=occurred_on,
    )
    before = snapshot(locked)
    investors = _apply(user, locked, data or {})
    date_field = rules.stages[to_stage].date_field
    if date_field and direction != StageDirection.BACK and getattr(locked, date_field) is None:
        setattr(locked, date_field, occurred_on)
    _full_clean(locked)
    if direction != StageDirection.BACK:
        values = project_values(locked)
        if investors is not None:
            values["investors"] = investors
        missing = _gate_errors(values, to_stage)
        if missing:
            raise _refuse(missing, to_stage)
    from_stage = locked.stage
    locked.stage = to_stage
    locked.stage_entered_on = occurred_on
    record_counting_facts(locked)
    locked.version += 1
    locked.save()
    if investors is not None:
        _set_investors(locked, investors)
    StageLog.objects.create(
        project=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        direction=direction,
        occurred_on=occurred_on,
        recorded_by=actor.user if actor else None,
        recorded_by_label=actor.display if actor else "",
        source=actor.source if actor else "",
        evidence=evidence,
    )
    log_change(locked, "advance", before, snapshot(locked), note=move_note(from_stage, to_stage, direction))
    return locked


@transaction.atomic
def followup_add(*, user: Any, project: Project, data: dict[str, Any]) -> FollowUp:
    """Record a visit, call or meeting; the project's last-contact date follows."""
    require_actor()
    if not restrict(user, "follow_up", Project).filter(pk=project.pk).exists():
        raise NotPermitted(_("您无权为该项目记录跟进"))
    allowed = {"date", "kind", "summary", "next_step", "next_date", "officer"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed(_("包含不存在的字段"), fields={k: [_("字段不存在")] for k in unknown})
    follow_up = FollowUp(project=project, officer=data.get("officer") or user, created_by=user)
    for name in ("date", "kind", "summary", "next_step", "next_date"):
        if name in data and data[name] is not None:
            setattr(follow_up, name, data[name])
    full_clean_or_fail(follow_up, _("跟进记录校验未通过"), exclude=("created_by", "officer", "project"))
    if follow_up.date > dt.date.today():
        raise ValidationFailed(_("跟进日期不能晚于今天"), fields={"date": [_("跟进日期不能晚于今天")]})
    if follow_up.next_date and follow_up.next_date < follow_up.date:
        raise ValidationFailed(
            _("下次跟进日期不能早于本次"), fields={"next_date": [_("下次跟进日期不能早于本次跟进日期")]}
        )
    follow_up.save()
    latest = project.last_follow_up_on
    if latest is None or follow_up.date > latest:
        Project.objects.filter(pk=project.pk).update(last_follow_up_on=follow_up.date)
        project.last_follow_up_on = follow_up.date
    log_change(follow_up, "create", None, snapshot(follow_up))
    return follow_up


@transaction.atomic
def project_set_hesitations(
    *,
    user: Any,
    project: Project,
    reasons: list[dict[str, str]],
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Replace the project's coded hesitation reasons (观望原因) and, optionally, the free-text note.

    A real change is a new version of the project, as a field change is; ``expected_version`` is the
    version the page showed, and a stale one changes nothing.
    """
    from .choices import HesitationReason

    require_actor()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    _ensure_within(user, "change", project)
    bad = [r.get("reason") for r in reasons if r.get("reason") not in HesitationReason.values]
    if bad:
        raise ValidationFailed(
            _("观望原因代码无效"), fields={"reasons": [_("无效代码：%(codes)s") % {"codes": bad}]}
        )
    before: dict[str, Any] = {
        "hesitations": sorted(project.hesitations.values_list("reason", flat=True)),
        "hesitation_note": project.hesitation_note,
    }
    project.hesitations.all().delete()
    ProjectHesitation.objects.bulk_create(
        [
            ProjectHesitation(project=project, reason=r["reason"], note=r.get("note", "")[:300])
            for r in reasons
        ]
    )
    if note is not None:
        Project.objects.filter(pk=project.pk).update(hesitation_note=note)
        project.hesitation_note = note
    after: dict[str, Any] = {
        "hesitations": sorted(r["reason"] for r in reasons),
        "hesitation_note": project.hesitation_note,
    }
    if after != before:
        project.version = locked.version + 1
        Project.objects.filter(pk=project.pk).update(version=project.version)
        before["version"], after["version"] = locked.version, project.version
    log_change(project, "update", before, after)


@transaction.atomic
def requirement_add(*, user: Any, project: Project, content: str, raised_on: dt.date) -> Requirement:
    require_actor()
    _ensure_within(user, "change", project)
    if not content.strip():
        raise ValidationFailed(_("诉求内容不能为空"), fields={"content": [_("请填写诉求内容")]})
    req = Requirement.objects.create(
        project=project, content=content.strip(), raised_on=raised_on, created_by=user
    )
    log_change(req, "create", None, snapshot(req))
    return req


def counted_amount(project: Project) -> Decimal | None:
    """The amount a signing statistic counts for this project (stored at first signing)."""
    return project.counted_investment_wan
