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
    # 三员分立 (GB/T 22239-2019 §8.1.4.2): three administrators, none of whom sees or changes the
    # business records, and none of whom may hold another of the three (``ADMINISTRATOR_ROLES``).
    # 系统管理员: accounts and configuration — people, units, zones and parks; "assign" on roles lets
    # it grant any role that is not an administrator role, within the units it administers.
    "system_admin": (
        "系统管理员",
        {
            "orgunit": ["view", "add", "change", "administer"],
            "zone": ["view", "add", "change"],
            "park": ["view", "add", "change", "delete"],
            "role": ["assign"],
        },
    ),
    # 安全管理员: the security state of accounts — locks, passwords, second factors, tokens. The
    # identity services check "secure" on "user" (``access.selectors.secured_users``) before they unlock,
    # reset a password or a second factor, or revoke someone's tokens.
    "security_admin": ("安全管理员", {"user": ["view", "secure"], "orgunit": READ}),
    # 审计管理员: reads the security log and the history of changes; writes nothing.
    "audit_admin": ("审计管理员", {"securityevent": READ, "objectchange": READ}),
}

# The administrator roles a person may hold only one of. province_admin is the single administrator of
# installations made before 三员分立 (it can do what the three do): it conflicts with each of them too.
SEPARATED_ROLES = ("system_admin", "security_admin", "audit_admin")
ADMINISTRATOR_ROLES = (*SEPARATED_ROLES, "province_admin")


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
