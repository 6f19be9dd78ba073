from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "zonedesk.intake"
    label = "intake"
    verbose_name = "文本提取"
    nav = [("文本提取", "intake:home", 50)]
