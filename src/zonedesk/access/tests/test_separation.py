"""三员分立: the system, security and audit administrators, what each may and may not do, and the
conflicts refused (nobody grants themselves or anyone an administrator role; one administrator role a person)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from zonedesk.access import services
from zonedesk.access.choices import Scope
from zonedesk.access.defaults import ADMINISTRATOR_ROLES
from zonedesk.access.models import Grant, OrgUnit, Role, User
from zonedesk.access.scoping import restrict
from zonedesk.access.selectors import administered_users, holds, may_secure, secured_users
from zonedesk.core.audit import acting_as
from zonedesk.core.errors import NotPermitted, ValidationFailed
from zonedesk.projects.models import Project
from zonedesk.testing.factories import UserFactory
from zonedesk.testing.permissions import Endpoint, Matrix, call_endpoint, state

WATCH = (User, Grant, Grant.units.through, OrgUnit)


@pytest.fixture
def three(world):
    """The three administrators of the province, each over everything, in the province's unit."""
    return {
        "system": UserFactory.create(
            username="xitong", unit=world.province, grants=[("system_admin", Scope.ALL, None)]
        ),
        "security": UserFactory.create(
            username="anquan", unit=world.province, grants=[("security_admin", Scope.ALL, None)]
        ),
        "audit": UserFactory.create(
            username="shenji", unit=world.province, grants=[("audit_admin", Scope.ALL, None)]
        ),
    }


def refused(by, call, error=NotPermitted, **kwargs):
    """Call a service as ``by``: it must refuse and leave people, grants, units and history as they were."""
    before = state(WATCH)
    with acting_as(by, source="test"), pytest.raises(error) as exc:
        call(by=by, **kwargs)
    assert state(WATCH) == before
    return exc.value.message


def test_the_three_roles_hold_exactly_their_actions(three):
    perms = {r.code: r.permissions for r in Role.objects.filter(code__in=ADMINISTRATOR_ROLES[:3])}
    assert perms == {
        "system_admin": {
            "orgunit": ["view", "add", "change", "administer"],
            "zone": ["view", "add", "change"],
            "park": ["view", "add", "change", "delete"],
            "role": ["assign"],
        },
        # with what the factors app grants it (second factors and API tokens of the people it secures)
        "security_admin": {
            "user": ["view", "secure"],
            "orgunit": ["view"],
            "apitoken": ["view", "change"],
            "secondfactor": ["view", "change"],
        },
        "audit_admin": {"securityevent": ["view"], "objectchange": ["view"]},
    }
    assert {r.code: r.name for r in Role.objects.filter(code__in=ADMINISTRATOR_ROLES)} == {
        "system_admin": "系统管理员",
        "security_admin": "安全管理员",
        "audit_admin": "审计管理员",
        "province_admin": "省级管理员",
    }


def test_none_of_the_three_sees_a_project(world, three):
    world.project(name="甲项目")
    assert [restrict(u, "view", Project).count() for u in three.values()] == [0, 0, 0]


def test_the_system_administrator_creates_disables_and_grants_ordinary_roles(world, three):
    by = three["system"]
    with acting_as(by, source="test"):
        person = services.user_create(
            by=by, username="xiaoli", password="Zd-2026-welcome", unit=world.centre_a
        )
        grant = services.grant_create(
            by=by, user=person, role=world.roles["zone_officer"], scope=Scope.ZONE, zone=world.zone_a
        )
        services.user_set_active(by=by, user=person, active=False)
    person.refresh_from_db()
    assert (person.unit_id, person.is_active, grant.role.code, grant.zone_id) == (
        world.centre_a.pk,
        False,
        "zone_officer",
        world.zone_a.pk,
    )
    assert administered_users(by).count() == User.objects.filter(is_superuser=False).count()


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("system_admin", "系统管理员"),
        ("security_admin", "安全管理员"),
        ("audit_admin", "审计管理员"),
        ("province_admin", "省级管理员"),
    ],
)
@pytest.mark.parametrize("granter", ["system", "province"])
def test_no_administrator_grants_an_administrator_role_to_anyone(world, three, code, name, granter):
    by = three["system"] if granter == "system" else world.admin
    expected = f"管理员角色“{name}”只能由超级管理员授予或撤销（三员分立）"
    role = Role.objects.get(code=code)
    for user in (by, world.centre_user, three["audit"]):
        assert refused(by, services.grant_create, user=user, role=role, scope=Scope.ALL) == expected


def test_an_administrator_cannot_take_an_administrator_role_away_either(world, three):
    grant = three["security"].grants.get()
    message = refused(three["system"], services.grant_delete, grant=grant)
    assert message == "管理员角色“安全管理员”只能由超级管理员授予或撤销（三员分立）"


def test_nobody_but_a_superuser_grants_themselves_a_role(world, three):
    by = three["system"]
    message = refused(by, services.grant_create, user=by, role=world.roles["viewer"], scope=Scope.ALL)
    assert message == "不能为自己授权或撤销自己的授权"


@pytest.mark.parametrize(
    ("held", "given", "message"),
    [
        ("system", "security_admin", "三员分立：xitong 已是“系统管理员”，不能同时担任“安全管理员”"),
        ("security", "audit_admin", "三员分立：anquan 已是“安全管理员”，不能同时担任“审计管理员”"),
        ("audit", "system_admin", "三员分立：shenji 已是“审计管理员”，不能同时担任“系统管理员”"),
        ("audit", "province_admin", "三员分立：shenji 已是“审计管理员”，不能同时担任“省级管理员”"),
    ],
)
def test_one_person_never_holds_two_administrator_roles_even_from_a_superuser(three, held, given, message):
    root = UserFactory.create(username="root", is_superuser=True)
    role = Role.objects.get(code=given)
    assert refused(
        root, services.grant_create, ValidationFailed, user=three[held], role=role, scope=Scope.ALL
    ) == (message)


def test_the_province_administrator_of_older_installations_conflicts_with_the_three(world):
    with acting_as(None, source="test", label="test"), pytest.raises(ValidationFailed) as exc:
        services.grant_create(user=world.admin, role=Role.objects.get(code="audit_admin"), scope=Scope.ALL)
    assert exc.value.fields == {"role": ["三员分立：admin 已是“省级管理员”，不能同时担任“审计管理员”"]}


def test_the_conflict_is_shown_on_the_grant_page(three):
    root = UserFactory.create(username="root", is_superuser=True)
    client = Client()
    client.force_login(root)
    before = state(WATCH)
    response = client.post(
        f"/manage/users/{three['system'].pk}/grants/new/",
        {"role": Role.objects.get(code="audit_admin").pk, "scope": "all"},
    )
    assert response.status_code == 422
    assert "三员分立：xitong 已是“系统管理员”，不能同时担任“审计管理员”" in response.content.decode()
    assert state(WATCH) == before


@pytest.mark.parametrize("who", ["security", "audit"])
def test_only_a_system_administrator_creates_or_disables_accounts(world, three, who):
    by = three[who]
    assert (
        refused(by, services.user_create, username="xiaoli", password="Zd-2026-welcome", unit=world.centre_a)
        == "所属单位不在您管理的范围内"
    )
    assert (
        refused(by, services.user_set_active, user=world.centre_user, active=False)
        == "该用户不在您管理的范围内"
    )
    client = Client()
    client.force_login(by)
    assert [client.get(url).status_code for url in ("/manage/users/", "/manage/users/new/")] == [403, 403]


def test_only_a_security_administrator_may_unlock_or_reset_an_account(world, three):
    root = UserFactory.create(username="root", is_superuser=True)
    people = {"system": three["system"], "audit": three["audit"], "province": world.admin, "root": root}
    assert {name: may_secure(u, world.centre_user) for name, u in people.items()} == {
        "system": False,
        "audit": False,
        "province": False,
        "root": True,
    }
    assert may_secure(three["security"], world.centre_user) is True
    assert may_secure(three["security"], three["security"]) is False  # never one's own account
    assert may_secure(three["security"], root) is False  # superusers only for a superuser
    assert secured_users(three["security"]).count() == User.objects.filter(is_superuser=False).count() - 1


def test_a_zone_security_administrator_secures_that_zones_people_only(world):
    zone_security = UserFactory.create(
        username="anquan_a", unit=world.committee_a, grants=[("security_admin", Scope.UNIT_TREE, None)]
    )
    assert (may_secure(zone_security, world.centre_user), may_secure(zone_security, world.officer_b)) == (
        True,
        False,
    )


def test_only_the_audit_administrator_reads_the_security_log(world, three):
    assert {name: holds(u, "securityevent", "view") for name, u in three.items()} == {
        "system": False,
        "security": False,
        "audit": True,
    }
    assert [holds(three["audit"], "securityevent", a) for a in ("add", "change", "delete")] == [False] * 3
    assert holds(three["audit"], "objectchange", "view") is True


# --------------------------------------------------------------------------- the audit administrator writes nothing
def _matrices() -> list[Matrix]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zonedesk."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_permission_matrix")
        except ModuleNotFoundError:
            continue
        found += [m for m in vars(module).values() if isinstance(m, Matrix)]
    return found


ENDPOINTS = [(m, ep) for m in _matrices() for ep in m.endpoints if ep.kind in ("write", "create")]
WRITES = [pytest.param(m, ep, id=f"{m.surface}-{ep.resource}-{ep.action}") for m, ep in ENDPOINTS]


def test_every_write_endpoint_of_every_app_is_covered():
    surfaces = {(m.surface, ep.resource) for m, ep in ENDPOINTS}
    assert len(ENDPOINTS) >= 30
    assert ("api", "projects") in surfaces and ("page", "users") in surfaces


@pytest.mark.django_db
@pytest.mark.parametrize(("matrix", "endpoint"), WRITES)
def test_the_audit_administrator_cannot_write_anything(
    matrix: Matrix, endpoint: Endpoint, world, client, token_for
):
    auditor = UserFactory.create(
        username="shenji", unit=world.province, grants=[("audit_admin", Scope.ALL, None)]
    )
    ctx = {"world": world, **matrix.setup(world)}
    headers = token_for(auditor) if matrix.surface == "api" else {}
    if matrix.surface == "page":
        client.force_login(auditor)
    before = state(matrix.watch)
    response = call_endpoint(matrix, endpoint, client, headers, ctx)
    assert response.status_code in (302, 403, 404, 422), response.status_code
    assert state(matrix.watch) == before, "the audit administrator changed something"
