from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Which actions each default role has on the dispatch records. Roles are data (access/defaults.py);
# dispatch declares these as its ``role_grants`` so the one gate (``restrict``) covers its models too.
_ALL = ["view", "add", "change", "delete"]
_WRITE = ["view", "add", "change"]
DISPATCH_OBJECT_TYPES = (
    "reportingcycle",
    "reportingperiod",
    "progressreport",
    "reportphoto",
    "correction",
    "annualplan",
    "coordinationissue",
    "meeting",
)
# Reminders are written by the reminder job; a person may read theirs and mark them read.
_NOTICE = {"missingreportnotice": ["view", "change"]}
DISPATCH_ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "province_admin": {**dict.fromkeys(DISPATCH_OBJECT_TYPES, _ALL), **_NOTICE},
    "bureau_officer": {
        **{t: ["view"] for t in DISPATCH_OBJECT_TYPES},
        "coordinationissue": _WRITE,
        "meeting": _WRITE,
        **_NOTICE,
    },
    "zone_officer": {**dict.fromkeys(DISPATCH_OBJECT_TYPES, _ALL), **_NOTICE},
    "department_officer": {
        **{t: ["view"] for t in DISPATCH_OBJECT_TYPES},
        "progressreport": _WRITE,
        "reportphoto": _WRITE,
        "coordinationissue": _WRITE,
        "annualplan": _WRITE,
        **_NOTICE,
    },
    "viewer": {**{t: ["view"] for t in DISPATCH_OBJECT_TYPES}, **_NOTICE},
}


class DispatchConfig(AppConfig):
    name = "zonedesk.dispatch"
    label = "dispatch"
    verbose_name = _("调度通报")
    url_prefix = "dispatch/"
    api_routers = {"/dispatch": "zonedesk.dispatch.api:router"}
    cli_module = "zonedesk.dispatch.cli"
    nav = [("调度通报", "dispatch:home", 30)]
    # Collected by access.defaults.default_roles(): the default roles' actions on dispatch records.
    role_grants = DISPATCH_ROLE_PERMISSIONS
