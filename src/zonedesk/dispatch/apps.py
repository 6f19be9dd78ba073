from django.apps import AppConfig

# Which actions each default role has on the dispatch records. Roles are data (access/defaults.py);
# dispatch adds its object types to them so the one gate (``restrict``) covers its models too.
_ALL = ["view", "add", "change", "delete"]
_WRITE = ["view", "add", "change"]
DISPATCH_OBJECT_TYPES = (
    "reportingcycle", "reportingperiod", "progressreport", "reportphoto", "correction",
    "annualplan", "coordinationissue", "meeting",
)
DISPATCH_ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "province_admin": {t: _ALL for t in DISPATCH_OBJECT_TYPES},
    "bureau_officer": {
        **{t: ["view"] for t in DISPATCH_OBJECT_TYPES},
        "coordinationissue": _WRITE, "meeting": _WRITE,
    },
    "zone_officer": {t: _ALL for t in DISPATCH_OBJECT_TYPES},
    "department_officer": {
        **{t: ["view"] for t in DISPATCH_OBJECT_TYPES},
        "progressreport": _WRITE, "reportphoto": _WRITE, "coordinationissue": _WRITE, "annualplan": _WRITE,
    },
    "viewer": {t: ["view"] for t in DISPATCH_OBJECT_TYPES},
}


def extend_default_roles() -> None:
    """Add dispatch permissions to the default roles (in memory, before any role is written)."""
    from zonedesk.access import defaults

    for code, extra in DISPATCH_ROLE_PERMISSIONS.items():
        if code in defaults.DEFAULT_ROLES:
            _name, perms = defaults.DEFAULT_ROLES[code]
            for otype, actions in extra.items():
                perms.setdefault(otype, list(actions))


class DispatchConfig(AppConfig):
    name = "zonedesk.dispatch"
    label = "dispatch"
    verbose_name = "调度通报"
    nav = [("调度通报", "dispatch:home", 30)]

    def ready(self) -> None:
        extend_default_roles()
