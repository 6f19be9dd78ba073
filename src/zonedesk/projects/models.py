from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zonedesk.access.scoping import RestrictedQuerySet, ScopeSpec
from zonedesk.core.models import ChangeLoggedModel

from .choices import (
    AgreementType,
    FollowUpKind,
    HesitationReason,
    ProjectLevel,
    ProjectType,
    RequirementStatus,
    Stage,
    StageDirection,
    Status,
)
from .fields import FIELDS

NON_NEGATIVE = [MinValueValidator(0)]


def money(verbose: Any, **kw: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose, max_digits=14, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE, **kw
    )


national_code_validator = RegexValidator(
    r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$",
    _("项目代码应为 24 位全国投资项目在线审批监管平台代码，如 2024-140400-39-01-123456"),
)


class Project(ChangeLoggedModel):
    """An investment project, from the first lead to full production (项目台账的一行)."""

    # --- identity
    name = models.CharField(_("项目名称"), max_length=200)
    national_code = models.CharField(
        _("项目代码（GB/T 40058）"), max_length=24, blank=True, validators=[national_code_validator]
    )
    zone = models.ForeignKey(
        "geo.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="projects"
    )
    park = models.ForeignKey(
        "geo.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    investors = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("投资方"),
        through="ProjectInvestor",
        blank=True,
        related_name="projects",
    )
    # --- who answers for it (三级精准招商)
    referring_unit = models.ForeignKey(
        "access.OrgUnit",
        verbose_name=_("推荐单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pursuing_unit = models.ForeignKey(
        "access.OrgUnit",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_responsible",
    )
    leader_name = models.CharField(_("包联领导"), max_length=50, blank=True)
    # --- what it is
    industry = models.ForeignKey(
        "enterprises.IndustryCode",
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chain_node = models.CharField(_("产业链环节"), max_length=100, blank=True)
    project_type = models.CharField(
        _("项目类型"), max_length=20, choices=ProjectType.choices, default=ProjectType.NEW
    )
    level = models.CharField(
        _("项目级别"), max_length=20, choices=ProjectLevel.choices, blank=True, default=""
    )
    construction_content = models.TextField(_("建设内容"), blank=True)
    progress_note = models.TextField(_("进展情况"), blank=True)
    # --- figures
    total_investment_wan = money(_("总投资（万元）"))
    fixed_asset_investment_wan = money(_("固定资产投资（万元）"))
    foreign_investment_usd_wan = money(_("外资（万美元）"))
    increase_amount_wan = money(_("增资额（万元）"))
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    floor_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    leased_floor_area_m2 = models.DecimalField(
        _("租赁厂房面积（平方米）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    expected_output_wan = money(_("预计年产值（万元）"))
    expected_tax_wan = money(_("预计年税收（万元）"))
    expected_jobs = models.PositiveIntegerField(_("预计就业（人）"), null=True, blank=True)
    # --- agreement
    agreement_type = models.CharField(_("协议类型"), max_length=12, choices=AgreementType.choices, blank=True)
    agreement_date = models.DateField(_("签约日期"), null=True, blank=True)
    agreement_amount_wan = money(_("协议投资额（万元）"))
    # --- stage and the dates each stage is entered on
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.RESERVE, db_index=True
    )
    stage_entered_on = models.DateField(_("进入当前阶段日期"), null=True, blank=True)
    negotiation_started_on = models.DateField(_("首次洽谈日期"), null=True, blank=True)
    landed_date = models.DateField(_("入区日期"), null=True, blank=True)
    land_supplied_date = models.DateField(_("供地日期"), null=True, blank=True)
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    production_date = models.DateField(_("投产日期"), null=True, blank=True)
    capacity_date = models.DateField(_("达产日期"), null=True, blank=True)
    construction_permit_no = models.CharField(_("施工许可证号"), max_length=60, blank=True)
    # --- status beside the stage
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NORMAL, db_index=True
    )
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    hesitation_note = models.TextField(_("观望原因说明"), blank=True)
    # --- counting facts for statistics: stored when they happen, never re-derived
    first_signed_date = models.DateField(_("首次签约日期"), null=True, blank=True, editable=False)
    counted_investment_wan = models.DecimalField(
        _("统计口径投资额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    last_follow_up_on = models.DateField(
        _("最近跟进日期"), null=True, blank=True, editable=False, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        zone="zone", units=("pursuing_unit", "referring_unit"), owners=("responsible_officer", "created_by")
    )
    audit_m2m_fields = ("investors",)
    # The history shows what a person changed (projects/fields.py says what is bookkeeping), and
    # the coded hesitation reasons by their names.
    history_hidden = frozenset(f.name for f in FIELDS if not f.history)
    history_choices = {"hesitations": HesitationReason.choices}
    history_labels = {"hesitations": _("观望原因")}

    class Meta:
        verbose_name = _("项目")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["zone", "stage"]),
            models.Index(fields=["zone", "status"]),
            # Signings by month read this index alone (date range, amount).
            models.Index(
                fields=["first_signed_date", "counted_investment_wan"], name="project_signings_cover"
            ),
            # The ledger's default order and the board's columns (oldest in stage first).
            models.Index(fields=["-updated_at", "-id"], name="project_ledger_order"),
            models.Index(fields=["stage", "stage_entered_on", "id"], name="project_board_order"),
            # The dashboard's watch lists (longest without a follow-up first).
            models.Index(
                fields=["last_follow_up_on", "planned_start_date", "id"], name="project_follow_up_order"
            ),
            # The dashboard's one grouped scan (stats.summary) reads only this index, in its order:
            # no table lookups and no sort. On SQLite that is 50 ms instead of 400 at 100 000 projects.
            models.Index(
                fields=[
                    "zone",
                    "pursuing_unit",
                    "responsible_officer",
                    "stage",
                    "status",
                    "total_investment_wan",
                    "counted_investment_wan",
                    "first_signed_date",
                    "landed_date",
                    "land_supplied_date",
                    "start_date",
                    "production_date",
                    "planned_start_date",
                    "last_follow_up_on",
                ],
                name="project_dashboard_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/projects/{self.pk}/"

    def days_in_stage(self, today: dt.date) -> int | None:
        """Whole days since the project entered its current stage (本阶段天数); None when that date
        is unknown. The ledger, the board and the project page all show this number."""
        if not self.stage_entered_on:
            return None
        return (today - self.stage_entered_on).days

    def clean(self) -> None:
        from .rules import value_errors

        errors: dict[str, list[str]] = {}
        if self.park is not None and self.zone_id and self.park.zone_id != self.zone_id:
            errors.setdefault("park", []).append(gettext("园区不属于所选开发区"))
        for name, messages in value_errors(
            {f.name: getattr(self, f.attname) for f in self._meta.concrete_fields}
        ).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class ProjectInvestor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investor_links")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="project_links"
    )
    is_lead = models.BooleanField(_("主要投资方"), default=True)

    class Meta:
        verbose_name = _("项目投资方")
        constraints = [
            models.UniqueConstraint(fields=["project", "enterprise"], name="investor_once_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.enterprise_id}"


class StageLog(models.Model):
    """One move of a project between stages: from, to, when it happened, who recorded it, evidence."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_logs")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=StageDirection.choices)
    occurred_on = models.DateField(_("发生日期"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("记录人（记录时）"), max_length=150)
    source = models.CharField(_("来源"), max_length=16)
    evidence = models.TextField(_("依据"), blank=True)

    class Meta:
        verbose_name = _("阶段记录")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_stage}→{self.to_stage} {self.occurred_on}"


class ProjectHesitation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hesitations")
    reason = models.CharField(_("观望原因"), max_length=24, choices=HesitationReason.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("观望原因")
        constraints = [
            models.UniqueConstraint(fields=["project", "reason"], name="hesitation_once_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.reason}"


class Requirement(ChangeLoggedModel):
    """企业诉求: what the investor asks for, tracked to closure."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="requirements")
    content = models.TextField(_("诉求内容"))
    raised_on = models.DateField(_("提出日期"))
    status = models.CharField(
        _("办理状态"), max_length=12, choices=RequirementStatus.choices, default=RequirementStatus.OPEN
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业诉求")
        ordering = ["-raised_on", "-id"]


class FollowUp(ChangeLoggedModel):
    """A contact with the investor: who, when, how, what was said, what comes next."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("跟进日期"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("方式"), max_length=10, choices=FollowUpKind.choices)
    summary = models.TextField(_("跟进内容"))
    next_step = models.TextField(_("下一步"), blank=True)
    next_date = models.DateField(_("下次跟进日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("跟进记录")
        ordering = ["-date", "-id"]


class ProjectSearchDoc(models.Model):
    """The segmented text a project is found by (``projects.search``). Derived data: rebuilt, never edited.

    The engines' own index sits beside it: an FTS5 table kept by triggers on SQLite, a generated
    ``tsvector`` column with a GIN index on PostgreSQL (migration 0002).
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="search_doc"
    )
    body = models.TextField()

    class Meta:
        verbose_name = _("项目检索文本")

    def __str__(self) -> str:
        return f"{self.project_id}"
