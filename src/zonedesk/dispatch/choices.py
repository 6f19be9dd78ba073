from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"


class PeriodState(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已关闭"


class IssueType(models.TextChoices):
    """协调事项类型."""

    DEMOLITION = "demolition", "征拆"
    LAND_USE = "land_use", "用地"
    PLANNING = "planning", "规划"
    ENERGY = "energy", "能耗"
    ENVIRONMENT = "environment", "环评"
    FINANCING = "financing", "融资"
    APPROVAL = "approval", "审批"
    UTILITIES = "utilities", "水电气热网"
    LABOUR = "labour", "用工"
    OTHER = "other", "其他"


class PlanStatus(models.TextChoices):
    """Plan vs actual: completion against the elapsed share of the year."""

    AHEAD = "ahead", "超前"
    NORMAL = "normal", "正常"
    BEHIND = "behind", "滞后"
    NO_PLAN = "no_plan", "无计划"
