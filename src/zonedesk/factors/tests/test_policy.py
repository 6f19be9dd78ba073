"""Who must have a second factor: the administrator roles of ZONEDESK_MFA_REQUIRED_ROLES and any all-zones grant."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from zonedesk.access.models import Role, User
from zonedesk.access.services import grant_create
from zonedesk.core.audit import acting_as
from zonedesk.factors.policy import DEFAULT_REQUIRED_ROLES, requires_mfa

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)  # grants are cached per user object


def test_the_installed_default_is_the_four_administrator_roles():
    from zonedesk.config.settings import base

    assert list(DEFAULT_REQUIRED_ROLES) == base.ZONEDESK_MFA_REQUIRED_ROLES
    assert base.ZONEDESK_MFA_REQUIRE_ALL_SCOPE is True


def test_administrators_must_and_officers_may(world, mfa_on):
    assert [
        requires_mfa(fresh(u)) for u in (world.admin, world.city_officer, world.officer_a, world.nogrant)
    ] == [
        True,
        False,
        False,
        False,
    ]
    assert requires_mfa(AnonymousUser()) is False


def test_an_all_zones_grant_requires_it_whatever_the_role(world, mfa_on):
    with acting_as(None, source="test", label="测试"):
        grant_create(user=world.nogrant, role=world.roles["viewer"], scope="all")
    assert requires_mfa(fresh(world.nogrant)) is True


def test_a_role_named_in_the_setting_requires_it(world, settings):
    settings.ZONEDESK_MFA_REQUIRED_ROLES = ["security_admin"]
    settings.ZONEDESK_MFA_REQUIRE_ALL_SCOPE = False
    with acting_as(None, source="test", label="测试"):
        role = Role.objects.get(code="security_admin")  # a default role (三员分立)
        grant_create(user=world.officer_b, role=role, scope="zone", zone=world.zone_b)
    assert requires_mfa(fresh(world.officer_b)) is True
    assert requires_mfa(fresh(world.admin)) is False  # province_admin not named, all-zones rule off


def test_a_superuser_must_while_the_all_zones_rule_is_on(world, mfa_on):
    world.nogrant.is_superuser = True
    assert requires_mfa(world.nogrant) is True
