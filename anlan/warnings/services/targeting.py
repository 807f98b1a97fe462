"""Who a warning goes to: its targets (stored on the warning) turned into the recipient list of one revision,
computed once and stored (WarningRecipient), visible before sending.

Every group is read with a few set-based queries whatever its size (a county's 50,000 recipients are a dozen
queries and one bulk insert), and a person is listed once per revision: a user by account ("u<id>"), a contact
without one by phone ("p<phone>"), under the first group that reaches them in the form's order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from anlan.core import recipients, trees
from anlan.core import rules as core_rules
from anlan.core.models import Enterprise, Membership, Region, Role, Unit

from .. import rules
from ..models import PlaceReceiver, Warning, WarningRecipient
from ..selectors.points import monitor_contacts

Reason = WarningRecipient.Reason
CHUNK = 2000


@dataclass
class Row:
    key: str
    reason: str
    region_id: str
    name: str
    phone: str = ""
    email: str = ""
    user_id: int | None = None
    unit_id: int | None = None
    unit_name: str = ""


class _List:
    """The rows gathered so far, each person once (the first group to reach them keeps them)."""

    def __init__(self):
        self.rows: dict[str, Row] = {}

    def add(self, row: Row) -> None:
        if row.key not in self.rows and row.region_id:
            self.rows[row.key] = row

    def contact(self, reason: str, name: str, phone: str, region_id: str, unit_name: str = "") -> None:
        phone = "".join((phone or "").split())
        if phone:
            self.add(
                Row(f"p{phone}", reason, region_id, (name or phone)[:50], phone[:20], unit_name=unit_name)
            )


def _bounds(region: Region) -> tuple[str, str]:
    return core_rules.subtree_bounds(region.code, region.level)


def _in(field: str, region: Region) -> Q:
    low, high = _bounds(region)
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


def _members(out: _List, where: Q, reason: str, region_of, unit_of) -> None:
    """Add the active users of the active memberships matching `where`."""
    rows = (
        Membership.objects.filter(where, is_active=True, user__is_active=True)
        .order_by("user_id", "pk")
        .values_list(
            "user_id",
            "user__real_name",
            "user__username",
            "user__phone",
            "user__email",
            "region_id",
            "department_id",
            "department__region_id",
            "enterprise_id",
            "enterprise__region_id",
            "grid__region_id",
        )
        .iterator(chunk_size=CHUNK)
    )
    for (
        user_id,
        real,
        username,
        phone,
        email,
        region,
        dept,
        dept_region,
        ent,
        ent_region,
        grid_region,
    ) in rows:
        anchor = {"region": region, "department": dept, "enterprise": ent}
        region_id = region_of(region, dept_region, ent_region, grid_region)
        unit_id, unit_name = unit_of(anchor)
        out.add(
            Row(
                f"u{user_id}",
                reason,
                region_id or "",
                (real or username)[:50],
                (phone or "")[:20],
                email or "",
                user_id,
                unit_id,
                unit_name,
            )
        )


class _Units:
    """The unit of each anchor (a region's 安委办 or town office, a department, an enterprise), read at once."""

    def __init__(self, region: Region):
        self.office: dict[tuple[str, str], tuple[int, str]] = {}
        low, high = _bounds(region)
        county = trees.county_of(region.code) if region.level >= trees.COUNTY else region.code
        for pk, kind, region_id, name in Unit.objects.filter(
            Q(region_id__gte=low, region_id__lte=high) | Q(region_id=county),
            kind__in=[Unit.Kind.COMMITTEE_OFFICE, Unit.Kind.TOWN],
        ).values_list("pk", "kind", "region_id", "name"):
            self.office[(kind, region_id)] = (pk, name)
        self.department: dict[int, tuple[int, str]] = {}
        self.enterprise: dict[int, tuple[int, str]] = {}

    def load_departments(self, ids) -> None:
        for pk, dept, name in Unit.objects.filter(department_id__in=list(ids)).values_list(
            "pk", "department_id", "name"
        ):
            self.department[dept] = (pk, name)

    def load_enterprises(self, enterprise_q: Q) -> None:
        for pk, ent, name in Unit.objects.filter(
            enterprise_id__in=Enterprise.objects.filter(enterprise_q).values("pk")
        ).values_list("pk", "enterprise_id", "name"):
            self.enterprise[ent] = (pk, name)

    def of(self, kind: str):
        def unit_of(anchor):
            if kind == Unit.Kind.DEPARTMENT:
                return self.department.get(anchor["department"], (None, ""))
            if kind == Unit.Kind.ENTERPRISE:
                return self.enterprise.get(anchor["enterprise"], (None, ""))
            return self.office.get((kind, anchor["region"]), (None, ""))

        return unit_of


def _enterprise_q(region: Region, targets: dict) -> Q:
    """The operating enterprises of the area the targets name: by industry (with its sub-industries) or flag;
    every operating enterprise of the area when neither is given."""
    where = _in("region_id", region) & Q(status=Enterprise.Status.OPERATING)
    pick = Q()
    if targets["industries"]:
        ids = trees.industry_descendants(*targets["industries"])
        pick |= Q(industry_id__in=ids) | Q(other_industries__in=ids)
    if "major_hazard" in targets["flags"]:
        pick |= Q(has_major_hazard_source=True)
    if "crowded_place" in targets["flags"]:
        pick |= Q(is_crowded_place=True)
    return where & pick if pick else where


def compute(warning: Warning) -> list[Row]:
    """The recipient rows of the warning's targets over its area (no writes)."""
    region = warning.region
    targets = rules.clean_targets(warning.targets)
    groups = set(targets["groups"])
    out = _List()
    units = _Units(region)
    county = trees.county_of(region.code) if region.level >= trees.COUNTY else region.code
    if "committee" in groups:
        _members(
            out,
            Q(role=Role.COMMITTEE_OFFICE) & (_in("region_id", region) | Q(region_id=county)),
            Reason.COMMITTEE,
            lambda region_id, *_: region_id,
            units.of(Unit.Kind.COMMITTEE_OFFICE),
        )
    if "towns" in groups:
        _members(
            out,
            Q(role=Role.TOWN) & _in("region_id", region),
            Reason.TOWN,
            lambda region_id, *_: region_id,
            units.of(Unit.Kind.TOWN),
        )
    if "departments" in groups and targets["departments"]:
        units.load_departments(targets["departments"])
        _members(
            out,
            Q(role=Role.DEPARTMENT, department_id__in=targets["departments"], department__is_active=True),
            Reason.DEPARTMENT,
            lambda _region, dept_region, *_: dept_region,
            units.of(Unit.Kind.DEPARTMENT),
        )
    enterprise_q = _enterprise_q(region, targets)
    if "enterprises" in groups:
        units.load_enterprises(enterprise_q)
        ids = Enterprise.objects.filter(enterprise_q).values("pk")
        _members(
            out,
            Q(role=Role.ENTERPRISE, enterprise_id__in=ids),
            Reason.ENTERPRISE,
            lambda _region, _dept, ent_region, _grid: ent_region,
            units.of(Unit.Kind.ENTERPRISE),
        )
        # An enterprise with no account is reached through its 主要负责人's phone.
        without_account = (
            Enterprise.objects.filter(enterprise_q)
            .exclude(
                pk__in=Membership.objects.filter(role=Role.ENTERPRISE, is_active=True).values("enterprise_id")
            )
            .exclude(principal_phone="")
            .order_by("pk")
            .values_list("principal__name", "principal_phone", "region_id", "name")
        )
        for name, phone, region_id, enterprise in without_account.iterator(chunk_size=CHUNK):
            out.contact(Reason.ENTERPRISE, name or enterprise, phone, region_id, enterprise)
    if "places" in groups:
        places = PlaceReceiver.objects.filter(
            _in("enterprise__region_id", region), enterprise__is_crowded_place=True
        ).values_list("name", "phone", "enterprise__region_id", "enterprise__name")
        for name, phone, region_id, place in places.iterator(chunk_size=CHUNK):
            out.contact(Reason.PLACE, name, phone, region_id, place)
    if "grid" in groups:
        _members(
            out,
            Q(role=Role.GRID_WORKER) & _in("grid__region_id", region),
            Reason.GRID,
            lambda _region, _dept, _ent, grid_region: grid_region,
            lambda anchor: (None, ""),
        )
    if "monitors" in groups:
        for name, phone, region_id, point in monitor_contacts(*_bounds(region)):
            out.contact(Reason.MONITOR, name, phone, region_id, point)
    if "shelters" in groups:
        from anlan.emergency.selectors.forces import shelter_contacts

        for name, phone, region_id, shelter in shelter_contacts(*_bounds(region)):
            out.contact(Reason.SHELTER, name, phone, region_id, shelter)
    if "duty" in groups:
        towns = sorted(key for key in units.office if key[0] == Unit.Kind.TOWN)
        for kind, code in [(Unit.Kind.COMMITTEE_OFFICE, county), *towns]:
            unit_id, unit_name = units.office.get((kind, code), (None, ""))
            on_duty = recipients.group("duty_officers", region=code)
            for user in on_duty.only("pk", "real_name", "username", "phone", "email").order_by("pk"):
                out.add(
                    Row(
                        f"u{user.pk}",
                        Reason.DUTY,
                        code,
                        user.display_name[:50],
                        (user.phone or "")[:20],
                        user.email or "",
                        user.pk,
                        unit_id,
                        unit_name,
                    )
                )
    return list(out.rows.values())


def store(warning: Warning, revision: int) -> int:
    """Compute and store the list of `revision` (replacing a list not yet sent); returns its size."""
    rows = compute(warning)
    with transaction.atomic():
        stored = WarningRecipient.objects.filter(warning=warning, revision=revision)
        if stored.filter(task__isnull=False).exists():
            return stored.count()  # already being sent: the stored list is the one that goes out
        stored.delete()
        WarningRecipient.objects.bulk_create(
            [
                WarningRecipient(
                    warning=warning,
                    revision=revision,
                    key=row.key,
                    reason=row.reason,
                    user_id=row.user_id,
                    name=row.name,
                    phone=row.phone,
                    email=row.email,
                    unit_id=row.unit_id,
                    unit_name=row.unit_name[:120],
                    region_id=row.region_id,
                )
                for row in rows
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
    return len(rows)
