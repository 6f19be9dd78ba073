from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class PeriodState(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


class IssueType(models.TextChoices):
    """协调事项类型."""

    DEMOLITION = "demolition", _("征拆")
    LAND_USE = "land_use", _("用地")
    PLANNING = "planning", _("规划")
    ENERGY = "energy", _("能耗")
    ENVIRONMENT = "environment", _("环评")
    FINANCING = "financing", _("融资")
    APPROVAL = "approval", _("审批")
    UTILITIES = "utilities", _("水电气热网")
    LABOUR = "labour", _("用工")
    OTHER = "other", _("其他")


class PlanStatus(models.TextChoices):
    """Plan vs actual: completion against the elapsed share of the year."""

    AHEAD = "ahead", _("超前")
    NORMAL = "normal", _("正常")
    BEHIND = "behind", _("滞后")
    NO_PLAN = "no_plan", _("无计划")
