from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseTag(models.TextChoices):
    HIGH_TECH = "high_tech", _("高新技术企业")
    SPECIALISED = "specialised", _("专精特新")
    LITTLE_GIANT = "little_giant", _("小巨人")
    CHAIN_MASTER = "chain_master", _("链主")
    LISTED = "listed", _("上市")
    ABOVE_SCALE = "above_scale", _("规上")
    FOREIGN = "foreign", _("外资")
    SOE = "soe", _("国有")
    FORTUNE500 = "fortune500", _("世界500强")
    TECH_SME = "tech_sme", _("科技型中小企业")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")
