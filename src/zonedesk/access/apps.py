from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "zonedesk.access"
    label = "access"
    verbose_name = _("用户与权限")
    api_routers = {"/": "zonedesk.access.api:router"}  # /units, /me
    cli_module = "zonedesk.access.cli"
    # The administration pages (people, units, grants, reference data); zones and parks are geo's.
    url_prefix = "manage/"
    nav = [(_("系统管理"), "access:home", 90)]

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the demo-accounts check
