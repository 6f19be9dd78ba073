"""Dispatch's permissions reach the default roles through AppConfig.role_grants, collected by
access.defaults.default_roles(); the base table itself is never changed."""

from django.apps import apps

from zonedesk.access import defaults
from zonedesk.access.models import Role
from zonedesk.dispatch.apps import DISPATCH_ROLE_PERMISSIONS


def test_dispatch_declares_its_grants_on_its_app_config():
    assert apps.get_app_config("dispatch").role_grants is DISPATCH_ROLE_PERMISSIONS
    assert "ready" not in type(apps.get_app_config("dispatch")).__dict__  # nothing patched at start-up


def test_default_roles_add_app_grants_without_changing_the_base_table():
    roles = defaults.default_roles()
    name, perms = roles["zone_officer"]
    assert name == "开发区招商专员"
    assert perms["project"] == defaults.ALL  # the base table's own grants are untouched
    assert perms["progressreport"] == ["view", "add", "change", "delete"]
    assert perms["missingreportnotice"] == ["view", "change"]
    assert roles["bureau_officer"][1]["coordinationissue"] == ["view", "add", "change"]
    assert roles["department_officer"][1]["progressreport"] == ["view", "add", "change"]
    assert all("progressreport" not in p for _, p in defaults.DEFAULT_ROLES.values())


def test_an_app_grant_never_overrides_what_the_table_names(monkeypatch):
    config = apps.get_app_config("dispatch")
    monkeypatch.setattr(
        config,
        "role_grants",
        {
            "viewer": {"project": ["view", "delete"], "meeting": ["view"]},
            "no_such_role": {"project": ["view"]},
        },
    )
    roles = defaults.default_roles()
    assert roles["viewer"][1]["project"] == ["view"] and roles["viewer"][1]["meeting"] == ["view"]
    assert "no_such_role" not in roles


def test_ensure_default_roles_writes_the_collected_permissions(db):
    roles = defaults.ensure_default_roles()
    stored = Role.objects.get(pk=roles["viewer"].pk).permissions
    assert stored == defaults.default_roles()["viewer"][1]
    assert stored["reportingperiod"] == ["view"] and stored["zone"] == ["view"]
