from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "zonedesk.geo"
    label = "geo"
    verbose_name = _("区划与开发区")
    api_routers = {"/": "zonedesk.geo.api:router"}  # /regions, /zones
    # The zone and park administration pages (reached from the access app's administration tabs).
    url_prefix = "manage/zones/"
