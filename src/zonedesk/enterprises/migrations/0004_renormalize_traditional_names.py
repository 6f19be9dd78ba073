"""Names normalised before 0004 kept traditional characters (山西華興 ≠ 山西华兴), so an enterprise
stored in one script was not found from the other. Recompute them with the current rule."""

from django.db import migrations


def renormalize(apps, schema_editor):
    from zonedesk.enterprises.services import renormalize_names

    renormalize_names(apps.get_model("enterprises", "Enterprise"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_renormalize_names")]
    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop)]
