from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """The pipeline, in order. The order itself lives in rules/stage_gates.toml."""

    RESERVE = "reserve", _("储备")
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地（入区）")
    LAND_SUPPLIED = "land_supplied", _("供地")
    STARTED = "started", _("开工")
    IN_PRODUCTION = "in_production", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")


class Status(models.TextChoices):
    NORMAL = "normal", _("正常")
    BEHIND = "behind", _("滞后")
    PAUSED = "paused", _("暂停")
    TERMINATED = "terminated", _("终止")


class ProjectType(models.TextChoices):
    # "新建" is also the verb "create" elsewhere.
    NEW = "new", pgettext_lazy("project type", "新建")
    CONTINUING = "continuing", pgettext_lazy("project type", "续建")
    TECH_UPGRADE = "tech_upgrade", pgettext_lazy("project type", "技改")
    CAPITAL_INCREASE = "capital_increase", pgettext_lazy("project type", "增资")


class ProjectLevel(models.TextChoices):
    NONE = "", _("一般")
    PROVINCIAL_KEY = "provincial_key", _("省级重点")
    MUNICIPAL_KEY = "municipal_key", _("市级重点")


class AgreementType(models.TextChoices):
    FRAMEWORK = "framework", _("框架协议")
    FORMAL = "formal", _("正式合同")


class HesitationReason(models.TextChoices):
    """观望原因: why an investor has not committed yet."""

    LAND = "land", _("土地")
    ENERGY_QUOTA = "energy_quota", _("能耗指标")
    ENVIRONMENT = "environment", _("环评")
    FINANCING = "financing", _("融资")
    SUPPORTING = "supporting", _("配套")
    POLICY = "policy", _("政策")
    COMPETING_LOCATION = "competing_location", _("竞争地区")
    MARKET = "market", _("市场")
    UTILITIES = "utilities", _("水电气热网")
    APPROVALS = "approvals", _("审批")
    OTHER = "other", _("其他")


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("走访")
    CALL = "call", _("电话")
    MEETING = "meeting", _("会谈")
    OTHER = "other", _("其他")


class RequirementStatus(models.TextChoices):
    OPEN = "open", _("未解决")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已解决")


class StageDirection(models.TextChoices):
    # "推进" alone is also the verb on buttons; the direction gets its own context.
    FORWARD = "forward", pgettext_lazy("stage direction", "推进")
    SKIP = "skip", pgettext_lazy("stage direction", "跨阶段推进")
    BACK = "back", pgettext_lazy("stage direction", "回退")
