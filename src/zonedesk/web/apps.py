from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zonedesk.web"
    label = "web"
    verbose_name = _("工作台")
    # The workspace shell: sign-in, start page, saved views, zone and language switches.
    url_prefix = ""
