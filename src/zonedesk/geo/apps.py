from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "zonedesk.geo"
    label = "geo"
    verbose_name = "区划与开发区"
