"""The roles a new installation starts with. Administrators may add others; these are data, not code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Role

ALL = ["view", "add", "change", "delete", "advance", "follow_up"]
READ = ["view"]

DEFAULT_ROLES: dict[str, tuple[str, dict[str, list[str]]]] = {
    # Granted with scope "all" a province administrator; with a zone scope, that zone's administrator
    # ("administer" on org units: the units and the people in them, within the grant's reach).
    "province_admin": (
        "省级管理员",
        {**dict.fromkeys(("project", "enterprise", "zone", "park"), ALL), "orgunit": [*ALL, "administer"]},
    ),
    "bureau_officer": (
        "市县部门干部",
        {"project": ["view", "follow_up"], "enterprise": READ, "zone": READ, "park": READ, "orgunit": READ},
    ),
    "zone_officer": (
        "开发区招商专员",
        {
            "project": ALL,
            "enterprise": ["view", "add", "change"],
            "zone": READ,
            "park": READ,
            "orgunit": READ,
        },
    ),
    "department_officer": (
        "部门干部",
        {
            "project": ["view", "add", "change", "advance", "follow_up"],
            "enterprise": ["view", "add", "change"],
            "zone": READ,
            "park": READ,
            "orgunit": READ,
        },
    ),
    "viewer": ("只读", dict.fromkeys(("project", "enterprise", "zone", "park", "orgunit"), READ)),
}


def default_roles() -> dict[str, tuple[str, dict[str, list[str]]]]:
    """DEFAULT_ROLES with what installed apps grant them. An app whose records the gate covers declares on
    its AppConfig ``role_grants = {role code: {object type: [actions]}}``; a grant adds object types the
    role does not name yet, so it never overrides this table or an app listed before it. DEFAULT_ROLES
    itself is never changed."""
    from django.apps import apps

    roles = {
        code: (name, {otype: list(actions) for otype, actions in perms.items()})
        for code, (name, perms) in DEFAULT_ROLES.items()
    }
    for config in apps.get_app_configs():
        for code, grants in (getattr(config, "role_grants", None) or {}).items():
            if code in roles:
                for otype, actions in grants.items():
                    roles[code][1].setdefault(otype, list(actions))
    return roles


def ensure_default_roles() -> dict[str, Role]:
    from .models import Role

    roles: dict[str, Role] = {}
    for code, (name, permissions) in default_roles().items():
        role, _ = Role.objects.update_or_create(
            code=code, defaults={"name": name, "permissions": permissions}
        )
        roles[code] = role
    return roles
