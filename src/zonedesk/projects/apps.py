from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "zonedesk.projects"
    label = "projects"
    verbose_name = _("项目")
    # projects/, board/, dashboard/, and the directory: enterprises/<pk>/, zones/<pk>/, units/<pk>/ (pages
    # about who answers for which projects, so they live with the projects).
    url_prefix = ""
    api_routers = {"/projects": "zonedesk.projects.api:router"}
    cli_module = "zonedesk.projects.cli"
    nav = [
        (_("项目台账"), "projects:project-list", 10),
        (_("看板"), "projects:board", 11),
        (_("驾驶舱"), "projects:dashboard", 12),
    ]

    def ready(self) -> None:
        # Load and validate the stage-gate rules at start-up: a broken rules file stops the
        # server with a clear message instead of failing on the first advance.
        from .rules import get_rules

        get_rules()
        from . import signals  # noqa: F401  (connects the search-index receivers)
