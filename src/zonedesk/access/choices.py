from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE_BUREAU = "province_bureau", _("省级部门")
    CITY_BUREAU = "city_bureau", _("市级部门")
    COUNTY_BUREAU = "county_bureau", _("县级部门")
    ZONE_COMMITTEE = "zone_committee", _("开发区管委会")
    DEPARTMENT = "department", _("内设部门")
    INVESTMENT_CENTRE = "investment_centre", _("招商中心")
    PARK_CENTRE = "park_centre", _("园区服务中心")
    SERVICE_TEAM = "service_team", _("服务专班")


class Scope(models.TextChoices):
    """How far a grant reaches. A user's reach is the union of all their grants."""

    OWN = "own", _("本人记录")
    UNIT = "unit", _("本单位")
    UNIT_TREE = "unit_tree", _("本单位及下级")
    ZONE = "zone", _("指定开发区")
    ALL = "all", _("全部")
    UNITS = "units", _("指定单位")


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    ADVANCE = "advance", _("推进阶段")
    FOLLOW_UP = "follow_up", _("记录跟进")
    # On org units: manage the units and the people in them (accounts, units, grants).
    ADMINISTER = "administer", _("管理用户与单位")
    # On users: their security state (unlock, password and second-factor reset, token revocation).
    SECURE = "secure", _("管理账号安全")
    # On roles: grant any role that is not an administrator role (the system administrator).
    ASSIGN = "assign", _("授予角色")
