"""Dispatch records (调度): cycles and periods, progress reports, annual plans by month, coordination
issues and dispatch meetings. Every record that belongs to a zone declares a ScopeSpec, so the one
gate (``access.scoping.restrict``) decides who sees it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec
from zonedesk.core.models import ChangeLoggedModel

from . import calendar as workcal
from .choices import Frequency, IssueType, PeriodState

NON_NEGATIVE = [MinValueValidator(0)]


def money(verbose: str, **kw):
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, validators=NON_NEGATIVE, **kw)


DEFAULT_REPORTING_STAGES = ["signed", "landed", "land_supplied", "started"]


def _default_stages() -> list[str]:
    return list(DEFAULT_REPORTING_STAGES)


class ReportingCycle(ChangeLoggedModel):
    """调度周期: who reports what how often, and by which working day after the period ends."""

    zone = models.ForeignKey(
        "geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="reporting_cycles"
    )
    name = models.CharField(_("名称"), max_length=100)
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("报送时限（期末后第几个工作日）"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    units = models.ManyToManyField("access.OrgUnit", verbose_name=_("报送单位"), related_name="+", blank=True)
    reporting_stages = models.JSONField(_("须报送的项目阶段"), default=_default_stages)
    dispatchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调度员"),
        related_name="+",
        blank=True,
        help_text=_("接收未报送提醒（调度工作台和邮件）"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    audit_m2m_fields = ("units", "dispatchers")  # the history shows who must report and who is reminded

    objects = RestrictedQuerySet.as_manager()
    # A cycle is a timetable, not data: every member of the zone's units sees it (so they can report).
    scope = ScopeSpec(zone="zone", member_zone=True)

    class Meta:
        verbose_name = _("调度周期")
        ordering = ["zone_id", "frequency", "name"]

    def __str__(self) -> str:
        return self.name


class ReportingPeriod(ChangeLoggedModel):
    """One period of a cycle (2026年10月, 第42周). Closing it locks its reports."""

    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("调度周期"), on_delete=models.CASCADE, related_name="periods"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices)
    label = models.CharField(_("期次"), max_length=40)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    deadline = models.DateField(_("报送截止日期"))
    state = models.CharField(_("状态"), max_length=8, choices=PeriodState.choices, default=PeriodState.OPEN)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(zone="zone", member_zone=True)

    class Meta:
        verbose_name = _("调度期次")
        ordering = ["-end", "zone_id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "start"], name="period_once_per_cycle_start")]
        indexes = [models.Index(fields=["zone", "frequency", "end"])]

    def __str__(self) -> str:
        return f"{self.cycle} {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.state == PeriodState.CLOSED

    def is_late_at(self, at: dt.datetime | dt.date | None = None) -> bool:
        """Whether a report filed at ``at`` (default: now) is late for this period — and so whether, at
        ``at``, a report not yet filed is overdue (``calendar.is_late``)."""
        return workcal.is_late(self.deadline, at)


class ProgressReport(ChangeLoggedModel):
    """A unit's report on one project for one period (项目进展调度表的一行)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="reports"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "access.OrgUnit",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investment_period_wan = money(_("本期完成投资（万元）"), default=0)
    investment_cumulative_wan = money(_("本年累计完成投资（万元）"), default=0)
    funds_in_place_wan = money(_("累计到位资金（万元）"), null=True, blank=True)
    physical_progress = models.TextField(_("形象进度"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步计划"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("填报时间"))
    # Kept, not computed on display, so lists can count late reports in SQL; set from submitted_at by
    # ReportingPeriod.is_late_at, never from the clock of the moment it is read.
    is_late = models.BooleanField(_("逾期报送"), default=False)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="zone",
        units=("unit", "project__pursuing_unit", "project__referring_unit"),
        owners=("submitted_by", "project__responsible_officer", "created_by"),
    )

    class Meta:
        verbose_name = _("项目进展报告")
        ordering = ["-period__end", "project_id"]
        constraints = [models.UniqueConstraint(fields=["period", "project"], name="report_once_per_period")]

    def __str__(self) -> str:
        return f"{self.project} · {self.period.label}"


def _photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"dispatch/photos/{instance.report.period.end:%Y/%m}/{instance.report_id}-{filename}"


class ReportPhoto(models.Model):
    """形象进度照片, stored under MEDIA_ROOT."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to=_photo_path, max_length=255)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="report__zone",
        units=("report__unit", "report__project__pursuing_unit"),
        owners=("report__submitted_by",),
    )

    class Meta:
        verbose_name = _("形象进度照片")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Correction(ChangeLoggedModel):
    """A change to a report after its period closed: never a silent overwrite."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="corrections"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("更正字段"), max_length=40)
    old_value = models.TextField(_("原值"), blank=True)
    new_value = models.TextField(_("新值"), blank=True)
    reason = models.TextField(_("更正原因"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="zone",
        units=("report__unit", "report__project__pursuing_unit"),
        owners=("corrected_by", "created_by"),
    )

    class Meta:
        verbose_name = _("更正记录")
        ordering = ["-created_at", "-id"]

    @property
    def field_label(self) -> str:
        """The corrected field's name as the report form shows it."""
        try:
            return str(ProgressReport._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return self.field


class AnnualPlan(ChangeLoggedModel):
    """年度投资计划 by month: one row per project, year and month (万元)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="annual_plans"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount_wan = money(_("计划投资（万元）"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="zone",
        units=("project__pursuing_unit", "project__referring_unit"),
        owners=("project__responsible_officer", "created_by"),
    )

    class Meta:
        verbose_name = _("年度投资计划（分月）")
        ordering = ["project_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="plan_once_per_month")
        ]
        indexes = [models.Index(fields=["year", "project"])]


class CoordinationIssue(ChangeLoggedModel):
    """协调事项: a problem raised for a project or by an enterprise, tracked to closure."""

    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_issues",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("提出企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("事项"), max_length=200)
    issue_type = models.CharField(_("类型"), max_length=16, choices=IssueType.choices)
    description = models.TextField(_("具体情况"), blank=True)
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.CharField(_("提出人/单位"), max_length=100)
    owner_unit = models.ForeignKey(
        "access.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    leader_name = models.CharField(_("包联领导"), max_length=50, blank=True)
    deadline = models.DateField(_("办结时限"), null=True, blank=True)
    actions = models.TextField(_("推进措施"), blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="zone",
        units=("owner_unit", "project__pursuing_unit"),
        owners=("created_by", "project__responsible_officer"),
    )

    class Meta:
        verbose_name = _("协调事项")
        ordering = ["closed_on", "deadline", "-raised_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Meeting(ChangeLoggedModel):
    """调度会: which issues it discussed and what it decided."""

    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    attendees = models.TextField(_("参会单位/人员"), blank=True)
    decisions = models.TextField(_("会议议定事项"), blank=True)
    issues = models.ManyToManyField(
        CoordinationIssue, through="MeetingItem", verbose_name=_("研究事项"), related_name="meetings"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(zone="zone")

    class Meta:
        verbose_name = _("调度会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MeetingItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    issue = models.ForeignKey(CoordinationIssue, on_delete=models.CASCADE, related_name="meeting_items")
    decision = models.TextField(_("议定意见"), blank=True)

    class Meta:
        verbose_name = _("会议研究事项")
        constraints = [models.UniqueConstraint(fields=["meeting", "issue"], name="issue_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.issue_id}"


class MissingReportNotice(ChangeLoggedModel):
    """调度提醒: who has not reported for a period, delivered to one dispatcher on the dispatch dashboard
    and by mail. At most one per period, dispatcher and day (the reminder job is safe to run again)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("期次"), on_delete=models.CASCADE, related_name="notices"
    )
    zone = models.ForeignKey("geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("提醒日期"))
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    # [{"unit": 名称, "expected": n, "reported": n, "missing": [{"id": 项目id, "name": 名称}, ...]}, ...]
    missing = models.JSONField(_("未报送清单"), default=list)
    missing_units = models.PositiveIntegerField(_("未报送单位数"), default=0)
    missing_projects = models.PositiveIntegerField(_("未报送项目数"), default=0)
    email = models.CharField(_("邮件地址"), max_length=254, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_error = models.CharField(_("邮件发送失败原因"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Addressed to one person: whoever may see the zone's dispatch records sees that it was sent; the
    # dashboard shows each person their own.
    scope = ScopeSpec(zone="zone", owners=("recipient",), member_zone=True)

    class Meta:
        verbose_name = _("调度提醒")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "recipient", "sent_on"], name="notice_once_per_period_recipient_day"
            ),
        ]

    def __str__(self) -> str:
        return self.subject
