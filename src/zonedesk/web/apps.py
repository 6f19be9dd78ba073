from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zonedesk.web"
    label = "web"
    verbose_name = _("工作台")
    url_prefix = ""
    nav = [
        (_("项目台账"), "web:project-list", 10),
        (_("看板"), "web:board", 11),
        (_("驾驶舱"), "web:dashboard", 12),
    ]
