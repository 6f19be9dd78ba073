"""A small, fixed organisation for tests: two sibling zones under one province, users at every scope.

山西省商务厅 (province)
├── 长治市商务局 (city)
│   └── 长治高新区管委会 ── zone A ── 生物医药招商中心, 园区服务中心
└── 吕梁市商务局 (city)
    └── 兴县经开区管委会 ── zone B ── 招商中心
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zonedesk.access.choices import Scope, UnitKind
from zonedesk.access.defaults import ensure_default_roles
from zonedesk.access.models import OrgUnit, Role, User
from zonedesk.access.services import grant_create, orgunit_create, user_create
from zonedesk.core.audit import acting_as
from zonedesk.enterprises.services import enterprise_create
from zonedesk.geo.models import Park, Region, Zone
from zonedesk.geo.services import park_create, zone_create
from zonedesk.projects.models import Project
from zonedesk.projects.services import project_create

PASSWORD = "test-password-123"


@dataclass
class World:
    province: OrgUnit
    city_a: OrgUnit
    city_b: OrgUnit
    zone_a: Zone
    zone_b: Zone
    committee_a: OrgUnit
    committee_b: OrgUnit
    centre_a: OrgUnit
    centre_b: OrgUnit
    park_a: Park
    roles: dict[str, Role]
    admin: User  # scope: all
    city_officer: User  # city A bureau, unit and below
    officer_a: User  # zone A
    officer_b: User  # zone B
    centre_user: User  # zone A centre, own unit
    own_user: User  # zone A, own records only
    nogrant: User  # logged in, no grant at all

    def project(self, zone: Zone | None = None, *, by: User | None = None, **fields: Any) -> Project:
        zone = zone or self.zone_a
        data = {"name": fields.pop("name", "测试项目"), "zone": zone.pk, **fields}
        with acting_as(by or self.admin, source="test"):
            return project_create(user=by or self.admin, data=data)

    def enterprise(self, name: str = "山西测试科技有限公司", zone: Zone | None = None, **fields: Any):
        with acting_as(self.admin, source="test"):
            return enterprise_create(
                user=self.admin, data={"name": name, "zone": (zone or self.zone_a).pk, **fields}
            )


def build_world() -> World:
    from zonedesk.enterprises.models import IndustryCode
    from zonedesk.enterprises.reference import load_industries
    from zonedesk.geo.reference import load_regions

    # Reference data comes from migrations; tests that flush tables (transaction=True) reload it.
    load_regions(Region)
    load_industries(IndustryCode)
    with acting_as(None, source="test", label="测试数据"):
        roles = ensure_default_roles()
        province = orgunit_create(
            name="山西省商务厅", kind=UnitKind.PROVINCE_BUREAU, region=Region.objects.get(pk="140000")
        )
        city_a = orgunit_create(name="长治市商务局", kind=UnitKind.CITY_BUREAU, parent=province)
        city_b = orgunit_create(name="吕梁市商务局", kind=UnitKind.CITY_BUREAU, parent=province)
        committee_a = orgunit_create(name="长治高新区管委会", kind=UnitKind.ZONE_COMMITTEE, parent=city_a)
        committee_b = orgunit_create(name="兴县经开区管委会", kind=UnitKind.ZONE_COMMITTEE, parent=city_b)
        zone_a = zone_create(
            name="长治高新技术产业开发区",
            kind="high_tech",
            level="national",
            region=Region.objects.get(pk="140400"),
            aliases=["长治高新区"],
            committee=committee_a,
        )
        zone_b = zone_create(
            name="兴县经济技术开发区",
            kind="etdz",
            level="provincial",
            region=Region.objects.get(pk="141123"),
            aliases=["兴县经开区"],
            committee=committee_b,
        )
        centre_a = orgunit_create(
            name="生物医药招商中心", kind=UnitKind.INVESTMENT_CENTRE, parent=committee_a
        )
        centre_b = orgunit_create(name="兴县招商中心", kind=UnitKind.INVESTMENT_CENTRE, parent=committee_b)
        park_a = park_create(zone=zone_a, name="生物医药产业园")

        def user(name, unit, role=None, scope=None, zone=None):
            u = user_create(username=name, password=PASSWORD, full_name=name, unit=unit)
            if role:
                grant_create(user=u, role=roles[role], scope=scope, zone=zone)
            return User.objects.get(pk=u.pk)

        return World(
            province=province,
            city_a=city_a,
            city_b=city_b,
            zone_a=zone_a,
            zone_b=zone_b,
            committee_a=committee_a,
            committee_b=committee_b,
            centre_a=centre_a,
            centre_b=centre_b,
            park_a=park_a,
            roles=roles,
            admin=user("admin", province, "province_admin", Scope.ALL),
            city_officer=user("city", city_a, "bureau_officer", Scope.UNIT_TREE),
            officer_a=user("officer_a", committee_a, "zone_officer", Scope.ZONE, zone_a),
            officer_b=user("officer_b", committee_b, "zone_officer", Scope.ZONE, zone_b),
            centre_user=user("centre", centre_a, "department_officer", Scope.UNIT),
            own_user=user("own", centre_a, "department_officer", Scope.OWN),
            nogrant=user("nogrant", committee_a),
        )


def signed_fields(enterprise_id: int) -> dict[str, Any]:
    return {
        "investors": [enterprise_id],
        "agreement_type": "formal",
        "agreement_date": dt.date(2026, 3, 16),
        "agreement_amount_wan": Decimal("30000"),
    }
