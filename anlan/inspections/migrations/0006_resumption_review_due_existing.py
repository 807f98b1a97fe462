"""Existing pending 复产 applications of a suspension linked to a 挂牌督办 get their on-site review deadline
(16号令 第二十三条: 10 days from the day the application was received) and, when the chain's first department
step is already decided, the day of that review."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

# The figure of rules.RESUMPTION_REVIEW_DAYS when this migration was written (kept here: history must not move).
REVIEW_DAYS = 10


def forwards(apps, schema_editor):
    Resumption = apps.get_model("inspections", "Resumption")
    ResumptionStep = apps.get_model("inspections", "ResumptionStep")
    pending = Resumption.objects.filter(
        status="pending", suspension__supervision__isnull=False, review_due_on__isnull=True
    )
    for application in pending.iterator():
        received = timezone.localdate(application.applied_at)
        step = (
            ResumptionStep.objects.filter(application_id=application.pk, approver="department")
            .order_by("order")
            .first()
        )
        reviewed = timezone.localdate(step.decided_at) if step and step.decision and step.decided_at else None
        Resumption.objects.filter(pk=application.pk).update(
            review_due_on=received + timedelta(days=REVIEW_DAYS), reviewed_on=reviewed
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_suspension_supervision_review_and_publication_deadlines")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
