"""Every write to dispatch records: inside ``acting_as``, permission re-checked against the gate,
history kept. A closed period refuses changes; a correction after closing is its own record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import can, restrict
from zonedesk.core.audit import log_change, require_actor, snapshot
from zonedesk.core.errors import NotPermitted, ValidationFailed, full_clean_or_fail
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project

from . import calendar as workcal
from .choices import Frequency, IssueType, PeriodState
from .models import (
    AnnualPlan,
    CoordinationIssue,
    Correction,
    Meeting,
    MeetingItem,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
    ReportPhoto,
)

VERBS = {"add": "新建", "change": "修改", "delete": "删除", "view": "查看"}


def _ensure_within(user: Any, action: str, obj: Any) -> None:
    model = type(obj)
    if not restrict(user, action, model).filter(pk=obj.pk).exists():
        raise NotPermitted(f"您无权在该范围内{VERBS.get(action, '操作')}{model._meta.verbose_name}")


def _ensure_can(user: Any, action: str, model: type) -> None:
    if not can(user, action, model):
        raise NotPermitted(f"您没有{VERBS.get(action, '操作')}{model._meta.verbose_name}的权限")


def _visible(user: Any, model: type, pk: Any, field: str, label: str) -> Any:
    if hasattr(pk, "pk"):
        pk = pk.pk
    obj = restrict(user, "view", model).filter(pk=pk).first() if pk not in (None, "") else None
    if obj is None:
        raise ValidationFailed(f"{label}不存在或无权访问", fields={field: [f"{label}不存在或无权访问（{pk}）"]})
    return obj


def _wan(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"请填写{label}", fields={field: [f"请填写{label}"]})
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}应为数字", fields={field: [f"{label}应为数字（万元）：{value}"]})
    if amount < 0:
        raise ValidationFailed(f"{label}不能为负数", fields={field: [f"{label}不能为负数：{value}"]})
    return amount.quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------- cycles and periods
@transaction.atomic
def cycle_create(
    *, user: Any, zone: Any, name: str, frequency: str, deadline_workdays: int = 3,
    units: list[Any] | None = None, reporting_stages: list[str] | None = None,
) -> ReportingCycle:
    require_actor()
    _ensure_can(user, "add", ReportingCycle)
    zone = _visible(user, Zone, zone, "zone", "开发区")
    if frequency not in Frequency.values:
        raise ValidationFailed("频次无效", fields={"frequency": [f"频次应为每周或每月：{frequency}"]})
    cycle = ReportingCycle(zone=zone, name=name, frequency=frequency, deadline_workdays=deadline_workdays)
    if reporting_stages is not None:
        cycle.reporting_stages = list(reporting_stages)
    full_clean_or_fail(cycle)
    cycle.save()
    unit_ids = [getattr(u, "pk", u) for u in (units or [])]
    found = list(OrgUnit.objects.filter(pk__in=unit_ids, zone=zone))
    if len(found) != len(set(unit_ids)):
        raise ValidationFailed("报送单位须是本开发区的单位", fields={"units": ["报送单位不存在或不属于该开发区"]})
    cycle.units.set(found)
    _ensure_within(user, "add", cycle)
    log_change(cycle, "create", None, snapshot(cycle))
    return cycle


def period_bounds(frequency: str, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The period of ``frequency`` containing ``day``: (start, end, label)."""
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return start, end, f"{start.year}年{start.month}月"
    start = day - dt.timedelta(days=day.weekday())
    end = start + dt.timedelta(days=6)
    iso = start.isocalendar()
    return start, end, f"{iso.year}年第{iso.week}周"


@transaction.atomic
def period_open(*, user: Any, cycle: ReportingCycle, day: dt.date) -> ReportingPeriod:
    """Open (or return) the period of ``cycle`` containing ``day``; its deadline is the cycle's n-th
    working day after the period ends, on the Chinese calendar."""
    require_actor()
    _ensure_within(user, "view", cycle)
    _ensure_can(user, "add", ReportingPeriod)
    start, end, label = period_bounds(cycle.frequency, day)
    existing = ReportingPeriod.objects.filter(cycle=cycle, start=start).first()
    if existing:
        return existing
    period = ReportingPeriod(
        cycle=cycle, zone_id=cycle.zone_id, frequency=cycle.frequency, label=label, start=start, end=end,
        deadline=workcal.nth_workday_after(end, cycle.deadline_workdays),
    )
    full_clean_or_fail(period)
    period.save()
    _ensure_within(user, "add", period)
    log_change(period, "create", None, snapshot(period))
    return period


@transaction.atomic
def period_close(*, user: Any, period: ReportingPeriod) -> ReportingPeriod:
    require_actor()
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _ensure_within(user, "change", locked)
    if locked.is_closed:
        raise ValidationFailed("该期次已关闭", fields={"state": ["该期次已关闭，无需重复关闭"]})
    before = snapshot(locked)
    locked.state = PeriodState.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user if getattr(user, "pk", None) else None
    locked.save()
    log_change(locked, "update", before, snapshot(locked), note="关闭期次")
    return locked


# ---------------------------------------------------------------------------- progress reports
REPORT_FIELDS = {
    "investment_period_wan": "本期完成投资",
    "investment_cumulative_wan": "本年累计完成投资",
    "funds_in_place_wan": "累计到位资金",
    "physical_progress": "形象进度",
    "problems": "存在问题",
    "next_steps": "下一步计划",
}
MONEY_FIELDS = {"investment_period_wan", "investment_cumulative_wan", "funds_in_place_wan"}


def _clean_report_data(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    unknown = sorted(set(data) - set(REPORT_FIELDS))
    if unknown:
        raise ValidationFailed("包含不存在的字段", fields={k: ["该字段不存在或不可填写"] for k in unknown})
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
            "本年累计完成投资不能小于本期完成投资",
            fields={"investment_cumulative_wan": [
                f"本年累计（{report.investment_cumulative_wan}）小于本期（{report.investment_period_wan}）"
            ]},
        )


@transaction.atomic
def report_submit(*, user: Any, period: ReportingPeriod, project: Any, data: dict[str, Any]) -> ProgressReport:
    """File (or refile, while the period is open) a project's report for the period."""
    require_actor()
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    _ensure_within(user, "view", period)
    project = _visible(user, Project, project, "project", "项目")
    if project.zone_id != period.zone_id:
        raise ValidationFailed("项目不属于该期次的开发区", fields={"project": [f"“{project.name}”不属于该开发区"]})
    if period.is_closed:
        raise ValidationFailed(
            f"{period.label}已关闭，不能再填报或修改；如需更正请提交更正记录",
            fields={"period": ["期次已关闭"]}, code="period_closed",
        )
    values = _clean_report_data(data, partial=False)
    report = ProgressReport.objects.filter(period=period, project=project).first()
    now = timezone.now()
    if report is None:
        _ensure_can(user, "add", ProgressReport)
        report = ProgressReport(period=period, project=project, zone_id=project.zone_id, unit_id=project.pursuing_unit_id)
        before = None
    else:
        _ensure_within(user, "change", report)
        before = snapshot(report)
    for k, v in values.items():
        setattr(report, k, v)
    report.submitted_by = user if getattr(user, "pk", None) else None
    report.submitted_at = now
    report.is_late = timezone.localdate(now) > period.deadline
    _check_cumulative(report)
    full_clean_or_fail(report, exclude=("created_by", "submitted_by"))
    report.save()
    _ensure_within(user, "add" if before is None else "change", report)
    log_change(report, "create" if before is None else "update", before, snapshot(report))
    return report


@transaction.atomic
def report_correct(*, user: Any, report: ProgressReport, data: dict[str, Any], reason: str) -> list[Correction]:
    """Correct a report of a closed period: each changed field leaves a Correction row with the old
    and new values and the reason, and the report then carries the corrected value."""
    require_actor()
    locked = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    _ensure_within(user, "change", locked)
    if not (reason or "").strip():
        raise ValidationFailed("请填写更正原因", fields={"reason": ["更正须说明原因"]})
    if not locked.period.is_closed:
        raise ValidationFailed("期次未关闭，请直接修改报告", fields={"period": ["期次未关闭"]})
    values = _clean_report_data(data, partial=True)
    before = snapshot(locked)
    corrections = []
    for name, value in values.items():
        old = getattr(locked, name)
        if old == value:
            continue
        corrections.append(Correction(
            report=locked, zone_id=locked.zone_id, field=name, old_value="" if old is None else str(old),
            new_value="" if value is None else str(value), reason=reason.strip(),
            corrected_by=user if getattr(user, "pk", None) else None,
        ))
        setattr(locked, name, value)
    if not corrections:
        raise ValidationFailed("没有需要更正的内容", fields={"data": ["更正值与原值相同"]})
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
    _ensure_within(user, "change", report)
    if report.period.is_closed:
        raise ValidationFailed("期次已关闭，不能再上传照片", fields={"image": ["期次已关闭"]})
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
        raise ValidationFailed("照片须为 JPG/PNG/WebP 图片", fields={"image": [f"不支持的文件：{name}"]})
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
    project = _visible(user, Project, project, "project", "项目")
    _ensure_can(user, "change", AnnualPlan)
    out = []
    for month, amount in sorted(months.items()):
        month = int(month)
        if not 1 <= month <= 12:
            raise ValidationFailed("月份应为 1–12", fields={"month": [f"月份无效：{month}"]})
        value = _wan(amount, f"month_{month}", f"{month}月计划投资")
        row = AnnualPlan.objects.filter(project=project, year=year, month=month).first()
        before = snapshot(row) if row else None
        if row is None:
            row = AnnualPlan(project=project, zone_id=project.zone_id, year=year, month=month, amount_wan=value)
        row.amount_wan = value
        full_clean_or_fail(row)
        row.save()
        _ensure_within(user, "change" if before else "add", row)
        log_change(row, "update" if before else "create", before, snapshot(row))
        out.append(row)
    return out


# ---------------------------------------------------------------------------- coordination issues
ISSUE_FIELDS = (
    "project", "enterprise", "title", "issue_type", "description", "raised_on", "raised_by", "owner_unit",
    "leader_name", "deadline", "actions", "resolution", "closed_on",
)


def _apply_issue(user: Any, issue: CoordinationIssue, data: dict[str, Any]) -> None:
    from zonedesk.enterprises.models import Enterprise

    unknown = sorted(set(data) - set(ISSUE_FIELDS) - {"zone"})
    if unknown:
        raise ValidationFailed("包含不存在的字段", fields={k: ["该字段不存在或不可填写"] for k in unknown})
    for name, value in data.items():
        if name == "zone":
            issue.zone = _visible(user, Zone, value, "zone", "开发区")
        elif name == "project":
            issue.project = _visible(user, Project, value, "project", "项目") if value not in (None, "") else None
        elif name == "enterprise":
            issue.enterprise = _visible(user, Enterprise, value, "enterprise", "企业") if value not in (None, "") else None
        elif name == "owner_unit":
            issue.owner_unit = _visible(user, OrgUnit, value, "owner_unit", "责任单位")
        elif name in ("raised_on", "deadline", "closed_on"):
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    label = CoordinationIssue._meta.get_field(name).verbose_name
                    raise ValidationFailed(f"{label}格式应为 YYYY-MM-DD", fields={name: [f"{label}格式应为 YYYY-MM-DD：{value}"]})
            setattr(issue, name, value or None)
        else:
            setattr(issue, name, value if value is not None else "")
    if issue.project_id and not data.get("zone") and not issue.zone_id:
        issue.zone_id = issue.project.zone_id
    if issue.project_id and issue.zone_id and issue.project.zone_id != issue.zone_id:
        raise ValidationFailed("项目不属于该开发区", fields={"project": ["项目不属于所选开发区"]})
    if issue.issue_type and issue.issue_type not in IssueType.values:
        raise ValidationFailed("类型无效", fields={"issue_type": [f"未知类型：{issue.issue_type}"]})
    if issue.closed_on and issue.raised_on and issue.closed_on < issue.raised_on:
        raise ValidationFailed("办结日期早于提出日期", fields={"closed_on": ["办结日期不能早于提出日期"]})
    if issue.closed_on and not issue.resolution.strip():
        raise ValidationFailed("办结须填写办理结果", fields={"resolution": ["办结时须填写办理结果"]})


@transaction.atomic
def issue_create(*, user: Any, data: dict[str, Any]) -> CoordinationIssue:
    require_actor()
    _ensure_can(user, "add", CoordinationIssue)
    issue = CoordinationIssue()
    _apply_issue(user, issue, data)
    full_clean_or_fail(issue)
    issue.save()
    _ensure_within(user, "add", issue)
    log_change(issue, "create", None, snapshot(issue))
    return issue


@transaction.atomic
def issue_update(*, user: Any, issue: CoordinationIssue, data: dict[str, Any]) -> CoordinationIssue:
    require_actor()
    locked = CoordinationIssue.objects.select_for_update().get(pk=issue.pk)
    _ensure_within(user, "change", locked)
    before = snapshot(locked)
    _apply_issue(user, locked, data)
    full_clean_or_fail(locked)
    locked.save()
    _ensure_within(user, "change", locked)
    log_change(locked, "update", before, snapshot(locked))
    return locked


def issue_close(*, user: Any, issue: CoordinationIssue, resolution: str, closed_on: dt.date) -> CoordinationIssue:
    return issue_update(user=user, issue=issue, data={"resolution": resolution, "closed_on": closed_on})


@transaction.atomic
def meeting_create(
    *, user: Any, zone: Any, title: str, held_on: dt.date, chair: str = "", attendees: str = "",
    decisions: str = "", items: list[tuple[Any, str]] | None = None,
) -> Meeting:
    """Record a dispatch meeting (调度会) and, per issue discussed, what it decided."""
    require_actor()
    _ensure_can(user, "add", Meeting)
    zone = _visible(user, Zone, zone, "zone", "开发区")
    meeting = Meeting(zone=zone, title=title, held_on=held_on, chair=chair, attendees=attendees, decisions=decisions)
    full_clean_or_fail(meeting)
    meeting.save()
    for issue, decision in items or []:
        issue = _visible(user, CoordinationIssue, issue, "issues", "协调事项")
        if issue.zone_id != zone.pk:
            raise ValidationFailed("研究事项须属于本开发区", fields={"issues": [f"“{issue.title}”不属于该开发区"]})
        MeetingItem.objects.create(meeting=meeting, issue=issue, decision=decision)
    _ensure_within(user, "add", meeting)
    log_change(meeting, "create", None, snapshot(meeting))
    return meeting
