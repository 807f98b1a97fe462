"""督查问题 become hazard records (issue #17): a problem keeps its visit, 序号, 整改要求, 深层次原因 and 制度措施 and
links one-to-one to the hazard that carries its unit, region, dates, state, plan, rectification and 销号.

Existing problems are dropped, not converted: no production data exists yet, and a conversion would have to
invent what a hazard requires and a problem never had (its industry, category, number sequence, plan and
rectification records with their authors). Letters and accountability records that named a dropped problem
keep their other content and lose only that link. Re-assign such problems on the new form if any were typed in
a test installation."""

import django.db.models.deletion
from django.db import migrations, models


def drop_problems(apps, schema_editor):
    Problem = apps.get_model("governance", "Problem")
    if not Problem.objects.exists():
        return
    apps.get_model("governance", "GovernmentLetter").objects.exclude(problem=None).update(problem=None)
    apps.get_model("governance", "AccountabilityRecord").objects.exclude(problem=None).update(problem=None)
    apps.get_model("governance", "HistoricalProblem").objects.all().delete()
    Problem.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0006_task_kinds'),
        ('hazards', '0008_drill_source'),
    ]

    operations = [
        migrations.RunPython(drop_problems, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='problem',
            name='gov_problem_region_status',
        ),
        migrations.RemoveIndex(
            model_name='problem',
            name='gov_problem_assignee_status',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='assignee',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='closed_on',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='description',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='due_on',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='evidence',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='found_on',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='overdue_flagged_for',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='plan_due_on',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='plan_measures',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='plan_person',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='rectification',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='region',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='reported_on',
        ),
        migrations.RemoveField(
            model_name='historicalproblem',
            name='status',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='assignee',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='closed_on',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='description',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='due_on',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='evidence',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='found_on',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='overdue_flagged_for',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='plan_due_on',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='plan_measures',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='plan_person',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='rectification',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='region',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='reported_on',
        ),
        migrations.RemoveField(
            model_name='problem',
            name='status',
        ),
        migrations.AddField(
            model_name='historicalproblem',
            name='hazard',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hazards.hazard', verbose_name='隐患记录'),
        ),
        migrations.AddField(
            model_name='problem',
            name='hazard',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='supervision_problem', to='hazards.hazard', verbose_name='隐患记录'),
        ),
        migrations.AlterField(
            model_name='problem',
            name='hazard',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_problem', to='hazards.hazard', verbose_name='隐患记录'),
        ),
    ]
