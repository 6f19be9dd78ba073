"""The gate (access/scoping.py): every scope kind, the union of several grants, and the edges.

The organisation (made with the factories, through the services):

    省厅 P
    ├── 市局 C1
    │   └── 管委会 ZA (zone A)
    │       ├── 部门 D1
    │       │   └── 专班 T1
    │       └── 部门 D2
    └── 市局 C2
        └── 管委会 ZB (zone B)
            └── 部门 E1

Projects: 甲 (A, pursued by D1), 乙 (A, by T1), 丙 (A, by D2, referred by E1 of zone B), 丁 (A, no unit),
戊 (B, by E1), 己 (A, no unit, created by the "own records" user).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Q

from zonedesk.access.choices import Scope, UnitKind
from zonedesk.access.models import OrgUnit
from zonedesk.access.scoping import can, reach_q, restrict
from zonedesk.geo.models import Zone
from zonedesk.projects.models import Project
from zonedesk.testing.factories import (
    GrantFactory,
    OrgUnitFactory,
    ProjectFactory,
    RoleFactory,
    UserFactory,
    ZoneFactory,
)

ALL_PROJECTS = ["丁", "丙", "乙", "己", "戊", "甲"]
ZONE_A = ["丁", "丙", "乙", "己", "甲"]


@dataclass
class Org:
    units: dict[str, OrgUnit]
    zone_a: Zone
    zone_b: Zone
    projects: dict[str, Project]
    owner: Any


@pytest.fixture
def org(db):
    p = OrgUnitFactory.create(name="省厅", kind=UnitKind.PROVINCE_BUREAU)
    c1 = OrgUnitFactory.create(name="市局一", kind=UnitKind.CITY_BUREAU, parent=p)
    c2 = OrgUnitFactory.create(name="市局二", kind=UnitKind.CITY_BUREAU, parent=p)
    zone_a = ZoneFactory.create(name="甲开发区", committee__name="甲管委会", committee__parent=c1)
    zone_b = ZoneFactory.create(name="乙开发区", committee__name="乙管委会", committee__parent=c2)
    za, zb = zone_a.committee, zone_b.committee
    assert za is not None and zb is not None
    d1 = OrgUnitFactory.create(name="部门一", parent=za)
    t1 = OrgUnitFactory.create(name="专班一", kind=UnitKind.SERVICE_TEAM, parent=d1)
    d2 = OrgUnitFactory.create(name="部门二", parent=za)
    e1 = OrgUnitFactory.create(name="部门三", parent=zb)
    owner = UserFactory.create(username="owner", unit=d1, grants=[("department_officer", Scope.OWN, None)])
    projects = {
        "甲": ProjectFactory.create(name="甲", zone=zone_a, pursuing_unit=d1),
        "乙": ProjectFactory.create(name="乙", zone=zone_a, pursuing_unit=t1),
        "丙": ProjectFactory.create(name="丙", zone=zone_a, pursuing_unit=d2, referring_unit=e1),
        "丁": ProjectFactory.create(name="丁", zone=zone_a),
        "戊": ProjectFactory.create(name="戊", zone=zone_b, pursuing_unit=e1),
        "己": ProjectFactory.create(name="己", zone=zone_a, created_by=owner),
    }
    units = {"P": p, "C1": c1, "C2": c2, "ZA": za, "ZB": zb, "D1": d1, "T1": t1, "D2": d2, "E1": e1}
    return Org(units=units, zone_a=zone_a, zone_b=zone_b, projects=projects, owner=owner)


def seen(user, action="view", model=Project) -> list[str]:
    """The names ``user`` reaches, checked against the ids the gate returns (one query, no Python filter)."""
    rows = restrict(user, action, model)
    names = sorted(rows.values_list("name", flat=True))
    assert rows.count() == len(names)
    return names


def person(org, unit: str, *grants) -> Any:
    return UserFactory.create(unit=org.units[unit], grants=list(grants))


def test_units_from_the_factory_carry_the_tree_path_and_the_zone_of_their_committee(org):
    u = org.units
    assert u["T1"].path == f"{u['P'].path}{u['C1'].pk}/{u['ZA'].pk}/{u['D1'].pk}/{u['T1'].pk}/"
    assert [u[k].zone_id for k in ("ZA", "D1", "T1", "D2")] == [org.zone_a.pk] * 4
    assert (u["E1"].zone_id, u["C1"].zone_id) == (org.zone_b.pk, None)


# ----------------------------------------------------------------------------- one grant of each kind
def test_own_scope_reaches_the_records_the_user_created_or_is_responsible_for(org):
    assert seen(org.owner) == ["己"]
    Project.objects.filter(pk=org.projects["戊"].pk).update(responsible_officer=org.owner)
    assert seen(org.owner) == ["己", "戊"]


def test_unit_scope_reaches_records_pursued_or_referred_by_the_unit_only(org):
    assert seen(person(org, "D1", ("department_officer", Scope.UNIT, None))) == ["甲"]
    # 丙 is zone A's, but E1 of zone B referred it: a unit grant follows the unit, not the zone.
    assert seen(person(org, "E1", ("department_officer", Scope.UNIT, None))) == ["丙", "戊"]


def test_unit_tree_scope_reaches_the_unit_and_every_unit_below_it(org):
    assert seen(person(org, "D1", ("bureau_officer", Scope.UNIT_TREE, None))) == ["乙", "甲"]
    # A committee's tree is its zone: records of the zone with no unit count as the committee's.
    assert seen(person(org, "ZA", ("bureau_officer", Scope.UNIT_TREE, None))) == ZONE_A
    assert seen(person(org, "C2", ("bureau_officer", Scope.UNIT_TREE, None))) == ["丙", "戊"]


def test_zone_scope_reaches_the_chosen_zone_whatever_the_users_unit(org):
    assert seen(person(org, "D1", ("zone_officer", Scope.ZONE, org.zone_b))) == ["戊"]
    assert seen(person(org, "P", ("zone_officer", Scope.ZONE, org.zone_a))) == ZONE_A


def test_all_scope_reaches_every_record(org):
    assert seen(person(org, "E1", ("viewer", Scope.ALL, None))) == ALL_PROJECTS


def test_chosen_units_scope_reaches_records_of_those_units_exactly(org):
    u = org.units
    assert seen(person(org, "P", ("department_officer", Scope.UNITS, [u["D2"], u["E1"]]))) == ["丙", "戊"]
    # Chosen units are not trees: T1 under D1 is not reached through D1.
    assert seen(person(org, "P", ("department_officer", Scope.UNITS, [u["D1"]]))) == ["甲"]
    # Choosing a committee reaches its zone: a record counts as its zone's committee's too.
    assert seen(person(org, "P", ("department_officer", Scope.UNITS, [u["ZA"]]))) == ZONE_A


def test_chosen_units_scope_with_no_unit_left_reaches_nothing_and_cannot_be_given(org):
    from zonedesk.core.errors import ValidationFailed

    user = person(org, "P", ("department_officer", Scope.UNITS, [org.units["D2"]]))
    user.grants.get().units.clear()  # e.g. its only unit was merged away
    user = type(user).objects.get(pk=user.pk)
    assert (seen(user), reach_q(user, "view", Project)) == ([], None)
    with pytest.raises(ValidationFailed) as refused:
        GrantFactory.create(user=user, role="viewer", scope=Scope.UNITS, where=[])
    assert refused.value.fields == {"units": ["数据范围为“指定单位”时必须选择单位"]}


def test_unit_scopes_reach_nothing_for_a_user_without_a_unit(org):
    user = UserFactory.create(unit=None, grants=[("department_officer", Scope.UNIT, None)])
    GrantFactory.create(user=user, role="bureau_officer", scope=Scope.UNIT_TREE)
    assert seen(user) == []


# ----------------------------------------------------------------------------- several grants: the union
def test_a_user_with_several_grants_reaches_their_union(org):
    user = person(
        org,
        "D1",
        ("department_officer", Scope.UNIT, None),
        ("zone_officer", Scope.ZONE, org.zone_b),
        ("department_officer", Scope.UNITS, [org.units["D2"]]),
    )
    assert seen(user) == ["丙", "戊", "甲"]


def test_the_union_is_per_action_only_grants_whose_role_allows_it_count(org):
    # Read everything (viewer, all) and change only the own unit's (department officer, unit).
    user = person(org, "D1", ("viewer", Scope.ALL, None), ("department_officer", Scope.UNIT, None))
    assert seen(user, "view") == ALL_PROJECTS
    assert seen(user, "change") == ["甲"]
    assert seen(user, "delete") == []
    assert (can(user, "change", Project), can(user, "delete", Project)) == (True, False)


def test_one_grant_reaching_everything_makes_the_whole_reach_every_row(org):
    user = person(org, "D1", ("department_officer", Scope.UNIT, None), ("viewer", Scope.ALL, None))
    assert reach_q(user, "view", Project) == Q()


def test_a_role_made_by_an_administrator_counts_like_a_default_one(org):
    role = RoleFactory.create(
        code="auditor", name="审计", permissions={"project": ["view"], "orgunit": ["view"]}
    )
    user = person(org, "ZA", (role, Scope.UNIT_TREE, None))
    assert seen(user) == ZONE_A
    assert seen(user, "change") == []


# ----------------------------------------------------------------------------- who reaches nothing or all
def test_no_grant_anonymous_and_inactive_users_reach_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    active = person(org, "D1", ("viewer", Scope.ALL, None))
    inactive = person(org, "D1", ("viewer", Scope.ALL, None))
    inactive.is_active = False
    assert [seen(u) for u in (person(org, "D1"), AnonymousUser(), inactive)] == [[], [], []]
    assert seen(active) == ALL_PROJECTS


def test_a_superuser_reaches_everything_without_a_grant(org):
    assert seen(UserFactory.create(is_superuser=True)) == ALL_PROJECTS


# ----------------------------------------------------------------------------- other models, same gate
def test_org_units_follow_the_same_scopes(org):
    assert seen(person(org, "D1", ("viewer", Scope.UNIT, None)), model=OrgUnit) == ["部门一"]
    assert seen(person(org, "D1", ("viewer", Scope.UNIT_TREE, None)), model=OrgUnit) == ["专班一", "部门一"]
    zone_a_units = ["专班一", "甲管委会", "部门一", "部门二"]
    assert seen(person(org, "P", ("viewer", Scope.ZONE, org.zone_a)), model=OrgUnit) == zone_a_units
    chosen = person(org, "P", ("viewer", Scope.UNITS, [org.units["E1"], org.units["C1"]]))
    assert seen(chosen, model=OrgUnit) == ["市局一", "部门三"]


def test_members_of_a_zones_units_see_the_zone_but_not_its_sibling(org):
    assert seen(person(org, "T1", ("viewer", Scope.UNIT, None)), model=Zone) == ["甲开发区"]
    assert seen(org.owner, model=Zone) == ["甲开发区"]
    # A city bureau is no member of a zone: its tree reaches zone B through the committee below it.
    assert seen(person(org, "C2", ("viewer", Scope.UNIT_TREE, None)), model=Zone) == ["乙开发区"]
    assert seen(person(org, "C1", ("viewer", Scope.UNIT, None)), model=Zone) == []


def test_an_enterprise_is_seen_through_a_visible_project_it_invests_in(org):
    from zonedesk.core.audit import acting_as
    from zonedesk.enterprises.models import Enterprise
    from zonedesk.enterprises.services import enterprise_create
    from zonedesk.projects.services import project_update

    admin = UserFactory.create(is_superuser=True)
    with acting_as(admin, source="test"):
        firm = enterprise_create(user=admin, data={"name": "投资方科技有限公司", "zone": org.zone_b.pk})
        project = org.projects["甲"]
        project_update(user=admin, project=project, data={"investors": [firm.pk]}, expected_version=1)
    d1 = person(org, "D1", ("department_officer", Scope.UNIT, None))
    d2 = person(org, "D2", ("department_officer", Scope.UNIT, None))
    assert (seen(d1, model=Enterprise), seen(d2, model=Enterprise)) == (["投资方科技有限公司"], [])
    # Seeing is not changing: "via" widens the view only.
    assert seen(d1, "change", model=Enterprise) == []
