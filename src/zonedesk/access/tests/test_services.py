"""Administration writes: a zone administrator manages only their zone's units and people, and
cannot grant a role or a data scope beyond their own; every write leaves history."""

from __future__ import annotations

import pytest

from zonedesk.access import services
from zonedesk.access.choices import Scope, UnitKind
from zonedesk.access.models import ApiToken, Grant, OrgUnit, User
from zonedesk.access.selectors import administered_units, administered_users
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted
from zonedesk.core.models import ObjectChange
from zonedesk.testing.factories import RoleFactory, UserFactory, administrators
from zonedesk.testing.permissions import state


@pytest.fixture
def admins(world):
    return administrators(world)


def refused(by, call, **kwargs):
    """Call a service as ``by``; it must refuse and leave users, grants, units and history as they were."""
    before = state((User, Grant, Grant.units.through, OrgUnit))
    with acting_as(by, source="test"), pytest.raises(NotPermitted) as exc:
        call(by=by, **kwargs)
    assert state((User, Grant, Grant.units.through, OrgUnit)) == before
    return exc.value.message


def test_a_zone_administrator_administers_the_zones_units_and_their_people_only(world, admins):
    zone_admin = admins["zone_admin_a"]
    assert sorted(administered_units(zone_admin).values_list("name", flat=True)) == [
        "生物医药招商中心",
        "长治高新区管委会",
    ]
    assert sorted(administered_users(zone_admin).values_list("username", flat=True)) == [
        "centre",
        "nogrant",
        "officer_a",
        "own",
        "unit_admin",
        "zone_admin_a",
    ]


def test_the_province_administrator_administers_everyone_but_superusers(world, admins):
    UserFactory.create(username="root", is_superuser=True)
    names = set(administered_users(world.admin).values_list("username", flat=True))
    assert "root" not in names and {"city", "officer_b", "zone_admin_b", "admin"} <= names
    assert administered_users(world.nogrant).count() == 0


@pytest.mark.parametrize(
    ("scope", "where", "message"),
    [
        (Scope.ALL, None, "只有管理全部单位的管理员才能授予“全部”数据范围"),
        (Scope.ZONE, "zone_b", "数据范围超出您管理的范围"),
        (Scope.UNITS, "centre_b", "数据范围超出您管理的范围"),
    ],
    ids=["all", "sibling_zone", "sibling_unit"],
)
def test_a_zone_administrator_cannot_grant_a_scope_beyond_their_zone(world, admins, scope, where, message):
    zone = getattr(world, where) if scope == Scope.ZONE else None
    units = [getattr(world, where)] if scope == Scope.UNITS else None
    assert (
        refused(
            admins["zone_admin_a"],
            services.grant_create,
            user=world.centre_user,
            role=world.roles["viewer"],
            scope=scope,
            zone=zone,
            units=units,
        )
        == message
    )


def test_a_department_administrator_cannot_grant_the_whole_zone(world, admins):
    message = refused(
        admins["unit_admin"],
        services.grant_create,
        user=world.centre_user,
        role=world.roles["viewer"],
        scope=Scope.ZONE,
        zone=world.zone_a,
    )
    assert message == "数据范围超出您管理的范围"


def test_no_administrator_grants_a_role_with_actions_they_do_not_hold(world, admins):
    bigger = RoleFactory.create(
        code="auditor", name="审计员", permissions={"project": ["view"], "ledger": ["delete"]}
    )
    message = refused(
        admins["zone_admin_a"], services.grant_create, user=world.centre_user, role=bigger, scope=Scope.UNIT
    )
    assert message == "不能授予超出您本人权限的角色：审计员"


def test_a_zone_administrator_cannot_touch_a_sibling_zones_people(world, admins):
    by = admins["zone_admin_a"]
    role = world.roles["viewer"]
    assert refused(by, services.grant_create, user=world.officer_b, role=role, scope=Scope.UNIT) == (
        "该用户不在您管理的范围内"
    )
    assert (
        refused(by, services.user_set_active, user=world.officer_b, active=False)
        == "该用户不在您管理的范围内"
    )
    assert (
        refused(by, services.grant_delete, grant=world.officer_b.grants.get()) == "该用户不在您管理的范围内"
    )
    assert (
        refused(by, services.user_update, user=world.centre_user, full_name="改名", unit=world.centre_b)
        == "所属单位不在您管理的范围内"
    )


def test_a_zone_administrator_creates_people_and_units_inside_the_zone_only(world, admins):
    by = admins["zone_admin_a"]
    assert (
        refused(by, services.user_create, username="x", password="Zd-2026-welcome", unit=world.centre_b)
        == "所属单位不在您管理的范围内"
    )
    assert (
        refused(by, services.user_create, username="x", password="Zd-2026-welcome", unit=None)
        == "所属单位不在您管理的范围内"
    )
    assert (
        refused(by, services.orgunit_create, name="新局", kind=UnitKind.CITY_BUREAU, parent=None)
        == "上级单位不在您管理的范围内"
    )
    assert (
        refused(
            by, services.orgunit_create, name="外区科室", kind=UnitKind.DEPARTMENT, parent=world.committee_b
        )
        == "上级单位不在您管理的范围内"
    )
    with acting_as(by, source="test"):
        team = services.orgunit_create(
            by=by, name="医疗器械专班", kind=UnitKind.SERVICE_TEAM, parent=world.centre_a
        )
        person = services.user_create(by=by, username="newcomer", password="Zd-2026-welcome", unit=team)
        services.grant_create(by=by, user=person, role=world.roles["zone_officer"], scope=Scope.UNIT_TREE)
    assert (team.zone_id, team.path) == (world.zone_a.pk, f"{world.centre_a.path}{team.pk}/")
    assert person in administered_users(by)


def test_grants_given_and_taken_away_are_in_the_users_history(world, admins):
    by = admins["zone_admin_a"]
    person = world.centre_user
    with acting_as(by, source="web"):
        grant = services.grant_create(
            by=by, user=person, role=world.roles["viewer"], scope=Scope.UNITS, units=[world.committee_a]
        )
        services.grant_delete(by=by, grant=grant)
    rows = ObjectChange.objects.filter(object_id=person.pk, content_type__model="user").order_by("pk")
    described = {"role": "viewer", "scope": "units", "zone": None, "units": [world.committee_a.pk]}
    assert [(r.note, r.before, r.after, r.actor_label) for r in rows][-2:] == [
        ("新增授权", None, {"grant": described}, "zone_admin_a"),
        ("撤销授权", {"grant": described}, None, "zone_admin_a"),
    ]
    assert list(person.grants.values_list("role__code", "scope")) == [("department_officer", "unit")]


def test_a_disabled_user_can_no_longer_sign_in_or_use_a_token_and_it_is_recorded(world, admins, token_for):
    by = admins["zone_admin_a"]
    token = token_for(world.centre_user)["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    with acting_as(by, source="web"):
        services.user_set_active(by=by, user=world.centre_user, active=False)
    world.centre_user.refresh_from_db()
    assert (world.centre_user.is_active, ApiToken.authenticate(token)) == (False, None)
    last = ObjectChange.objects.filter(object_id=world.centre_user.pk, content_type__model="user").first()
    assert last is not None
    assert (last.note, last.changes) == ("停用账号", {"is_active": [True, False]})


def test_an_administrator_cannot_disable_their_own_account(world, admins):
    by = admins["zone_admin_a"]
    assert refused(by, services.user_set_active, user=by, active=False) == "不能停用自己的账号"


def test_renaming_a_unit_keeps_its_place_and_records_the_change(world, admins):
    by = admins["zone_admin_a"]
    path = world.centre_a.path
    with acting_as(by, source="web"):
        unit = services.orgunit_update(
            by=by,
            unit=world.centre_a,
            name="生物医药产业招商中心",
            short_name="生物医药中心",
            kind="investment_centre",
        )
    assert (unit.name, unit.path, unit.zone_id) == ("生物医药产业招商中心", path, world.zone_a.pk)
    change = ObjectChange.objects.filter(object_id=unit.pk, content_type__model="orgunit").first()
    assert change is not None
    assert change.changes == {
        "name": ["生物医药招商中心", "生物医药产业招商中心"],
        "short_name": ["", "生物医药中心"],
    }
    assert (
        refused(
            admins["zone_admin_b"], services.orgunit_update, unit=world.centre_a, name="x", kind="department"
        )
        == "该单位不在您管理的范围内"
    )
