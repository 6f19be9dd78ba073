"""Give existing installations' default roles their dispatch permissions (new ones get them from
``ensure_default_roles``, which collects dispatch's AppConfig.role_grants)."""

from django.db import migrations


def add_permissions(apps, schema_editor):
    from zonedesk.dispatch.apps import DISPATCH_ROLE_PERMISSIONS

    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(code__in=DISPATCH_ROLE_PERMISSIONS):
        perms = dict(role.permissions or {})
        for otype, actions in DISPATCH_ROLE_PERMISSIONS[role.code].items():
            perms.setdefault(otype, list(actions))
        role.permissions = perms
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial"), ("access", "0002_initial")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
