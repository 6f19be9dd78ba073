from django.db import migrations


def forwards(apps, schema_editor):
    from zonedesk.enterprises.reference import load_industries

    load_industries(apps.get_model("enterprises", "IndustryCode"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
