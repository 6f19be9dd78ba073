from django.db import models


class EnterpriseTag(models.TextChoices):
    HIGH_TECH = "high_tech", "高新技术企业"
    SPECIALISED = "specialised", "专精特新"
    LITTLE_GIANT = "little_giant", "小巨人"
    CHAIN_MASTER = "chain_master", "链主"
    LISTED = "listed", "上市"
    ABOVE_SCALE = "above_scale", "规上"
    FOREIGN = "foreign", "外资"
    SOE = "soe", "国有"
    FORTUNE500 = "fortune500", "世界500强"
    TECH_SME = "tech_sme", "科技型中小企业"


class IndustryLevel(models.TextChoices):
    SECTION = "section", "门类"
    DIVISION = "division", "大类"
    GROUP = "group", "中类"
    CLASS = "class", "小类"
