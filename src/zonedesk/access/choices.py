from django.db import models


class UnitKind(models.TextChoices):
    PROVINCE_BUREAU = "province_bureau", "省级部门"
    CITY_BUREAU = "city_bureau", "市级部门"
    COUNTY_BUREAU = "county_bureau", "县级部门"
    ZONE_COMMITTEE = "zone_committee", "开发区管委会"
    DEPARTMENT = "department", "内设部门"
    INVESTMENT_CENTRE = "investment_centre", "招商中心"
    PARK_CENTRE = "park_centre", "园区服务中心"
    SERVICE_TEAM = "service_team", "服务专班"


class Scope(models.TextChoices):
    """How far a grant reaches. A user's reach is the union of all their grants."""

    OWN = "own", "本人记录"
    UNIT = "unit", "本单位"
    UNIT_TREE = "unit_tree", "本单位及下级"
    ZONE = "zone", "指定开发区"
    ALL = "all", "全部"
    UNITS = "units", "指定单位"


class Action(models.TextChoices):
    VIEW = "view", "查看"
    ADD = "add", "新建"
    CHANGE = "change", "修改"
    DELETE = "delete", "删除"
    ADVANCE = "advance", "推进阶段"
    FOLLOW_UP = "follow_up", "记录跟进"
