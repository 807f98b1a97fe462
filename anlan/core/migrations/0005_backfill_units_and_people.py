"""Back-fill the unit registry (a Unit for every department, enterprise and town) and link each enterprise's
free-text principal to a Person of its own (no ID number: legacy rows). Idempotent; the same logic as
`anlan.core.units.ensure_units`, copied because a migration must not import app code."""

from django.db import migrations
from django.utils import timezone

CHUNK = 1000
REASON = "单位库初始化"
CLOSED = ("closed", "deregistered")
TOWN = 4


def _chunks(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _with_history(apps, model_name, rows, fields):
    Model = apps.get_model("core", model_name)
    History = apps.get_model("core", f"Historical{model_name}")
    created = Model.objects.bulk_create(rows)
    now = timezone.now()
    History.objects.bulk_create(
        [
            History(
                id=obj.pk,
                **{name: getattr(obj, name) for name in fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for obj in created
        ]
    )
    return created


UNIT_FIELDS = ("kind", "name", "region_id", "department_id", "enterprise_id", "phone", "is_active", "created_at")


def backfill_units(apps, schema_editor):
    Unit = apps.get_model("core", "Unit")
    Department = apps.get_model("core", "Department")
    Enterprise = apps.get_model("core", "Enterprise")
    Region = apps.get_model("core", "Region")
    now = timezone.now()
    for rows in _chunks(Department.objects.filter(unit__isnull=True)):
        units = [
            Unit(kind="department", name=d.name, region_id=d.region_id, department_id=d.pk, phone=d.phone,
                 is_active=d.is_active, created_at=now)
            for d in rows
        ]
        _with_history(apps, "Unit", units, UNIT_FIELDS)
    for rows in _chunks(Enterprise.objects.filter(unit__isnull=True)):
        units = [
            Unit(kind="enterprise", name=e.name, region_id=e.region_id, enterprise_id=e.pk,
                 phone=e.safety_manager_phone or e.principal_phone, is_active=e.status not in CLOSED,
                 created_at=now)
            for e in rows
        ]
        _with_history(apps, "Unit", units, UNIT_FIELDS)
    towns_with_unit = Unit.objects.filter(kind="town").values("region_id")
    towns = Region.objects.filter(level=TOWN).exclude(code__in=towns_with_unit).order_by("code")
    units = [Unit(kind="town", name=r.name, region_id=r.code, created_at=now) for r in towns]
    for start in range(0, len(units), CHUNK):
        _with_history(apps, "Unit", units[start : start + CHUNK], UNIT_FIELDS)


PERSON_FIELDS = ("id_number", "name", "phone", "user_id", "employer_id", "created_at")


def backfill_principals(apps, schema_editor):
    Enterprise = apps.get_model("core", "Enterprise")
    Person = apps.get_model("core", "Person")
    Unit = apps.get_model("core", "Unit")
    now = timezone.now()
    pending = Enterprise.objects.filter(principal_person__isnull=True).exclude(principal="")
    for rows in _chunks(pending):
        unit_ids = dict(Unit.objects.filter(enterprise__in=rows).values_list("enterprise_id", "pk"))
        people = [
            Person(id_number="", name=e.principal.strip()[:50], phone=e.principal_phone, employer_id=unit_ids.get(e.pk),
                   created_at=now)
            for e in rows
        ]
        created = _with_history(apps, "Person", people, PERSON_FIELDS)
        for enterprise, person in zip(rows, created, strict=True):
            enterprise.principal_person_id = person.pk
        Enterprise.objects.bulk_update(rows, ["principal_person"])


def forwards(apps, schema_editor):
    backfill_units(apps, schema_editor)
    backfill_principals(apps, schema_editor)


def backwards(apps, schema_editor):
    apps.get_model("core", "Enterprise").objects.update(principal_person=None)
    apps.get_model("core", "Person").objects.filter(id_number="", user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_registries")]
    operations = [migrations.RunPython(forwards, backwards)]
