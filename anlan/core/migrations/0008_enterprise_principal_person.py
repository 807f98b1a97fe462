"""`Enterprise.principal` becomes a Person of the registry, step 2 (schema): drop the free text and rename
`principal_person` to `principal` (step 1, 0007, linked the people)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0007_link_principals")]

    operations = [
        # A default first, so that going back can re-add the column before the names are restored.
        migrations.AlterField(
            model_name="enterprise",
            name="principal",
            field=models.CharField(default="", max_length=50, verbose_name="主要负责人"),
        ),
        migrations.AlterField(
            model_name="historicalenterprise",
            name="principal",
            field=models.CharField(default="", max_length=50, verbose_name="主要负责人"),
        ),
        migrations.RemoveField(model_name="enterprise", name="principal"),
        migrations.RemoveField(model_name="historicalenterprise", name="principal"),
        migrations.RenameField(model_name="enterprise", old_name="principal_person", new_name="principal"),
        migrations.RenameField(
            model_name="historicalenterprise", old_name="principal_person", new_name="principal"
        ),
        migrations.AlterField(
            model_name="enterprise",
            name="principal",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="principal_of",
                to="core.person",
                verbose_name="主要负责人",
            ),
        ),
        migrations.AlterField(
            model_name="historicalenterprise",
            name="principal",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.person",
                verbose_name="主要负责人",
            ),
        ),
    ]
