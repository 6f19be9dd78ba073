from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "zonedesk.access"
    label = "access"
    verbose_name = "用户与权限"
