"""Every write to dispatch records: inside ``acting_as``, permission re-checked against the gate,
history kept. A closed period refuses changes; a correction after closing is its own record."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import restrict
from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import NotPermitted, ValidationFailed, full_clean_or_fail
from zonedesk.core.permissions import ensure_may, ensure_may_act, resolve_visible
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project

from . import calendar as workcal
from . import reminders
from .choices import Frequency, IssueType, PeriodState
from .models import (
    AnnualPlan,
    CoordinationIssue,
    Correction,
    Meeting,
    MeetingItem,
    MissingReportNotice,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
    ReportPhoto,
)
from .periods import period_bounds
from .selectors import reporting_status

log = logging.getLogger("zonedesk.dispatch")


def _wan(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            message = _("请填写%(label)s") % {"label": label}
            raise ValidationFailed(message, fields={field: [message]})
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
        if not amount.is_finite():  # NaN, Infinity: not amounts (and NaN < 0 would raise)
            raise InvalidOperation
        amount.quantize(Decimal("0.01"))  # too many digits for an amount raises here, not below
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(label)s应为数字") % {"label": label},
            fields={field: [_("%(label)s应为数字（万元）：%(value)s") % {"label": label, "value": value}]},
        ) from None
    if amount < 0:
        raise ValidationFailed(
            _("%(label)s不能为负数") % {"label": label},
            fields={field: [_("%(label)s不能为负数：%(value)s") % {"label": label, "value": value}]},
        )
    return amount.quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------- cycles and periods
def _cycle_apply(
    user: Any,
    cycle: ReportingCycle,
    *,
    zone: Any,
    name: str,
    frequency: str,
    deadline_workdays: Any,
    reporting_stages: list[str] | None,
    is_active: bool,
) -> None:
    from zonedesk.projects.choices import Stage

    cycle.zone = resolve_visible(user, Zone, zone, field="zone", label=_("开发区"))
    if frequency not in Frequency.values:
        raise ValidationFailed(
            _("频次无效"), fields={"frequency": [_("频次应为每周或每月：%(value)s") % {"value": frequency}]}
        )
    cycle.name = (name or "").strip()
    cycle.frequency = frequency
    try:
        cycle.deadline_workdays = int(deadline_workdays)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("报送时限应为整数"),
            fields={
                "deadline_workdays": [_("报送时限应为 1–30 的整数：%(value)s") % {"value": deadline_workdays}]
            },
        ) from None
    if reporting_stages is not None:
        unknown = [st for st in reporting_stages if st not in Stage.values]
        if unknown:
            raise ValidationFailed(
                _("项目阶段无效"),
                fields={
                    "reporting_stages": [_("未知的项目阶段：%(stages)s") % {"stages": _("、").join(unknown)}]
                },
            )
        if not reporting_stages:
            raise ValidationFailed(
                _("请选择须报送的项目阶段"), fields={"reporting_stages": [_("至少选择一个须报送的项目阶段")]}
            )
        cycle.reporting_stages = list(reporting_stages)
    cycle.is_active = bool(is_active)
    full_clean_or_fail(cycle)


def _cycle_members(
    user: Any, cycle: ReportingCycle, units: list[Any] | None, dispatchers: list[Any] | None
) -> None:
    if units is not None:
        unit_ids = {getattr(u, "pk", u) for u in units}
        found = list(OrgUnit.objects.filter(pk__in=unit_ids, zone_id=cycle.zone_id))
        if len(found) != len(unit_ids):
            raise ValidationFailed(
                _("报送单位须是本开发区的单位"), fields={"units": [_("报送单位不存在或不属于该开发区")]}
            )
        cycle.units.set(found)
    if dispatchers is not None:
        from zonedesk.access.models import User

        ids = {getattr(d, "pk", d) for d in dispatchers}
        people = list(User.objects.filter(pk__in=ids, is_active=True))
        if len(people) != len(ids):
            raise ValidationFailed(
                _("调度员不存在或已停用"), fields={"dispatchers": [_("调度员不存在或已停用")]}
            )
        # A dispatcher must be able to open the cycle's periods, or their reminders would be empty.
        blind = [
            str(p) for p in people if not restrict(p, "view", ReportingCycle).filter(pk=cycle.pk).exists()
        ]
        if blind:
            raise ValidationFailed(
                _("调度员须能查看该开发区的调度记录"),
                fields={
                    "dispatchers": [
                        _("“%(name)s”无权查看该开发区的调度记录") % {"name": name} for name in blind
                    ]
                },
            )
        cycle.dispatchers.set(people)


@transaction.atomic
def cycle_create(
    *,
    user: Any,
    zone: Any,
    name: str,
    frequency: str,
    deadline_workdays: int = 3,
    units: list[Any] | None = None,
    reporting_stages: list[str] | None = None,
    dispatchers: list[Any] | None = None,
    is_active: bool = True,
) -> ReportingCycle:
    require_actor()
    ensure_may(user, "add", ReportingCycle)
    cycle = ReportingCycle()
    _cycle_apply(
        user,
        cycle,
        zone=zone,
        name=name,
        frequency=frequency,
        deadline_workdays=deadline_workdays,
        reporting_stages=reporting_stages,
        is_active=is_active,
    )
    cycle.save()
    _cycle_members(user, cycle, units or [], dispatchers)
    ensure_may_act(user, "add", cycle)
    log_change(cycle, "create", None, snapshot(cycle))
    return cycle


@transaction.atomic
def cycle_update(
    *,
    user: Any,
    cycle: ReportingCycle,
    zone: Any,
    name: str,
    frequency: str,
    deadline_workdays: int,
    units: list[Any],
    reporting_stages: list[str],
    dispatchers: list[Any],
    is_active: bool,
) -> ReportingCycle:
    """Change a cycle. Periods already opened keep their dates and deadline; the change applies to the
    periods opened after it. A cycle with periods stays in its zone and keeps its frequency."""
    require_actor()
    locked = ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    ensure_may_act(user, "change", locked)
    before = snapshot(locked)
    old_zone, old_frequency = locked.zone_id, locked.frequency
    _cycle_apply(
        user,
        locked,
        zone=zone,
        name=name,
        frequency=frequency,
        deadline_workdays=deadline_workdays,
        reporting_stages=reporting_stages,
        is_active=is_active,
    )
    if locked.periods.exists():
        if locked.zone_id != old_zone:
            raise ValidationFailed(
                _("已有期次的调度周期不能改开发区"), fields={"zone": [_("已有期次，不能更改开发区")]}
            )
        if locked.frequency != old_frequency:
            raise ValidationFailed(
                _("已有期次的调度周期不能改频次"), fields={"frequency": [_("已有期次，不能更改频次")]}
            )
    locked.save()
    _cycle_members(user, locked, units, dispatchers)
    ensure_may_act(user, "change", locked)
    log_change(locked, "update", before, snapshot(locked))
    return locked


@transaction.atomic
def period_open(*, user: Any, cycle: ReportingCycle, day: dt.date) -> ReportingPeriod:
    """Open (or return) the period of ``cycle`` containing ``day``; its deadline is the cycle's n-th
    working day after the period ends, on the Chinese calendar."""
    require_actor()
    ensure_may_act(user, "view", cycle)
    ensure_may(user, "add", ReportingPeriod)
    start, end, label = period_bounds(cycle.frequency, day)
    existing = ReportingPeriod.objects.filter(cycle=cycle, start=start).first()
    if existing:
        return existing
    period = ReportingPeriod(
        cycle=cycle,
        zone_id=cycle.zone_id,
        frequency=cycle.frequency,
        label=label,
        start=start,
        end=end,
        deadline=workcal.nth_workday_after(end, cycle.deadline_workdays),
    )
    full_clean_or_fail(period)
    period.save()
    ensure_may_act(user, "add", period)
    log_change(period, "create", None, snapshot(period))
    return period


@transaction.atomic
def period_close(*, user: Any, period: ReportingPeriod) -> ReportingPeriod:
    require_actor()
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_may_act(user, "change", locked)
    if locked.is_closed:
        raise ValidationFailed(_("该期次已关闭"), fields={"state": [_("该期次已关闭，无需重复关闭")]})
    before = snapshot(locked)
    locked.state = PeriodState.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user if getattr(user, "pk", None) else None
    locked.save()
    log_change(locked, "update", before, snapshot(locked), note="关闭期次")
    return locked


# ---------------------------------------------------------------------------- progress reports
REPORT_FIELDS = {
    "investment_period_wan": gettext_lazy("本期完成投资"),
    "investment_cumulative_wan": gettext_lazy("本年累计完成投资"),
    "funds_in_place_wan": gettext_lazy("累计到位资金"),
    "physical_progress": gettext_lazy("形象进度"),
    "problems": gettext_lazy("存在问题"),
    "next_steps": gettext_lazy("下一步计划"),
}
MONEY_FIELDS = {"investment_period_wan", "investment_cumulative_wan", "funds_in_place_wan"}


def _clean_report_data(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    unknown = sorted(set(data) - set(REPORT_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("包含不存在的字段"), fields={k: [_("该字段不存在或不可填写")] for k in unknown}
        )
    out: dict[str, Any] = {}
    for name, label in REPORT_FIELDS.items():
        if name not in data and partial:
            continue
        value = data.get(name)
        if name in MONEY_FIELDS:
            out[name] = _wan(value, name, label, required=name != "funds_in_place_wan")
        else:
            out[name] = (value or "").strip()
    return out


def _check_cumulative(report: ProgressReport) -> None:
    if report.investment_cumulative_wan < report.investment_period_wan:
        raise ValidationFailed(
            _("本年累计完成投资不能小于本期完成投资"),
            fields={
                "investment_cumulative_wan": [
                    _("本年累计（%(cumulative)s）小于本期（%(period)s）")
                    % {"cumulative": report.investment_cumulative_wan, "period": report.investment_period_wan}
                ]
            },
        )


@transaction.atomic
def report_submit(
    *, user: Any, period: ReportingPeriod, project: Any, data: dict[str, Any], at: dt.datetime | None = None
) -> ProgressReport:
    """File (or refile, while the period is open) a project's report for the period. ``at`` is when it was
    filed (default: now); it decides lateness (``ReportingPeriod.is_late_at``)."""
    require_actor()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    ensure_may_act(user, "view", period)
    project = resolve_visible(user, Project, project, field="project", label=_("项目"))
    if project.zone_id != period.zone_id:
        raise ValidationFailed(
            _("项目不属于该期次的开发区"),
            fields={"project": [_("“%(name)s”不属于该开发区") % {"name": project.name}]},
        )
    if period.is_closed:
        raise ValidationFailed(
            _("%(label)s已关闭，不能再填报或修改；如需更正请提交更正记录") % {"label": period.label},
            fields={"period": [_("期次已关闭")]},
            code="period_closed",
        )
    values = _clean_report_data(data, partial=False)
    report = ProgressReport.objects.filter(period=period, project=project).first()
    now = at or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now)  # as local time, as calendar.local_day reads it
    if report is None:
        ensure_may(user, "add", ProgressReport)
        report = ProgressReport(
            period=period, project=project, zone_id=project.zone_id, unit_id=project.pursuing_unit_id
        )
        before = None
    else:
        ensure_may_act(user, "change", report)
        before = snapshot(report)
    for k, v in values.items():
        setattr(report, k, v)
    report.submitted_by = user if getattr(user, "pk", None) else None
    report.submitted_at = now
    report.is_late = period.is_late_at(now)
    _check_cumulative(report)
    full_clean_or_fail(report, exclude=("created_by", "submitted_by"))
    report.save()
    ensure_may_act(user, "add" if before is None else "change", report)
    log_change(report, "create" if before is None else "update", before, snapshot(report))
    return report


@transaction.atomic
def report_correct(
    *, user: Any, report: ProgressReport, data: dict[str, Any], reason: str
) -> list[Correction]:
    """Correct a report of a closed period: each changed field leaves a Correction row with the old
    and new values and the reason, and the report then carries the corrected value."""
    require_actor()
    locked = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    ensure_may_act(user, "change", locked)
    if not (reason or "").strip():
        raise ValidationFailed(_("请填写更正原因"), fields={"reason": [_("更正须说明原因")]})
    if not locked.period.is_closed:
        raise ValidationFailed(_("期次未关闭，请直接修改报告"), fields={"period": [_("期次未关闭")]})
    values = _clean_report_data(data, partial=True)
    before = snapshot(locked)
    corrections = []
    for name, value in values.items():
        old = getattr(locked, name)
        if old == value:
            continue
        corrections.append(
            Correction(
                report=locked,
                zone_id=locked.zone_id,
                field=name,
                old_value="" if old is None else str(old),
                new_value="" if value is None else str(value),
                reason=reason.strip(),
                corrected_by=user if getattr(user, "pk", None) else None,
            )
        )
        setattr(locked, name, value)
    if not corrections:
        raise ValidationFailed(_("没有需要更正的内容"), fields={"data": [_("更正值与原值相同")]})
    _check_cumulative(locked)
    full_clean_or_fail(locked, exclude=("created_by", "submitted_by"))
    locked.save()
    for c in corrections:
        c.save()
        log_change(c, "create", None, snapshot(c))
    log_change(locked, "update", before, snapshot(locked), note=f"更正：{reason.strip()}")
    return corrections


@transaction.atomic
def report_photo_add(*, user: Any, report: ProgressReport, file: Any, caption: str = "") -> ReportPhoto:
    require_actor()
    ensure_may_act(user, "change", report)
    if report.period.is_closed:
        raise ValidationFailed(_("期次已关闭，不能再上传照片"), fields={"image": [_("期次已关闭")]})
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
        raise ValidationFailed(
            _("照片须为 JPG/PNG/WebP 图片"), fields={"image": [_("不支持的文件：%(name)s") % {"name": name}]}
        )
    photo = ReportPhoto(report=report, caption=caption)
    photo.image.save(name.rsplit("/", 1)[-1], file, save=False)
    photo.save()
    log_change(report, "update", None, None, note=f"上传形象进度照片：{photo.image.name}")
    return photo


# ---------------------------------------------------------------------------- annual plans
@transaction.atomic
def plan_set(*, user: Any, project: Any, year: int, months: dict[int, Any]) -> list[AnnualPlan]:
    """Set a project's investment plan for ``year`` by month ({1: 500, 2: 800, ...}, 万元)."""
    require_actor()
    project = resolve_visible(user, Project, project, field="project", label=_("项目"))
    ensure_may(user, "change", AnnualPlan)
    out = []
    for month, amount in sorted(months.items()):
        month = int(month)
        if not 1 <= month <= 12:
            raise ValidationFailed(
                _("月份应为 1–12"), fields={"month": [_("月份无效：%(month)s") % {"month": month}]}
            )
        value = _wan(amount, f"month_{month}", _("%(month)s月计划投资") % {"month": month})
        row = AnnualPlan.objects.filter(project=project, year=year, month=month).first()
        before = snapshot(row) if row else None
        if row is None:
            row = AnnualPlan(
                project=project, zone_id=project.zone_id, year=year, month=month, amount_wan=value
            )
        row.amount_wan = value
        full_clean_or_fail(row)
        row.save()
        ensure_may_act(user, "change" if before else "add", row)
        log_change(row, "update" if before else "create", before, snapshot(row))
        out.append(row)
    return out


# ---------------------------------------------------------------------------- coordination issues
ISSUE_FIELDS = (
    "project",
    "enterprise",
    "title",
    "issue_type",
    "description",
    "raised_on",
    "raised_by",
    "owner_unit",
    "leader_name",
    "deadline",
    "actions",
    "resolution",
    "closed_on",
)


def _apply_issue(user: Any, issue: CoordinationIssue, data: dict[str, Any]) -> None:
    from zonedesk.enterprises.models import Enterprise

    unknown = sorted(set(data) - set(ISSUE_FIELDS) - {"zone"})
    if unknown:
        raise ValidationFailed(
            _("包含不存在的字段"), fields={k: [_("该字段不存在或不可填写")] for k in unknown}
        )
    for name, value in data.items():
        if name == "zone":
            issue.zone = resolve_visible(user, Zone, value, field="zone", label=_("开发区"))
        elif name == "project":
            issue.project = resolve_visible(
                user, Project, value, field="project", label=_("项目"), required=False
            )
        elif name == "enterprise":
            issue.enterprise = resolve_visible(
                user, Enterprise, value, field="enterprise", label=_("企业"), required=False
            )
        elif name == "owner_unit":
            issue.owner_unit = resolve_visible(user, OrgUnit, value, field="owner_unit", label=_("责任单位"))
        elif name in ("raised_on", "deadline", "closed_on"):
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    label = CoordinationIssue._meta.get_field(name).verbose_name
                    raise ValidationFailed(
                        _("%(label)s格式应为 YYYY-MM-DD") % {"label": label},
                        fields={
                            name: [
                                _("%(label)s格式应为 YYYY-MM-DD：%(value)s")
                                % {"label": label, "value": value}
                            ]
                        },
                    ) from None
            setattr(issue, name, value or None)
        else:
            setattr(issue, name, value if value is not None else "")
    if issue.project_id and not data.get("zone") and not issue.zone_id:
        issue.zone_id = issue.project.zone_id
    if issue.project_id and issue.zone_id and issue.project.zone_id != issue.zone_id:
        raise ValidationFailed(_("项目不属于该开发区"), fields={"project": [_("项目不属于所选开发区")]})
    if issue.issue_type and issue.issue_type not in IssueType.values:
        raise ValidationFailed(
            _("类型无效"), fields={"issue_type": [_("未知类型：%(value)s") % {"value": issue.issue_type}]}
        )
    if issue.closed_on and issue.raised_on and issue.closed_on < issue.raised_on:
        raise ValidationFailed(
            _("办结日期早于提出日期"), fields={"closed_on": [_("办结日期不能早于提出日期")]}
        )
    if issue.closed_on and not issue.resolution.strip():
        raise ValidationFailed(_("办结须填写办理结果"), fields={"resolution": [_("办结时须填写办理结果")]})


@transaction.atomic
def issue_create(*, user: Any, data: dict[str, Any]) -> CoordinationIssue:
    require_actor()
    ensure_may(user, "add", CoordinationIssue)
    issue = CoordinationIssue()
    _apply_issue(user, issue, data)
    full_clean_or_fail(issue)
    issue.save()
    ensure_may_act(user, "add", issue)
    log_change(issue, "create", None, snapshot(issue))
    return issue


@transaction.atomic
def issue_update(*, user: Any, issue: CoordinationIssue, data: dict[str, Any]) -> CoordinationIssue:
    require_actor()
    locked = CoordinationIssue.objects.select_for_update().get(pk=issue.pk)
    ensure_may_act(user, "change", locked)
    before = snapshot(locked)
    _apply_issue(user, locked, data)
    full_clean_or_fail(locked)
    locked.save()
    ensure_may_act(user, "change", locked)
    log_change(locked, "update", before, snapshot(locked))
    return locked


def issue_close(
    *, user: Any, issue: CoordinationIssue, resolution: str, closed_on: dt.date
) -> CoordinationIssue:
    return issue_update(user=user, issue=issue, data={"resolution": resolution, "closed_on": closed_on})


@transaction.atomic
def meeting_create(
    *,
    user: Any,
    zone: Any,
    title: str,
    held_on: dt.date,
    chair: str = "",
    attendees: str = "",
    decisions: str = "",
    items: list[tuple[Any, str]] | None = None,
) -> Meeting:
    """Record a dispatch meeting (调度会) and, per issue discussed, what it decided."""
    require_actor()
    ensure_may(user, "add", Meeting)
    zone = resolve_visible(user, Zone, zone, field="zone", label=_("开发区"))
    meeting = Meeting(
        zone=zone, title=title, held_on=held_on, chair=chair, attendees=attendees, decisions=decisions
    )
    full_clean_or_fail(meeting)
    meeting.save()
    for issue, decision in items or []:
        issue = resolve_visible(user, CoordinationIssue, issue, field="issues", label=_("协调事项"))
        if issue.zone_id != zone.pk:
            raise ValidationFailed(
                _("研究事项须属于本开发区"),
                fields={"issues": [_("“%(name)s”不属于该开发区") % {"name": issue.title}]},
            )
        MeetingItem.objects.create(meeting=meeting, issue=issue, decision=decision)
    ensure_may_act(user, "add", meeting)
    log_change(meeting, "create", None, snapshot(meeting))
    return meeting


# ---------------------------------------------------------------------------- reminders of missing reports
@dataclass
class ReminderOutcome:
    """What the reminder job did for one period (and dispatcher)."""

    period: ReportingPeriod
    recipient: Any | None
    status: str  # sent | would_send | already_sent | complete | no_dispatchers | no_access
    notice: MissingReportNotice | None = None
    composed: Any | None = None


def reminders_send(
    *,
    day: dt.date,
    periods: Any,
    before_workdays: int = reminders.BEFORE_WORKDAYS,
    dry_run: bool = False,
) -> list[ReminderOutcome]:
    """For each period due a reminder on ``day`` (open, deadline within ``before_workdays`` working days
    or passed), send each of its cycle's dispatchers the units and projects that have not reported: a
    notice on their dispatch dashboard and a mail. The list is what that dispatcher may see (their own
    scope, the gate). A dispatcher gets at most one reminder per period and day, so the job can run
    again (cron) without sending twice. Non-working days send nothing (the Chinese calendar)."""
    require_actor()
    started = time.perf_counter()
    if not workcal.is_workday(day):
        _log_reminder_run(day, [], dry_run, started, workday=False)
        return []
    out: list[ReminderOutcome] = []
    created: list[MissingReportNotice] = []
    for period in periods:
        if not reminders.due(period, day, before_workdays):
            continue
        # The job's own bookkeeping (who dispatches, what was sent) is read as the system; what a
        # reminder says is read as its recipient.
        dispatchers = list(period.cycle.dispatchers.filter(is_active=True).order_by("pk"))
        if not dispatchers:
            out.append(ReminderOutcome(period, None, "no_dispatchers"))
            continue
        for user in dispatchers:
            if not restrict(user, "view", ReportingPeriod).filter(pk=period.pk).exists():
                out.append(ReminderOutcome(period, user, "no_access"))
                continue
            if MissingReportNotice.objects.filter(period=period, recipient=user, sent_on=day).exists():
                out.append(ReminderOutcome(period, user, "already_sent"))
                continue
            composed = reminders.compose(period, reporting_status(user, period), day, user)
            if composed is None:
                out.append(ReminderOutcome(period, user, "complete"))
            elif dry_run:
                out.append(ReminderOutcome(period, user, "would_send", composed=composed))
            else:
                notice = _notice_create(period=period, recipient=user, day=day, composed=composed)
                if notice is None:  # another run got there first
                    out.append(ReminderOutcome(period, user, "already_sent"))
                else:
                    created.append(notice)
                    out.append(ReminderOutcome(period, user, "sent", notice=notice, composed=composed))
    _mail_notices(created)
    for outcome in out:
        if outcome.status == "sent":
            notice = outcome.notice
            log.info(
                "reminder.sent",
                extra={
                    "event": "reminder.sent",
                    "zone": outcome.period.zone_id,
                    "period": outcome.period.label,
                    "period_id": outcome.period.pk,
                    "recipient": outcome.recipient.username,
                    "units": notice.missing_units,
                    "projects": notice.missing_projects,
                    "emailed": notice.emailed_at is not None,
                    "email_error": notice.email_error or None,
                },
            )
    _log_reminder_run(day, out, dry_run, started, workday=True)
    return out


def _log_reminder_run(
    day: dt.date, out: list[ReminderOutcome], dry_run: bool, started: float, *, workday: bool
) -> None:
    """One line per run of the reminder job: how many of each outcome, and how long it took."""
    counts = Counter(o.status for o in out)
    log.info(
        "reminders.run",
        extra={
            "event": "reminders.run",
            "day": day.isoformat(),
            "workday": workday,
            "dry_run": dry_run,
            "periods": len({o.period.pk for o in out}),
            "counts": {status: counts[status] for status in sorted(counts)},
            "sent": counts["sent"],
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


def _notice_create(
    *, period: ReportingPeriod, recipient: Any, day: dt.date, composed: Any
) -> MissingReportNotice | None:
    notice = MissingReportNotice(
        period=period,
        zone_id=period.zone_id,
        recipient=recipient,
        sent_on=day,
        subject=composed.subject,
        body=composed.body,
        missing=composed.missing,
        missing_units=composed.units,
        missing_projects=composed.projects,
        email=recipient.email or "",
    )
    try:
        with transaction.atomic():
            notice.save()
            log_change(notice, "create", None, snapshot(notice), note="未报送提醒")
    except IntegrityError:
        return None
    return notice


def _mail_notices(notices: list[MissingReportNotice]) -> None:
    """One mail per notice with an address, through Django's mail framework (EMAIL_BACKEND: the console in
    development, memory in tests, SMTP configured by environment in production). A failed mail is recorded
    on its notice; the notice itself stays on the dashboard."""
    from django.core.mail import EmailMessage, get_connection

    to_send = [n for n in notices if n.email]
    if not to_send:
        return
    connection = get_connection()
    for notice in to_send:
        try:
            connection.send_messages(
                [EmailMessage(notice.subject, notice.body, to=[notice.email], connection=connection)]
            )
        except Exception as exc:  # noqa: BLE001 — SMTP and network errors come in many classes; none may stop the others
            notice.email_error = f"{type(exc).__name__}: {exc}"[:300]
        else:
            notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at", "email_error", "updated_at"])
    connection.close()


@transaction.atomic
def notice_mark_read(*, user: Any, notice: MissingReportNotice) -> MissingReportNotice:
    require_actor()
    locked = MissingReportNotice.objects.select_for_update().get(pk=notice.pk)
    ensure_may_act(user, "change", locked)
    if locked.recipient_id != getattr(user, "pk", None):
        raise NotPermitted(_("只能标记发给自己的提醒"))
    if locked.read_at is None:
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at", "updated_at"])
    return locked
