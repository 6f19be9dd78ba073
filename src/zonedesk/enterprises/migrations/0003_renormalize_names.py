"""Names normalised before 0003 kept a legal form when there were two (山西华兴集团有限公司 → 山西华兴集团),
so they did not match the same enterprise written 山西华兴有限公司. Recompute them with the current rule."""

from django.db import migrations


def renormalize(apps, schema_editor):
    from zonedesk.enterprises.services import normalize_enterprise_name

    Enterprise = apps.get_model("enterprises", "Enterprise")
    changed = []
    for enterprise in Enterprise.objects.only("pk", "name", "normalized_name").iterator(chunk_size=2000):
        key = normalize_enterprise_name(enterprise.name or "")
        if key != enterprise.normalized_name:
            enterprise.normalized_name = key
            changed.append(enterprise)
    Enterprise.objects.bulk_update(changed, ["normalized_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_load_industries")]
    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop)]
