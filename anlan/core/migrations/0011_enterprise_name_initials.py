"""Enterprise.name_initials (the pickers' pinyin initials), filled for the existing rows, and the pickers' indexes."""

from django.db import migrations, models

from anlan.core.rules import name_initials

CHUNK = 2000


def fill_initials(apps, schema_editor):
    # The historical model's manager is a plain one: the initials are set here, not by EnterpriseQuerySet.
    Enterprise = apps.get_model("core", "Enterprise")
    rows = []
    for pk, name in Enterprise.objects.values_list("pk", "name").iterator(chunk_size=CHUNK):
        rows.append(Enterprise(pk=pk, name_initials=name_initials(name)))
        if len(rows) == CHUNK:
            Enterprise.objects.bulk_update(rows, ["name_initials"])
            rows = []
    if rows:
        Enterprise.objects.bulk_update(rows, ["name_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_licence_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="name_initials",
            field=models.CharField(blank=True, editable=False, max_length=120, verbose_name="名称拼音首字母"),
        ),
        migrations.RunPython(fill_initials, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["name_initials", "region", "industry"], name="enterprise_initials_region"
            ),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["uscc", "region", "industry"], name="enterprise_uscc_region"),
        ),
    ]
