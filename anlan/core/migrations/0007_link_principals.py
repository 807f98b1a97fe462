"""`Enterprise.principal` becomes a Person of the registry, step 1 (data): link every enterprise whose free-text
principal has no Person yet (rows added since 0005; the same idempotent logic) and carry the link onto the
history rows that recorded the same name. Step 2 (0008) changes the schema; the two are apart because
PostgreSQL refuses an ALTER TABLE in the transaction that queued the updates' deferred constraint checks."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone

CHUNK = 1000
REASON = "单位库初始化"
PERSON_FIELDS = ("id_number", "name", "phone", "user_id", "employer_id", "created_at")


def _chunks(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def link_principals(apps, schema_editor):
    Enterprise = apps.get_model("core", "Enterprise")
    HistoricalEnterprise = apps.get_model("core", "HistoricalEnterprise")
    Person = apps.get_model("core", "Person")
    HistoricalPerson = apps.get_model("core", "HistoricalPerson")
    Unit = apps.get_model("core", "Unit")
    now = timezone.now()
    pending = Enterprise.objects.filter(principal_person__isnull=True).exclude(principal="")
    for rows in _chunks(pending):
        unit_ids = dict(Unit.objects.filter(enterprise__in=rows).values_list("enterprise_id", "pk"))
        people = Person.objects.bulk_create(
            [
                Person(
                    id_number="",
                    name=e.principal.strip()[:50],
                    phone=e.principal_phone,
                    employer_id=unit_ids.get(e.pk),
                    created_at=now,
                )
                for e in rows
            ]
        )
        HistoricalPerson.objects.bulk_create(
            [
                HistoricalPerson(
                    id=p.pk,
                    **{name: getattr(p, name) for name in PERSON_FIELDS},
                    history_date=now,
                    history_type="+",
                    history_change_reason=REASON,
                )
                for p in people
            ]
        )
        for enterprise, person in zip(rows, people, strict=True):
            enterprise.principal_person_id = person.pk
        Enterprise.objects.bulk_update(rows, ["principal_person"])
    # The trail keeps showing the principal of the rows that named the one linked now.
    same_name = Enterprise.objects.filter(pk=OuterRef("id"), principal=OuterRef("principal"))
    HistoricalEnterprise.objects.filter(principal_person__isnull=True).exclude(principal="").update(
        principal_person_id=Subquery(same_name.values("principal_person_id")[:1])
    )


def restore_names(apps, schema_editor):
    for model in ("Enterprise", "HistoricalEnterprise"):
        Model = apps.get_model("core", model)
        person = apps.get_model("core", "Person").objects.filter(pk=OuterRef("principal_person_id"))
        Model.objects.filter(principal_person__isnull=False).update(
            principal=Subquery(person.values("name")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_load_calendar")]

    operations = [migrations.RunPython(link_principals, restore_names)]
