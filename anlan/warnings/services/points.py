"""Geohazard and flood-control points: registered and corrected by the offices whose area holds them, closed
(核销) with a reason rather than deleted, and observed — an alarming observation told at once to the town's and
the county's offices."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from anlan.core import recipients, records
from anlan.core.audit import record_text
from anlan.core.errors import DomainError
from anlan.core.models import Region
from anlan.core.permissions import require, require_right
from anlan.core.rules import MOBILE_RE, validate_phone
from anlan.notifications.services import notify

from .. import rules
from ..models import Observation, Patrol, Point
from ..selectors import points as selectors

MANAGE = "warnings.manage_points"
OBSERVE = "warnings.observe_points"
FIELDS = (
    "name",
    "kind",
    "subtype",
    "place",
    "latitude",
    "longitude",
    "households",
    "people",
    "monitor_name",
    "monitor_phone",
    "owner_unit",
    "owner_name",
    "owner_phone",
    "plan",
    "plan_approved_on",
    "note",
)


class PointError(StrEnum):
    REGION_REQUIRED = "point_region_required"
    REGION_TOO_HIGH = "point_region_too_high"
    NAME_REQUIRED = "point_name_required"
    MONITOR_REQUIRED = "point_monitor_required"
    MONITOR_MOBILE = "point_monitor_mobile"
    THREATENED = "point_threatened_inconsistent"
    PLAN_REQUIRED = "point_plan_required"
    REASON_REQUIRED = "point_reason_required"
    CLOSED = "point_closed"
    SEEN_REQUIRED = "observation_seen_required"
    FUTURE = "observation_in_future"
    PATROL_DONE = "patrol_done"
    FINDINGS_REQUIRED = "patrol_findings_required"


def _phone(value: str, field: str, *, mobile: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    value = records.check_rule(validate_phone, value, field)
    if mobile and not MOBILE_RE.fullmatch(value):
        raise DomainError(
            PointError.MONITOR_MOBILE, _("群测群防员须留手机号码：预警以短信送达。"), field=field
        )
    return value


def _check(point: Point) -> None:
    if not point.name:
        raise DomainError(PointError.NAME_REQUIRED, _("请填写名称。"), field="name")
    if rules.monitor_required(point.kind) and not (point.monitor_name and point.monitor_phone):
        raise DomainError(
            PointError.MONITOR_REQUIRED,
            _("地质灾害隐患点须落实群测群防员：请填写姓名和手机号码。"),
            field="monitor_name" if not point.monitor_name else "monitor_phone",
        )
    if not rules.threatened_ok(point.households or 0, point.people or 0):
        raise DomainError(
            PointError.THREATENED,
            _("受威胁人数不能少于受威胁户数；有受威胁人员时须填写户数。"),
            field="people",
        )
    if rules.plan_required(point.kind) and not point.plan:
        raise DomainError(PointError.PLAN_REQUIRED, _("在建涉水工程须填写度汛方案。"), field="plan")


def _save(point: Point, *, actor, data: dict, reason) -> Point:
    region = data.get("region")
    if region is None:
        raise DomainError(PointError.REGION_REQUIRED, _("请选择所在区划。"), field="region")
    if region.level < Region.Level.TOWN:
        raise DomainError(
            PointError.REGION_TOO_HIGH, _("所在区划须为乡镇（街道）或村（社区）。"), field="region"
        )
    records.ensure_region_in_scope(actor, MANAGE, region.code)
    point.region = region
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(point, name, value.strip() if isinstance(value, str) else value)
    point.households = point.households or 0
    point.people = point.people or 0
    point.monitor_phone = _phone(point.monitor_phone, "monitor_phone", mobile=True)
    point.owner_phone = _phone(point.owner_phone, "owner_phone")
    _check(point)
    records.validate(point)
    records.save_with_history(point, actor, record_text(reason))
    return point


def register(*, actor, data: dict) -> Point:
    """登记 a point in a town or village of the actor's area."""
    require_right(actor, MANAGE)
    with transaction.atomic():
        return _save(Point(), actor=actor, data=data, reason=gettext_lazy("登记隐患点"))


def update(*, actor, point_pk, data: dict) -> Point:
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        if not point.is_active:
            raise DomainError(PointError.CLOSED, _("该点已核销，不能修改。"), field="__all__")
        return _save(
            point, actor=actor, data={"region": point.region, **data}, reason=gettext_lazy("修改隐患点")
        )


def close(*, actor, point_pk, reason: str) -> Point:
    """核销: the danger is gone (治理完成, 搬迁避让); the point leaves the warnings' lists but is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(PointError.REASON_REQUIRED, _("请填写核销原因。"), field="reason")
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk, for_update=True)
        require(actor, MANAGE, point)
        if not point.is_active:
            raise DomainError(PointError.CLOSED, _("该点已核销。"), field="__all__")
        point.is_active, point.closed_reason = False, reason[:200]
        records.save_with_history(point, actor, record_text(gettext_lazy("核销：%(reason)s"), reason=reason))
    return point


def observe(*, actor, point_pk, data: dict) -> Observation:
    """日常监测记录. An alarming one (险情征兆) is told at once to the town's and the county's offices."""
    with transaction.atomic():
        point = selectors.access_point(actor, point_pk)
        require(actor, OBSERVE, point)
        if not point.is_active:
            raise DomainError(PointError.CLOSED, _("该点已核销，不再登记监测记录。"), field="__all__")
        seen = (data.get("seen") or "").strip()
        if not seen:
            raise DomainError(PointError.SEEN_REQUIRED, _("请填写监测情况。"), field="seen")
        observed_at = data.get("observed_at") or timezone.now()
        if observed_at > timezone.now() + timedelta(minutes=5):
            raise DomainError(PointError.FUTURE, _("监测时间不能晚于现在。"), field="observed_at")
        observation = Observation(
            point=point,
            observed_at=observed_at,
            observer=(data.get("observer") or "").strip() or actor.display_name,
            seen=seen,
            reading=(data.get("reading") or "").strip(),
            alarming=bool(data.get("alarming")),
            recorded_by=actor,
        )
        records.validate(observation)
        records.save_with_history(observation, actor, record_text(gettext_lazy("登记监测记录")))
        if observation.alarming:
            transaction.on_commit(
                lambda: _tell_danger(
                    point,
                    _("【险情征兆】%(point)s") % {"point": point.name},
                    f"{observation.seen} {observation.reading}".strip(),
                    f"point-alarm:{observation.pk}",
                )
            )
    return observation


def _tell_danger(point: Point, title: str, body: str, key: str) -> None:
    """A sign of danger at a point, told at once to the town office and the county 安委办 there."""
    users = [*recipients.town_office(point.region_id), *recipients.committee_office(point.region_id)]
    notify(
        users,
        kind="warnings.point_alarm",
        title=title,
        body=body,
        url=reverse("warnings:point-detail", args=[point.pk]),
        dedupe_key=key,
    )


# ---------------------------------------------------------------- patrols


def _points_at_risk(warning):
    from anlan.core import rules as core_rules

    kinds = rules.point_kinds_threatened(warning.hazard)
    low, high = core_rules.subtree_bounds(warning.region_id, warning.region.level)
    return Point.objects.filter(is_active=True, kind__in=kinds, region_id__gte=low, region_id__lte=high)


def _make_patrols(warning, stages) -> int:
    """Idempotent: a patrol per (warning, point, stage) — a re-issue at a new level adds none twice."""
    # A stage's deadline depends on the warning only: computed once per stage, not per point.
    issued_at = warning.issued_at or timezone.now()
    dues = {
        stage: rules.patrol_due(
            stage, issued_at=issued_at, starts_at=warning.starts_at, lifted_at=warning.lifted_at
        )
        for stage in stages
    }
    existing = set(Patrol.objects.filter(warning=warning, stage__in=stages).values_list("point_id", "stage"))
    new = [
        Patrol(warning=warning, point=point, stage=stage, due_at=due)
        for point in _points_at_risk(warning).order_by("pk")
        for stage, due in dues.items()
        if (point.pk, stage) not in existing
    ]
    if not new:
        return 0
    bulk_create_with_history(
        new,
        Patrol,
        ignore_conflicts=True,
        default_change_reason=record_text(gettext_lazy("预警生成巡查任务")),
    )
    return len(new)


def on_warning_issued(warning) -> int:
    """Event `warnings.issued`: 雨前排查 and 雨中巡查 for every active point of the area the hazard threatens."""
    return _make_patrols(warning, (rules.BEFORE, rules.DURING))


def on_warning_lifted(warning) -> int:
    """Event `warnings.lifted`: 雨后核查 of the same points."""
    return _make_patrols(warning, (rules.AFTER,))


def report_patrol(*, actor, patrol_pk, data: dict) -> Patrol:
    """A patrol done: findings, whether danger was found, a photo and where (a danger is told at once)."""
    from anlan.core import uploads

    with transaction.atomic():
        patrol = selectors.access_patrol(actor, patrol_pk, for_update=True)
        require(actor, OBSERVE, patrol.point)
        if patrol.is_done:
            raise DomainError(PointError.PATROL_DONE, _("该巡查任务已完成。"), field="__all__")
        findings = (data.get("findings") or "").strip()
        if not findings:
            raise DomainError(PointError.FINDINGS_REQUIRED, _("请填写巡查情况。"), field="findings")
        photo = data.get("photo")
        if photo:
            accepted = uploads.accept_image(photo, field="photo")
            patrol.photo.save(accepted.name, accepted, save=False)
        patrol.findings = findings
        patrol.danger = bool(data.get("danger"))
        patrol.latitude, patrol.longitude = (
            None if data.get(key) in (None, "") else Decimal(str(data[key])).quantize(Decimal("0.000001"))
            for key in ("latitude", "longitude")
        )
        patrol.done_at, patrol.done_by = timezone.now(), actor
        records.validate(patrol)
        records.save_with_history(
            patrol, actor, record_text(gettext_lazy("完成%(stage)s"), stage=patrol.get_stage_display())
        )
        if patrol.danger:
            transaction.on_commit(
                lambda: _tell_danger(
                    patrol.point,
                    _("【巡查发现险情】%(point)s") % {"point": patrol.point.name},
                    patrol.findings,
                    f"patrol-danger:{patrol.pk}",
                )
            )
    return patrol
