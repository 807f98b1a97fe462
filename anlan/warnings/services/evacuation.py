"""转移避险: opened for a warning by the county or a town — an evacuation per town of the warning's area, with a
row for each active point the hazard threatens (its threatened households and people) — households added by
hand, each moved (and where it stays: 应安必安), home again once the warning is lifted, or its move undone."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from anlan.core import records
from anlan.core import rules as core_rules
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require, require_right
from anlan.core.rules import RuleViolation, validate_phone
from anlan.core.workflow import apply_transition, find

from .. import rules
from ..models import Evacuation, Household, Point
from ..selectors import evacuation as selectors
from ..selectors.warnings import access_warning

EVACUATE = selectors.EVACUATE


class EvacuationError(StrEnum):
    NOT_ISSUED = "evacuation_warning_not_issued"
    NO_TOWN = "evacuation_no_town"
    HEAD_REQUIRED = "household_head_required"
    PEOPLE_REQUIRED = "household_people_required"
    SHELTER_KIND = "household_shelter_kind_required"
    SHELTER_REQUIRED = "household_shelter_required"
    SHELTER_NOTE = "household_shelter_note_required"
    SHELTER_OUT_OF_REACH = "household_shelter_out_of_reach"
    FUTURE = "household_time_in_future"


def _towns(actor, warning):
    """The towns of the warning's area in which the actor may register moves."""
    low, high = core_rules.subtree_bounds(warning.region_id, warning.region.level)
    towns = Region.objects.for_user(actor, EVACUATE).filter(level=Region.Level.TOWN)
    if warning.region.level >= Region.Level.TOWN:
        # A warning for a town or a village: that village's town.
        town_code = core_rules.subtree_bounds(warning.region_id, Region.Level.TOWN)[0]
        return towns.filter(code=town_code)
    return towns.filter(code__gte=low, code__lte=high).order_by("code")


def _seed(evacuation: Evacuation, warning, actor) -> int:
    """A row per active point of the town the hazard threatens, with people to move; none twice."""
    low, high = core_rules.subtree_bounds(evacuation.town_id, Region.Level.TOWN)
    points = Point.objects.filter(
        is_active=True,
        kind__in=rules.point_kinds_threatened(warning.hazard),
        region_id__gte=low,
        region_id__lte=high,
        people__gt=0,
    )
    if warning.region.level >= Region.Level.TOWN:
        area_low, area_high = core_rules.subtree_bounds(warning.region_id, warning.region.level)
        points = points.filter(region_id__gte=area_low, region_id__lte=area_high)
    present = set(Household.objects.filter(evacuation=evacuation).values_list("point_id", flat=True))
    new = [
        Household(
            evacuation=evacuation,
            point=point,
            households=point.households,
            people=point.people,
            phone=point.monitor_phone,
        )
        for point in points.order_by("pk")
        if point.pk not in present
    ]
    bulk_create_with_history(
        new,
        Household,
        ignore_conflicts=True,
        default_user=actor,
        default_change_reason=record_text(gettext_lazy("由隐患点生成转移户")),
    )
    return len(new)


def open_evacuations(*, actor, warning_pk) -> list[Evacuation]:
    """启动转移避险 for an issued warning: an evacuation per town of its area the actor answers for, seeded from
    the threatened points. Idempotent — opened again, it adds only points registered since."""
    require_right(actor, EVACUATE)
    with transaction.atomic():
        warning = access_warning(actor, warning_pk, for_update=True)
        if warning.status != rules.ISSUED:
            raise DomainError(
                EvacuationError.NOT_ISSUED, _("只有预警中的预警才能启动转移避险。"), field="__all__"
            )
        towns = list(_towns(actor, warning))
        if not towns:
            raise DomainError(
                EvacuationError.NO_TOWN, _("预警范围内没有您负责的乡镇（街道）。"), field="__all__"
            )
        opened = []
        for town in towns:
            evacuation = Evacuation.objects.filter(warning=warning, town=town).first()
            if evacuation is None:
                evacuation = Evacuation(warning=warning, town=town, opened_by=actor)
                records.save_with_history(evacuation, actor, record_text(gettext_lazy("启动转移避险")))
            _seed(evacuation, warning, actor)
            opened.append(evacuation)
    return opened


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_phone(value, "phone")
    except RuleViolation as violation:
        raise DomainError(violation.code, violation.message, field="phone") from violation


def add_household(*, actor, evacuation_pk, data: dict) -> Household:
    """A household added by hand (not counted in a point's threatened people)."""
    with transaction.atomic():
        evacuation = selectors.access_evacuation(actor, evacuation_pk, for_update=True)
        require(actor, EVACUATE, evacuation)
        if evacuation.warning.status != rules.ISSUED:
            raise DomainError(EvacuationError.NOT_ISSUED, _("预警已结束，不再增加转移户。"), field="__all__")
        head = (data.get("head_name") or "").strip()
        if not head:
            raise DomainError(EvacuationError.HEAD_REQUIRED, _("请填写户主姓名。"), field="head_name")
        people = data.get("people") or 0
        if people < 1:
            raise DomainError(EvacuationError.PEOPLE_REQUIRED, _("人数至少为 1。"), field="people")
        household = Household(
            evacuation=evacuation,
            head_name=head,
            phone=_phone(data.get("phone")),
            households=1,
            people=people,
            note=(data.get("note") or "").strip(),
        )
        records.validate(household)
        records.save_with_history(household, actor, record_text(gettext_lazy("增加转移户")))
    return household


def _where(actor, data: dict) -> dict:
    kind = data.get("shelter_kind") or ""
    shelter = data.get("shelter")
    note = (data.get("shelter_note") or "").strip()
    missing = rules.shelter_missing(kind, has_shelter=shelter is not None, note=note)
    messages = {
        "shelter_kind": (EvacuationError.SHELTER_KIND, _("请选择安置方式。")),
        "shelter": (EvacuationError.SHELTER_REQUIRED, _("安置到避难场所的，请选择避难场所。")),
        "shelter_note": (EvacuationError.SHELTER_NOTE, _("请说明安置地点。")),
    }
    if missing:
        code, message = messages[missing]
        raise DomainError(code, message, field=missing)
    if shelter is not None:
        from anlan.emergency.selectors.forces import shelter_list

        if not shelter_list(actor).filter(pk=shelter.pk).exists():
            raise DomainError(
                EvacuationError.SHELTER_OUT_OF_REACH, _("该避难场所不在您的管辖范围内。"), field="shelter"
            )
    return {
        "shelter_kind": kind,
        "shelter": shelter if kind == rules.IN_SHELTER else None,
        "shelter_note": note[:200],
    }


def _at(data: dict, key: str):
    at = data.get(key) or timezone.now()
    if at > timezone.now() + timedelta(minutes=5):
        raise DomainError(EvacuationError.FUTURE, _("时间不能晚于现在。"), field=key)
    return at


def move(*, actor, household_pk, data: dict) -> Household:
    """登记已转移: when, and where the household stays (避难场所, 投亲靠友 or a place named)."""
    with transaction.atomic():
        household = selectors.access_household(actor, household_pk, for_update=True)
        step = find(Household.TRANSITIONS, "move")
        require(actor, step.right, household)
        changes = {**_where(actor, data), "moved_at": _at(data, "moved_at")}
        return apply_transition(household, step, actor=actor, changes=changes)


def return_home(*, actor, household_pk, data: dict | None = None) -> Household:
    """登记已返回, only once the warning is over (the transition's guard, rules.may_return)."""
    with transaction.atomic():
        household = selectors.access_household(actor, household_pk, for_update=True)
        step = find(Household.TRANSITIONS, "return")
        require(actor, step.right, household)
        return apply_transition(
            household, step, actor=actor, changes={"returned_at": _at(data or {}, "returned_at")}
        )


def undo_move(*, actor, household_pk, reason: str) -> Household:
    """撤回转移登记 (registered by mistake): back to 待转移, where it stayed forgotten; the reason kept."""
    with transaction.atomic():
        household = selectors.access_household(actor, household_pk, for_update=True)
        step = find(Household.TRANSITIONS, "undo")
        require(actor, step.right, household)
        changes = {"shelter_kind": "", "shelter": None, "shelter_note": "", "moved_at": None}
        return apply_transition(household, step, actor=actor, reason=reason, changes=changes)


def perform(user, household, step, data: dict) -> Household:
    """The transition endpoint's call (core.entry.transition_view)."""
    if step.name == "return":
        return return_home(actor=user, household_pk=household.pk, data=data)
    if step.name == "undo":
        return undo_move(actor=user, household_pk=household.pk, reason=data.get("reason", ""))
    return move(actor=user, household_pk=household.pk, data=data)
