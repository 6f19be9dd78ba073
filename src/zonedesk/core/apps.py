from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zonedesk.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from zonedesk.core import security_log

        security_log.connect()
