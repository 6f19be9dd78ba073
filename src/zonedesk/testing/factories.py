"""factory_boy factories for tests: org units, users, roles, grants, zones, parks, projects.

Each factory that makes a change-logged record creates it through its app's service inside an actor
context, so a factory-made record has the same tree path, zone and history row as one made by a
page or the API: tests never start from a state the application could not reach.

    unit = OrgUnitFactory(parent=committee)          # a department under a committee (its zone too)
    user = UserFactory(unit=unit, grants=[("zone_officer", Scope.ZONE, zone)])
    project = ProjectFactory(zone=zone, pursuing_unit=unit, created_by=user)
"""

from __future__ import annotations

from typing import Any

import factory

from zonedesk.access.choices import Scope, UnitKind
from zonedesk.access.models import Grant, OrgUnit, Role, User
from zonedesk.core.audit import acting_as
from zonedesk.geo.models import Park, Region, Zone
from zonedesk.projects.models import Project
from zonedesk.testing.world import PASSWORD


def _system():
    return acting_as(None, source="test", label="测试工厂")


class RoleFactory(factory.django.DjangoModelFactory[Role]):
    """A role is data an administrator edits; tests name the actions it allows."""

    class Meta:
        model = Role
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"测试角色{n}")
    permissions = factory.LazyFunction(lambda: {"project": ["view"]})


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT
    parent = None
    zone = None

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> OrgUnit:
        from zonedesk.access.services import orgunit_create

        with _system():
            return orgunit_create(**kwargs)


class ZoneFactory(factory.django.DjangoModelFactory[Zone]):
    """A zone run by a committee; the committee (and its future departments) belong to it."""

    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"测试开发区{n}")
    kind = "etdz"
    level = "provincial"
    region = factory.LazyFunction(lambda: Region.objects.get(pk="140400"))
    aliases = factory.LazyAttribute(lambda o: [o.name.replace("开发区", "区")])
    committee = factory.SubFactory(
        OrgUnitFactory, kind=UnitKind.ZONE_COMMITTEE, name=factory.Sequence(lambda n: f"测试管委会{n}")
    )

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Zone:
        from zonedesk.geo.services import zone_create

        with _system():
            zone = zone_create(**kwargs)
        if zone.committee is not None:
            zone.committee.refresh_from_db()
        return zone


class ParkFactory(factory.django.DjangoModelFactory[Park]):
    class Meta:
        model = Park

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试园区{n}")

    @classmethod
    def _create(cls, model_class: type, **kwargs: Any) -> Park:
        from zonedesk.geo.services import park_create

        with _system():
            return park_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user with the test password. ``grants=[(role code or Role, scope, zone or units)]`` adds grants
    (the default roles are created on first use)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    unit = None
    is_superuser = False

    @classmethod
    def _create(cls, model_class: type, grants: list[tuple] | None = None, **kwargs: Any) -> User:
        from zonedesk.access.services import user_create

        with _system():
            user = user_create(password=PASSWORD, **kwargs)
        for role, scope, where in grants or []:
            GrantFactory(user=user, role=role, scope=scope, where=where)
        return User.objects.get(pk=user.pk)


class GrantFactory(factory.django.DjangoModelFactory[Grant]):
    """``where`` is the zone of a zone grant or the unit list of a chosen-units grant."""

    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    role = "viewer"
    scope = Scope.ALL

    @classmethod
    def _create(cls, model_class: type, where: Any = None, **kwargs: Any) -> Grant:
        from zonedesk.access.defaults import ensure_default_roles
        from zonedesk.access.services import grant_create

        role = kwargs.pop("role")
        if isinstance(role, str):
            role = Role.objects.filter(code=role).first() or ensure_default_roles()[role]
        zone = where if isinstance(where, Zone) else None
        units = list(where) if isinstance(where, (list, tuple)) else None
        with _system():
            return grant_create(role=role, zone=zone, units=units, **kwargs)


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """A project made by ``created_by`` (a superuser unless given) through ``project_create``."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    zone = factory.SubFactory(ZoneFactory)
    created_by = factory.SubFactory(UserFactory, is_superuser=True)

    @classmethod
    def _create(cls, model_class: type, created_by: User, **fields: Any) -> Project:
        from zonedesk.projects.services import project_create

        data = {name: getattr(value, "pk", value) for name, value in fields.items()}
        with acting_as(created_by, source="test"):
            return project_create(user=created_by, data=data)


def administrators(world: Any) -> dict[str, User]:
    """Three administrators beside the World's province administrator, each the default
    province_admin role over less: zone A, zone B, and one department of zone A (生物医药招商中心)."""
    return {
        "zone_admin_a": UserFactory.create(
            username="zone_admin_a",
            unit=world.committee_a,
            grants=[("province_admin", Scope.ZONE, world.zone_a)],
        ),
        "zone_admin_b": UserFactory.create(
            username="zone_admin_b",
            unit=world.committee_b,
            grants=[("province_admin", Scope.ZONE, world.zone_b)],
        ),
        "unit_admin": UserFactory.create(
            username="unit_admin", unit=world.centre_a, grants=[("province_admin", Scope.UNIT, None)]
        ),
    }
