from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zonedesk.web"
    label = "web"
    verbose_name = "工作台"
    nav = [("项目台账", "web:project-list", 10)]
