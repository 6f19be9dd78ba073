"""Give existing installations' province administrators "view" on the security log (new ones get it
from ``ensure_default_roles``, which collects core's AppConfig.role_grants)."""

from django.db import migrations

GRANTS = {"province_admin": {"securityevent": ["view"]}}


def add_permissions(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(code__in=GRANTS):
        perms = dict(role.permissions or {})
        for otype, actions in GRANTS[role.code].items():
            perms.setdefault(otype, list(actions))
        role.permissions = perms
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_chain_existing_history_and_append_only_triggers"),
        ("access", "0002_initial"),
    ]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
