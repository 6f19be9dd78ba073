from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zonedesk.projects"
    label = "projects"
    verbose_name = "项目"

    def ready(self) -> None:
        # Load and validate the stage-gate rules at start-up: a broken rules file stops the
        # server with a clear message instead of failing on the first advance.
        from .rules import get_rules

        get_rules()
        from . import signals  # noqa: F401  (connects the search-index receivers)
