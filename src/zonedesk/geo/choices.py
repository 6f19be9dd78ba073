from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级"
    COUNTY = "county", "县级"


class ZoneKind(models.TextChoices):
    ETDZ = "etdz", "经济技术开发区"
    HIGH_TECH = "high_tech", "高新技术产业开发区"
    REFORM = "reform", "综改示范区"
    AGRICULTURE = "agriculture", "现代农业产业示范区"
    ECO_TOURISM = "eco_tourism", "生态文化旅游示范区"
    FREE_TRADE = "free_trade", "自贸试验区/综合保税区"
    INDUSTRIAL = "industrial", "工业园区"
    OTHER = "other", "其他"


class ZoneLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
