"""Django's ``flush``, with the audit tables' append-only triggers lifted for its own run.

Emptying the whole database (``zonedesk demo --force``, the test runner between transactional tests)
is not an edit of the record; every other DELETE of an audit row stays refused.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from zonedesk.core import append_only


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        append_only.uninstall(connection)
        try:
            super().handle(**options)
        finally:
            append_only.install(connection)
