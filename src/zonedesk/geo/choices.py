from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")


class ZoneKind(models.TextChoices):
    ETDZ = "etdz", _("经济技术开发区")
    HIGH_TECH = "high_tech", _("高新技术产业开发区")
    REFORM = "reform", _("综改示范区")
    AGRICULTURE = "agriculture", _("现代农业产业示范区")
    ECO_TOURISM = "eco_tourism", _("生态文化旅游示范区")
    FREE_TRADE = "free_trade", _("自贸试验区/综合保税区")
    INDUSTRIAL = "industrial", _("工业园区")
    OTHER = "other", _("其他")


class ZoneLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
