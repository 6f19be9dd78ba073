from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "zonedesk.projects"
    label = "projects"
    verbose_name = _("项目")
    cli_module = "zonedesk.projects.cli"

    def ready(self) -> None:
        # Load and validate the stage-gate rules at start-up: a broken rules file stops the
        # server with a clear message instead of failing on the first advance.
        from .rules import get_rules

        get_rules()
        from . import signals  # noqa: F401  (connects the search-index receivers)
