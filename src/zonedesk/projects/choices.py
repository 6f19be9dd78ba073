from django.db import models


class Stage(models.TextChoices):
    """The pipeline, in order. The order itself lives in rules/stage_gates.toml."""

    RESERVE = "reserve", "储备"
    NEGOTIATING = "negotiating", "在谈"
    SIGNED = "signed", "签约"
    LANDED = "landed", "落地（入区）"
    LAND_SUPPLIED = "land_supplied", "供地"
    STARTED = "started", "开工"
    IN_PRODUCTION = "in_production", "投产"
    AT_CAPACITY = "at_capacity", "达产"


class Status(models.TextChoices):
    NORMAL = "normal", "正常"
    BEHIND = "behind", "滞后"
    PAUSED = "paused", "暂停"
    TERMINATED = "terminated", "终止"


class ProjectType(models.TextChoices):
    NEW = "new", "新建"
    CONTINUING = "continuing", "续建"
    TECH_UPGRADE = "tech_upgrade", "技改"
    CAPITAL_INCREASE = "capital_increase", "增资"


class ProjectLevel(models.TextChoices):
    NONE = "", "一般"
    PROVINCIAL_KEY = "provincial_key", "省级重点"
    MUNICIPAL_KEY = "municipal_key", "市级重点"


class AgreementType(models.TextChoices):
    FRAMEWORK = "framework", "框架协议"
    FORMAL = "formal", "正式合同"


class HesitationReason(models.TextChoices):
    """观望原因: why an investor has not committed yet."""

    LAND = "land", "土地"
    ENERGY_QUOTA = "energy_quota", "能耗指标"
    ENVIRONMENT = "environment", "环评"
    FINANCING = "financing", "融资"
    SUPPORTING = "supporting", "配套"
    POLICY = "policy", "政策"
    COMPETING_LOCATION = "competing_location", "竞争地区"
    MARKET = "market", "市场"
    UTILITIES = "utilities", "水电气热网"
    APPROVALS = "approvals", "审批"
    OTHER = "other", "其他"


class FollowUpKind(models.TextChoices):
    VISIT = "visit", "走访"
    CALL = "call", "电话"
    MEETING = "meeting", "会谈"
    OTHER = "other", "其他"


class RequirementStatus(models.TextChoices):
    OPEN = "open", "未解决"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已解决"


class StageDirection(models.TextChoices):
    FORWARD = "forward", "推进"
    SKIP = "skip", "跨阶段推进"
    BACK = "back", "回退"
