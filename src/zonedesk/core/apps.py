from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _append_only_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Idempotent: puts back triggers a SQLite table rebuild (a later AlterField) would have dropped.
    from django.db import connections

    from zonedesk.core import append_only

    connection = connections[using]
    if set(append_only.TABLES) <= set(connection.introspection.table_names()):
        append_only.install(connection)


class CoreConfig(AppConfig):
    name = "zonedesk.core"
    label = "core"
    verbose_name = _("基础")
    url_prefix = "audit/"
    cli_module = "zonedesk.core.auditlog.cli"
    # The audit administrator's role arrives with the 三员 roles; until then the province
    # administrator reads the security log (access.defaults collects this).
    role_grants = {"province_admin": {"securityevent": ["view"]}}

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from zonedesk.core import security_log

        security_log.connect()
        post_migrate.connect(
            _append_only_after_migrate, sender=self, dispatch_uid="zonedesk.core.append_only"
        )
