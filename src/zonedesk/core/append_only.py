"""Append-only at the database level: triggers that refuse UPDATE and DELETE on the audit tables.

PostgreSQL: one trigger function for the history, the security log and the purge checkpoints; a
DELETE passes only inside ``zonedesk audit purge`` (``SET LOCAL zonedesk.audit_purge = 'on'``), for a
row older than 180 days and covered by a checkpoint (core.chain.purge). TRUNCATE is refused too.
SQLite: a trigger per table and operation with the same DELETE condition (no session settings there:
the checkpoint row, written first in the same transaction, is the permit).

``flush`` (core's override of Django's, used by ``zonedesk demo --force`` and by the test runner)
removes the triggers for its own run and puts them back; ``install`` runs after every ``migrate``
too (a SQLite table rebuild drops a table's triggers).
"""

from __future__ import annotations

from typing import Any

MIN_AGE = "180 days"  # core.chain.MIN_RETENTION_DAYS, in the database's own words
PURGEABLE = ("core_objectchange", "core_securityevent")
TABLES = (*PURGEABLE, "core_auditcheckpoint")

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION zonedesk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('core_objectchange', 'core_securityevent')
       AND coalesce(current_setting('zonedesk.audit_purge', true), '') = 'on' THEN
        IF OLD.time < now() - interval '{MIN_AGE}' AND EXISTS (
            SELECT 1 FROM core_auditcheckpoint c WHERE c.table_name = TG_TABLE_NAME AND c.last_id >= OLD.id
        ) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '审计记录只可追加：% 不允许 %', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def _sqlite_statements(table: str) -> list[str]:
    refuse = f"SELECT RAISE(ABORT, '审计记录只可追加：{table} 不允许 %s')"
    delete_when = ""
    if table in PURGEABLE:
        delete_when = (
            f"WHEN NOT (OLD.time < strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_AGE}') AND EXISTS ("
            f"SELECT 1 FROM core_auditcheckpoint c WHERE c.table_name = '{table}' AND c.last_id >= OLD.id))"
        )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN {refuse % 'UPDATE'}; END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} {delete_when} "
        f"BEGIN {refuse % 'DELETE'}; END",
    ]


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in TABLES:
            statements += [
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zonedesk_audit_append_only()",
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION zonedesk_audit_append_only()",
            ]
        return statements
    if vendor == "sqlite":
        return [s for table in TABLES for s in _sqlite_statements(table)]
    return []  # elsewhere the chain alone shows a change


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table}"
            for table in TABLES
            for kind in ("append_only", "no_truncate")
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{kind}"
            for table in TABLES
            for kind in ("no_update", "no_delete")
        ]
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in install_sql(connection.vendor):
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in uninstall_sql(connection.vendor):
            cursor.execute(sql)


def installed(connection: Any) -> set[str]:
    """The names of the append-only triggers present (for the checks and the tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY(%s)",
                [list(TABLES)],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return set()
        return {name for (name,) in cursor.fetchall() if name.startswith(TABLES)}
