from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "zonedesk.intake"
    label = "intake"
    verbose_name = _("文本提取")
    url_prefix = "intake/"
    api_routers = {"/intake": "zonedesk.intake.api:router"}
    nav = [(_("文本提取"), "intake:home", 50)]
