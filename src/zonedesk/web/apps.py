from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zonedesk.web"
    label = "web"
    verbose_name = "工作台"
    nav = [("项目台账", "web:project-list", 10), ("看板", "web:board", 11), ("驾驶舱", "web:dashboard", 12)]
