"""三员分立: existing installations get the system, security and audit administrator roles (new ones get
them from ``ensure_default_roles``). No grant changes: ``zonedesk roles split`` moves the people."""

from django.db import migrations


def add_roles(apps, schema_editor):
    from zonedesk.access.defaults import DEFAULT_ROLES, SEPARATED_ROLES

    Role = apps.get_model("access", "Role")
    for code in SEPARATED_ROLES:
        name, permissions = DEFAULT_ROLES[code]
        Role.objects.get_or_create(code=code, defaults={"name": name, "permissions": permissions})


class Migration(migrations.Migration):
    dependencies = [("access", "0004_token_revocation")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
