"""Use cases of a warning: draft (typed in, or imported from CAP), its targets and the recipient list built
and shown before sending, issue (突发事件应对法 第六十四条), level changes (第七十条, each a new revision that
re-notifies), lifting (第七十条), withdrawal of a draft; each recipient's confirmation (in the app or by the link
in their SMS) and measures report (第六十六条、第六十七条); who is told when a recipient stays silent.

Sending is background work (services.dispatch): the services write the state and queue the job in the same
transaction, so a warning issued is a warning sent even if the web process dies."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import contract, jobs, receipts, recipients, trees
from anlan.core import rules as core_rules
from anlan.core.errors import DomainError
from anlan.core.models import ReceiptTask, Region, Unit
from anlan.core.permissions import require_right
from anlan.core.records import ensure_region_in_scope, save_with_history, update_with_history, validate
from anlan.core.units import committee_office_for
from anlan.notifications.services import notify

from .. import rules
from ..models import Warning, WarningRecipient
from ..selectors import warnings as selectors
from . import targeting

DRAFT = selectors.DRAFT
ISSUE = selectors.ISSUE
TASK_KIND = selectors.TASK_KIND
DISPATCH_JOB = "warnings.dispatch"
BUILD_JOB = "warnings.build_recipients"
ESCALATION_NOTICE = "warnings.unconfirmed"


class WarningError(StrEnum):
    FIELD_REQUIRED = "warning_field_required"
    LEVEL_INVALID = "warning_level_invalid"
    COLOUR_NOT_USED = "warning_colour_not_used_by_signal"
    NOT_DRAFT = "warning_not_draft"
    NOT_LIVE = "warning_not_live"
    NO_RECIPIENTS = "warning_no_recipients"
    LIST_NOT_BUILT = "warning_list_not_built"
    SAME_LEVEL = "warning_same_level"
    REASON_REQUIRED = "warning_reason_required"
    ENDS_BEFORE_START = "warning_ends_before_start"
    NOT_RECIPIENT = "warning_not_recipient"
    MEASURE_UNKNOWN = "warning_measure_unknown"
    AREA_TOO_HIGH = "warning_area_above_county"


EDITABLE = (
    "kind",
    "category",
    "hazard",
    "level",
    "title",
    "region",
    "area",
    "starts_at",
    "ends_at",
    "matters",
    "measures",
    "targets",
)


def _now() -> datetime:
    return timezone.now()


def _level(value, field: str = "level") -> int | None:
    if value in (None, ""):
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if level not in (1, 2, 3, 4):
        # 突发事件应对法 第六十三条: 一级、二级、三级、四级.
        raise DomainError(WarningError.LEVEL_INVALID, _("预警级别只能是一级至四级。"), field=field)
    return level


def _check_values(values: dict) -> dict:
    """Normalise and check what a draft may hold (a draft may be incomplete; issuing checks completeness)."""
    out = {key: values[key] for key in EDITABLE if key in values}
    if "level" in out:
        out["level"] = _level(out["level"])
    if "targets" in out:
        out["targets"] = rules.clean_targets(out["targets"])
    for text in ("title", "area", "matters", "measures"):
        if text in out:
            out[text] = (out[text] or "").strip()
    region = out.get("region")
    if isinstance(region, Region) and region.level < Region.Level.COUNTY:
        raise DomainError(
            WarningError.AREA_TOO_HIGH, _("预警区域须为本县（区）或其下的乡镇、村。"), field="region"
        )
    return out


def _dates(warning: Warning) -> None:
    if warning.starts_at and warning.ends_at and warning.ends_at <= warning.starts_at:
        raise DomainError(WarningError.ENDS_BEFORE_START, _("预计结束时间须晚于起始时间。"), field="ends_at")


def create_draft(*, actor, values: dict, cap: dict | None = None) -> Warning:
    """A draft warning in the actor's scope. Title, hazard and area are needed even for a draft. `cap`: the
    identifier, sender and text of the CAP alert it is imported from (services.cap)."""
    require_right(actor, DRAFT)
    values = _check_values(values)
    region = values.get("region")
    if region is None:
        raise DomainError(WarningError.FIELD_REQUIRED, _("请选择预警区域。"), field="region")
    ensure_region_in_scope(actor, DRAFT, region.code)
    warning = Warning(created_by=actor, status=rules.DRAFT, **values)
    warning.issuer = _default_issuer(region)
    for key, value in (cap or {}).items():
        setattr(warning, f"cap_{key}", value)
    _dates(warning)
    validate(warning)
    save_with_history(warning, actor, "从 CAP 导入预警草稿" if cap else "登记预警草稿")
    return warning


def _default_issuer(region: Region) -> Unit | None:
    """The 安委办 of the area's county issues (突发事件应对法 第六十四条: 县级以上人民政府)."""
    county = Region.objects.filter(code=trees.county_of(region.code)).first()
    return committee_office_for(county) if county else None


def update_draft(*, actor, warning_pk, values: dict) -> Warning:
    """Edit a draft (nothing of an issued warning changes but by a level change or its lifting)."""
    values = _check_values(values)
    with transaction.atomic():
        warning = _own_draft(actor, warning_pk)
        if warning.status != rules.DRAFT:
            raise DomainError(WarningError.NOT_DRAFT, _("只有草稿可以修改。"), field="__all__")
        if "region" in values and values["region"] is not None:
            ensure_region_in_scope(actor, DRAFT, values["region"].code)
            warning.issuer = _default_issuer(values["region"])
        for key, value in values.items():
            setattr(warning, key, value)
        _dates(warning)
        validate(warning)
        save_with_history(warning, actor, "修改预警草稿")
        # The list built for the old targets no longer holds.
        selectors.next_list(warning).filter(task__isnull=True).delete()
    return warning


def _own_draft(actor, warning_pk) -> Warning:
    """A warning of the actor's own scope (404 otherwise — a recipient only reads), locked; 403 without the
    right to draft."""
    warning = selectors.access_warning(actor, warning_pk, for_update=True)
    if not selectors.in_scope(actor, warning):
        from django.http import Http404

        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    require_right(actor, DRAFT)
    return warning


def _missing(warning: Warning, *, at: datetime) -> list[str]:
    values = {
        "category": warning.category if warning.kind == rules.EMERGENCY else warning.hazard,
        "level": warning.level,
        "starts_at": warning.starts_at,
        "area": warning.area,
        "matters": warning.matters,
        "measures": warning.measures,
        "issuer": warning.issuer_id,
        "issued_at": at,
    }
    return rules.missing_fields(values)


def check_complete(warning: Warning, *, at: datetime | None = None) -> None:
    """突发事件应对法 第六十四条: every required field is filled before a warning is issued; a signal's colour
    is one its type uses (气象灾害预警信号发布与传播办法)."""
    missing = _missing(warning, at=at or _now())
    if missing:
        labels = "、".join(rules.REQUIRED_FIELDS[name] for name in missing)
        raise DomainError(
            WarningError.FIELD_REQUIRED,
            _("发布预警须载明%(fields)s（突发事件应对法第六十四条）。") % {"fields": labels},
            field=missing[0],
        )
    if warning.kind == rules.SIGNAL and not rules.colour_allowed(warning.hazard, warning.level):
        raise DomainError(
            WarningError.COLOUR_NOT_USED,
            _("%(hazard)s预警信号没有%(colour)s级别。")
            % {
                "hazard": warning.get_hazard_display(),
                "colour": rules.COLOUR_LABELS[rules.warning_colour(warning.level)],
            },
            field="level",
        )
    _dates(warning)


def build_list(*, actor, warning_pk):
    """Queue the building of the recipient list the next issue sends (shown on the page when ready)."""
    with transaction.atomic():
        warning = _own_draft(actor, warning_pk)
        if warning.status != rules.DRAFT:
            raise DomainError(WarningError.NOT_DRAFT, _("只有草稿可以重新生成接收名单。"), field="__all__")
        if not rules.clean_targets(warning.targets)["groups"]:
            raise DomainError(WarningError.NO_RECIPIENTS, _("请至少选择一类发送对象。"), field="targets")
        update_with_history(warning, actor, "生成接收名单")
        return jobs.enqueue(
            BUILD_JOB,
            owner=actor,
            label=_("生成预警接收名单：%(title)s") % {"title": warning.title},
            params={"warning": warning.pk, "revision": warning.revision + 1},
        )


def build_job(run) -> dict:
    """Job `warnings.build_recipients`: compute and store a revision's list (idempotent)."""
    warning = Warning.objects.select_related("region").get(pk=run.params["warning"])
    count = targeting.store(warning, run.params["revision"])
    return {"recipients": count}


def issue(*, actor, warning_pk, at: datetime | None = None) -> Warning:
    """Issue a draft (第六十四条): complete, its list built and not empty; the issuing 安委办 only. The list
    goes out as a background job."""
    at = at or _now()
    with transaction.atomic():
        warning = selectors.access_warning(actor, warning_pk, for_update=True)
        _may_issue(actor, warning)
        if warning.status != rules.DRAFT:
            raise DomainError(WarningError.NOT_DRAFT, _("该预警已发布或已撤销。"), field="__all__")
        check_complete(warning, at=at)
        revision = warning.revision + 1
        if not WarningRecipient.objects.filter(warning=warning, revision=revision).exists():
            raise DomainError(
                WarningError.LIST_NOT_BUILT, _("请先生成并核对接收名单，再发布。"), field="targets"
            )
        update_with_history(
            warning,
            actor,
            f"发布{warning.level_label}预警",
            status=rules.ISSUED,
            revision=revision,
            issued_at=at,
            issued_by=actor,
        )
        _queue_dispatch(actor, warning)
        transaction.on_commit(lambda: contract.emit("warnings.issued", warning=warning))
    return warning


def _may_issue(actor, warning: Warning) -> None:
    if not selectors.may_issue(actor, warning):
        raise PermissionDenied(_("只有发布单位（县级安委办/应急管理局）可以发布、调整或解除预警。"))


def _queue_dispatch(actor, warning: Warning, *, lifted: bool = False) -> None:
    label = _("发送预警：%(title)s") if not lifted else _("发送预警解除通知：%(title)s")
    jobs.enqueue(
        DISPATCH_JOB,
        owner=actor,
        label=label % {"title": warning.title},
        params={"warning": warning.pk, "revision": warning.revision, "lifted": lifted},
        priority=10,
    )


def change_level(*, actor, warning_pk, level, reason: str, at: datetime | None = None) -> Warning:
    """突发事件应对法 第七十条: adjust the level and re-issue — a new revision, its list built again from the
    same targets and sent; the previous revision's open confirmations are withdrawn."""
    level = _level(level)
    if level is None:
        raise DomainError(WarningError.LEVEL_INVALID, _("请选择调整后的级别。"), field="level")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(WarningError.REASON_REQUIRED, _("请填写调整理由。"), field="reason")
    at = at or _now()
    with transaction.atomic():
        warning = selectors.access_warning(actor, warning_pk, for_update=True)
        _may_issue(actor, warning)
        if warning.status != rules.ISSUED:
            raise DomainError(WarningError.NOT_LIVE, _("只有发布中的预警可以调整级别。"), field="__all__")
        if level == warning.level:
            raise DomainError(WarningError.SAME_LEVEL, _("调整后的级别与当前级别相同。"), field="level")
        old = warning.level_label
        warning.level = level  # checked as it will be
        check_complete(warning, at=at)
        _withdraw_open(warning)
        update_with_history(
            warning,
            actor,
            f"预警级别由{old}调整为{rules.level_label(level)}：{reason}",
            level=level,
            revision=warning.revision + 1,
            issued_at=at,
            issued_by=actor,
        )
        targeting.store(warning, warning.revision)
        _queue_dispatch(actor, warning)
        transaction.on_commit(lambda: contract.emit("warnings.issued", warning=warning))
    return warning


def _tasks_of(warning: Warning):
    """Every receipt task of every revision of the warning."""
    return ReceiptTask.objects.filter(content_type=content_type(), object_id=warning.pk, kind=TASK_KIND)


def _withdraw_open(warning: Warning) -> int:
    return receipts.cancel_many(_tasks_of(warning))


def lift(*, actor, warning_pk, reason: str, at: datetime | None = None) -> Warning:
    """突发事件应对法 第七十条: once the danger is over, lift the warning at once and end the 预警期; every
    recipient is told, open confirmations are withdrawn and links stop working after the grace period."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(WarningError.REASON_REQUIRED, _("请填写解除说明。"), field="reason")
    at = at or _now()
    with transaction.atomic():
        warning = selectors.access_warning(actor, warning_pk, for_update=True)
        _may_issue(actor, warning)
        if warning.status != rules.ISSUED:
            raise DomainError(WarningError.NOT_LIVE, _("只有发布中的预警可以解除。"), field="__all__")
        _withdraw_open(warning)
        # The links keep opening (to say the warning is lifted) for the grace period after the lifting.
        ReceiptTask.objects.filter(pk__in=_tasks_of(warning).values("pk")).update(
            token_expires_at=rules.token_valid_until(warning.starts_at, warning.ends_at, at)
        )
        update_with_history(
            warning, actor, f"解除预警：{reason}", status=rules.LIFTED, lifted_at=at, lift_reason=reason
        )
        _queue_dispatch(actor, warning, lifted=True)
        transaction.on_commit(lambda: contract.emit("warnings.lifted", warning=warning))
    return warning


def withdraw(*, actor, warning_pk, reason: str) -> Warning:
    """Withdraw a draft that will not be issued (kept, with the reason)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(WarningError.REASON_REQUIRED, _("请填写撤销原因。"), field="reason")
    with transaction.atomic():
        warning = _own_draft(actor, warning_pk)
        if warning.status != rules.DRAFT:
            raise DomainError(WarningError.NOT_DRAFT, _("只有草稿可以撤销。"), field="__all__")
        update_with_history(warning, actor, f"撤销预警草稿：{reason}", status=rules.WITHDRAWN)
    return warning


# ---------------------------------------------------------------- recipients


def confirm(*, actor, recipient_pk) -> WarningRecipient:
    """A recipient confirms in the app (the kernel checks it is them)."""
    row = _own_row(actor, recipient_pk)
    if row.task is None:
        raise DomainError(WarningError.NOT_LIVE, _("该预警尚未送达。"), field="__all__")
    receipts.confirm_receipt(actor=actor, task=row.task)
    row.task.refresh_from_db()
    return row


def _own_row(actor, recipient_pk) -> WarningRecipient:
    row = (
        WarningRecipient.objects.select_related("task", "warning").filter(pk=recipient_pk, user=actor).first()
    )
    if row is None:
        from django.http import Http404

        raise Http404(_("记录不存在或不在您的管辖范围内。"))
    return row


def row_for_token(token: str) -> WarningRecipient:
    """The recipient row a confirmation link opens (unknown, revoked or expired → DomainError)."""
    task = receipts.task_for_token(token)
    row = WarningRecipient.objects.select_related("warning", "task").filter(task=task).first()
    if row is None:
        raise DomainError(WarningError.NOT_RECIPIENT, _("确认链接无效。"), field="token")
    return row


def confirm_by_link(token: str) -> WarningRecipient:
    row = row_for_token(token)
    receipts.confirm_by_token(token)
    row.task.refresh_from_db()
    return row


def report_measures(
    *, row: WarningRecipient, done: dict, note: str = "", actor=None, at: datetime | None = None
) -> WarningRecipient:
    """A recipient reports against the checklist of their revision's level (第六十六条/第六十七条): each
    measure done or not, with a note; reporting also confirms receipt. Reported again, the last report
    stands."""
    if row.warning.status != rules.ISSUED or row.revision != row.warning.revision:
        raise DomainError(WarningError.NOT_LIVE, _("该预警已调整或解除，无需再报告。"), field="__all__")
    codes = [code for code, _article, _label in rules.checklist(row.warning.level)]
    unknown = [key for key in done if key not in codes]
    if unknown:
        raise DomainError(WarningError.MEASURE_UNKNOWN, _("措施清单中没有该项。"), field="measures_done")
    values = {
        "measures_done": {code: bool(done.get(code)) for code in codes},
        "measures_note": (note or "").strip(),
        "reported_at": at or _now(),
    }
    with transaction.atomic():
        update_with_history(row, actor, "报告措施落实情况", **values)
        if row.task is not None and row.task.is_open:
            if actor is not None:
                receipts.confirm_receipt(actor=actor, task=row.task)
            else:
                receipts.confirm_by_token(receipts.link_token(row.task))
            row.task.refresh_from_db()
    return row


# ---------------------------------------------------------------- escalation (core.receipt_escalated)


def on_receipt_escalated(*, task, level: int) -> None:
    """An unconfirmed warning escalates (突发事件应对法 第六十五条 makes receiving a duty): level 1 tells the
    head of the recipient's unit and the duty officer of the recipient's town (or county), level 2 the
    带班领导 there and at the county, level 3 the county 安委办. Messages are merged per warning, revision,
    level and unit or office, so a storm of silent recipients is one message per office, not thousands."""
    if task.kind != TASK_KIND:
        return
    row = WarningRecipient.objects.select_related("warning", "unit").filter(task=task).first()
    if row is None or row.warning.status != rules.ISSUED or row.revision != row.warning.revision:
        return
    warning = row.warning
    code = row.region_id
    town = trees.town_of(code) if core_rules.level_of_code(code) >= trees.TOWN else ""
    county = trees.county_of(code)
    office = town or county
    base = f"warning:{warning.pk}:r{row.revision}:esc{level}"
    url = reverse("warnings:warning-board", args=[warning.pk])
    title = _("预警接收逾期未确认：%(title)s") % {"title": warning.title}
    sends = []
    if level == 1:
        if row.unit_id:
            sends.append((recipients.unit_heads(row.unit), f"{base}:unit{row.unit_id}"))
        sends.append((recipients.group("duty_officer_on_shift", region=office), f"{base}:duty{office}"))
    elif level == 2:
        for each in dict.fromkeys([office, county]):
            sends.append((recipients.group("duty_leader_on_shift", region=each), f"{base}:leader{each}"))
    else:
        sends.append((recipients.committee_office(code), f"{base}:county{county}"))
    body = _("%(place)s有接收人超过确认时限仍未确认，请督促接收并在确认看板查看。") % {
        "place": row.unit_name or row.name
    }

    def send():
        for users, key in sends:
            notify(users, kind=ESCALATION_NOTICE, title=title[:200], body=body, url=url, dedupe_key=key)

    transaction.on_commit(send)


def confirm_minutes() -> dict:
    return settings.ANLAN_WARNING_CONFIRM_MINUTES


def confirm_period(level: int) -> timedelta:
    return rules.confirm_within(level, confirm_minutes())


def content_type():
    return ContentType.objects.get_for_model(Warning)
