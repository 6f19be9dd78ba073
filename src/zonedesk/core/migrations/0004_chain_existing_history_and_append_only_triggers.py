"""Chain the history rows an installation already has (in id order, as found), then make the audit
tables append-only with the triggers of ``core.append_only`` (PostgreSQL and SQLite)."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from zonedesk.core import chain

    ObjectChange = apps.get_model("core", "ObjectChange")
    algorithm = chain.hash_algorithm()
    prev = chain.GENESIS
    fields = ["id", *chain.OBJECTCHANGE_COLUMNS]
    updates = []
    for row in ObjectChange.objects.order_by("id").values(*fields).iterator(chunk_size=5000):
        digest = chain.row_hash(algorithm, chain.canonical(chain.OBJECTCHANGE_COLUMNS, row), prev)
        updates.append((prev, digest, algorithm, row["id"]))
        prev = digest
    if updates:
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE core_objectchange SET prev_hash = %s, hash = %s, hash_algorithm = %s WHERE id = %s",
                updates,
            )


def install_triggers(apps, schema_editor):
    from zonedesk.core import append_only

    append_only.install(schema_editor.connection)


def uninstall_triggers(apps, schema_editor):
    from zonedesk.core import append_only

    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain_and_security_log")]
    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
