"""Use cases of 自查自改: the enterprise creates and edits its checklists and records each run — a run that found
nothing is confirmed as such, a problem item becomes a hazard with source 企业自查 through the hazards module's
public registration; the nightly sweep marks the periods that went without a run and tells the enterprise. Each
checks scope, right and rules, saves with one history row (actor and reason) and notifies after commit.
Supervisors only read (selectors)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import recipients, records
from anlan.core import selectors as core_selectors
from anlan.core.audit import record_text, system_actor
from anlan.core.errors import DomainError
from anlan.core.models import Enterprise
from anlan.core.permissions import require
from anlan.core.records import check_rule
from anlan.notifications.services import notify_after_commit

from .. import rules
from ..data import selfcheck as data
from ..models import Checklist, ChecklistItem, MissedPeriod, RunResult, SelfInspectionRun
from ..models.selfcheck import RECORD_SELFCHECK, Frequency, RiskLevel
from ..rules import SelfcheckCode as Code
from ..selectors import selfcheck as selectors

NOTICE = "risk.selfcheck"
Result = RunResult.Result
# How many days a problem found by self-inspection is given to be fixed unless the run says otherwise.
DEFAULT_RECTIFICATION_DAYS = 7


def _today() -> date:
    return timezone.localdate()


def _text(values: dict, key: str) -> str:
    return (values.get(key) or "").strip()


def _required(values: dict, key: str, label) -> str:
    value = _text(values, key)
    if not value:
        raise DomainError(Code.TEXT_MISSING, _("请填写%(label)s。") % {"label": label}, field=key)
    return value


def checklist_url(checklist) -> str:
    return reverse("risk:selfcheck-checklist-detail", args=[checklist.pk])


def _tell(users, *, title: str, body: str, url: str, key: str) -> None:
    notify_after_commit(users, kind=NOTICE, title=title, body=body, url=url, dedupe_key=key)


# ---------------------------------------------------------------- checklists


def _checklist_fields(values: dict) -> dict:
    frequency = values.get("frequency")
    if frequency not in Frequency.values:
        raise DomainError(Code.FREQUENCY_INVALID, _("请选择自查频次。"), field="frequency")
    risk_level = values.get("risk_level") or ""
    if risk_level and risk_level not in RiskLevel.values:
        raise DomainError(Code.RISK_LEVEL_INVALID, _("岗位风险等级无效。"), field="risk_level")
    return {
        "name": _required(values, "name", _("清单名称")),
        "post": _required(values, "post", _("岗位/区域")),
        "frequency": frequency,
        "risk_level": risk_level,
    }


def _items(values: dict) -> list[tuple[str, str]]:
    items = rules.parse_items(values.get("items") or "")
    if not items:
        raise DomainError(Code.NO_ITEMS, _("请至少填写一项检查内容（每行一项）。"), field="items")
    return items


def create_checklist(*, actor, enterprise_pk: int, data: dict) -> Checklist:
    """建立自查清单: name, post or area, risk level (suggests the frequency), frequency, the day it starts (today
    by default; its first whole period is the first one due) and the items, one a line "内容 | 依据"."""
    with transaction.atomic():
        enterprise = core_selectors.access_enterprise(actor, enterprise_pk)
        require(actor, RECORD_SELFCHECK, enterprise)
        fields = _checklist_fields(data)
        items = _items(data)
        checklist = Checklist(
            enterprise=enterprise, starts_on=data.get("starts_on") or _today(), created_by=actor, **fields
        )
        records.validate(checklist)
        reason = record_text(gettext_lazy("建立自查清单"))
        records.save_with_history(checklist, actor, reason)
        for order, (content, basis) in enumerate(items, start=1):
            item = ChecklistItem(checklist=checklist, order=order, content=content, basis=basis)
            records.save_with_history(item, actor, reason)
        records.ensure_in_scope(actor, RECORD_SELFCHECK, checklist, "enterprise")
    return checklist


def update_checklist(*, actor, checklist_pk: int, data: dict) -> Checklist:
    """修改自查清单: its fields, whether it is active, and its items — an item kept by its content keeps its past
    results, a new line adds one, a line removed deactivates its item. A changed frequency starts again from
    today (the periods already marked missed stay)."""
    with transaction.atomic():
        checklist = selectors.access_checklist(actor, checklist_pk, for_update=True)
        require(actor, RECORD_SELFCHECK, checklist)
        fields = _checklist_fields(data)
        items = _items(data)
        reason = record_text(gettext_lazy("修改自查清单"))
        if fields["frequency"] != checklist.frequency:
            checklist.starts_on = _today()
        for name, value in fields.items():
            setattr(checklist, name, value)
        if "is_active" in data:
            checklist.is_active = bool(data["is_active"])
        records.validate(checklist)
        records.save_with_history(checklist, actor, reason)
        existing = {item.content: item for item in ChecklistItem.objects.filter(checklist=checklist)}
        wanted = set()
        for order, (content, basis) in enumerate(items, start=1):
            wanted.add(content)
            item = existing.get(content) or ChecklistItem(checklist=checklist, content=content)
            if item.pk and (item.order, item.basis, item.is_active) == (order, basis, True):
                continue
            item.order, item.basis, item.is_active = order, basis, True
            records.save_with_history(item, actor, reason)
        for content, item in existing.items():
            if content not in wanted and item.is_active:
                item.is_active = False
                records.save_with_history(item, actor, reason)
    return checklist


# ---------------------------------------------------------------- runs


def _inspector(checklist: Checklist, values: dict):
    """The inspector: a user of the enterprise (by id), or a person named; the name is kept either way."""
    user_id = values.get("inspector")
    name = _text(values, "inspector_name")
    if user_id:
        user = (
            recipients.enterprise_users(checklist.enterprise)
            .filter(pk=getattr(user_id, "pk", user_id))
            .first()
        )
        if user is None:
            raise DomainError(Code.INSPECTOR_MISSING, _("检查人须为本单位的账号。"), field="inspector")
        return user, name or user.real_name or user.username
    if not name:
        raise DomainError(Code.INSPECTOR_MISSING, _("请选择或填写检查人。"), field="inspector_name")
    return None, name


def _results(items: list[ChecklistItem], values: dict) -> list[tuple[ChecklistItem, str, str]]:
    given = values.get("results") or {}
    results = []
    for item in items:
        result, note = given.get(item.pk, ("", ""))
        note = (note or "").strip()
        if result not in rules.RUN_RESULTS:
            raise DomainError(
                Code.RESULT_MISSING,
                _("请填写“%(item)s”的检查结果。") % {"item": item.content[:40]},
                field=f"result_{item.pk}",
            )
        if result == Result.PROBLEM and not note:
            raise DomainError(
                Code.PROBLEM_NOTE_MISSING,
                _("请说明“%(item)s”存在的问题。") % {"item": item.content[:40]},
                field=f"note_{item.pk}",
            )
        results.append((item, result, note))
    return results


def _register_hazard(actor, checklist, run, item, note, due_on, photos):
    """The problem as a hazard of the enterprise (source 企业自查), through the hazards module's registration."""
    from anlan.hazards.models import Hazard
    from anlan.hazards.services import register_hazard

    description = _("自查“%(list)s”（%(post)s）发现：%(item)s——%(note)s") % {
        "list": checklist.name,
        "post": checklist.post,
        "item": item.content,
        "note": note,
    }
    return register_hazard(
        actor=actor,
        data={
            "enterprise": checklist.enterprise,
            "source": Hazard.Source.SELF_INSPECTION,
            "category": Hazard.Category.MANAGEMENT if not photos else Hazard.Category.UNSAFE_CONDITION,
            "grade": Hazard.Grade.ORDINARY,
            "description": description[:1000],
            "found_on": run.done_on,
            "finder": run.inspector_name[:50],
            "due_on": due_on,
        },
        photos=photos,
        reason=str(_("企业自查发现问题列为隐患")),
    )


def record_run(*, actor, checklist_pk: int, data: dict, photos: dict | None = None) -> SelfInspectionRun:
    """登记自查记录: the day it was done (not in the future, not before the checklist started; the period is the
    one containing that day), the inspector, each active item's result. A problem needs its description and
    becomes an ordinary hazard (source 企业自查) due on `due_on` (7 days by default); a run with no problem is
    recorded only when the enterprise confirms it found nothing (`nothing_found`). The period's first run is its
    counted one; a later run of the same period is kept but counts once; a run recorded for a period the sweep
    marked missed makes it up (补录). `photos` maps an item id to its pictures (they go with the hazard)."""
    photos = photos or {}
    with transaction.atomic():
        # The checklist row locked: two runs of one period recorded at once still count once.
        checklist = selectors.access_checklist(actor, checklist_pk, for_update=True)
        require(actor, RECORD_SELFCHECK, checklist)
        if not checklist.is_active:
            raise DomainError(Code.INACTIVE, _("该自查清单已停用。"), field="__all__")
        today = _today()
        done_on = data.get("done_on")
        if done_on is None:
            raise DomainError(Code.TEXT_MISSING, _("请填写自查日期。"), field="done_on")
        check_rule(rules.check_run_day, done_on, today, checklist.starts_on)
        inspector, inspector_name = _inspector(checklist, data)
        items = list(selectors.items_of(checklist))
        results = _results(items, data)
        problems = [r for r in results if r[1] == Result.PROBLEM]
        if not problems and not data.get("nothing_found"):
            raise DomainError(
                Code.NOTHING_FOUND_UNCONFIRMED,
                _("本次未勾选任何问题：请确认“本次自查未发现问题”。"),
                field="nothing_found",
            )
        due_on = data.get("due_on") or done_on + timedelta(days=DEFAULT_RECTIFICATION_DAYS)
        period = rules.period_of(checklist.frequency, done_on)
        counted = not SelfInspectionRun.objects.filter(
            checklist=checklist, period_start=period.start, is_counted=True
        ).exists()
        run = SelfInspectionRun(
            checklist=checklist,
            enterprise=checklist.enterprise,
            done_on=done_on,
            period_start=period.start,
            period_end=period.end,
            is_counted=counted,
            inspector=inspector,
            inspector_name=inspector_name,
            found_problems=bool(problems),
            problem_count=len(problems),
            notes=_text(data, "notes"),
            recorded_by=actor,
        )
        records.validate(run)
        reason = record_text(
            gettext_lazy("登记自查记录（发现问题）")
            if problems
            else gettext_lazy("登记自查记录（未发现问题）")
        )
        records.save_with_history(run, actor, reason)
        for item, result, note in results:
            row = RunResult(run=run, item=item, result=result, note=note)
            if result == Result.PROBLEM:
                row.hazard = _register_hazard(
                    actor, checklist, run, item, note, due_on, photos.get(item.pk, ())
                )
            records.save_with_history(row, actor, reason)
        if counted:
            missed = MissedPeriod.objects.filter(
                checklist=checklist, period_start=period.start, made_up_on__isnull=True
            ).first()
            if missed is not None:
                records.update_with_history(
                    missed, actor, record_text(gettext_lazy("补录自查记录")), made_up_on=today
                )
        records.ensure_in_scope(actor, RECORD_SELFCHECK, run, "checklist")
    return run


# ---------------------------------------------------------------- the nightly sweep


def _mark(checklist: Checklist, period: rules.Period, actor) -> bool:
    """Insert the missed period once (a unique constraint: another worker's row wins, quietly)."""
    missed = MissedPeriod(
        checklist=checklist,
        enterprise_id=checklist.enterprise_id,
        period_start=period.start,
        period_end=period.end,
    )
    try:
        with transaction.atomic():
            records.save_with_history(missed, actor, record_text(gettext_lazy("自查周期缺失")))
    except DomainError:
        return False
    return True


def sweep(*, today: date, now=None, stdout=None) -> dict[str, int]:
    """Nightly, idempotent and safe with several workers: (1) for each active checklist, every whole period of the
    last 100 days that ended by yesterday with no run is marked missed once (unique per checklist and period);
    (2) each enterprise is told once of its newly missed periods (claimed by a conditional UPDATE on
    `notified_at`)."""
    now = now or timezone.now()
    counts = {"periods_missed": 0, "enterprises_told": 0}
    actor = system_actor()
    yesterday = today - timedelta(days=1)
    lookback = today - timedelta(days=data.SWEEP_LOOKBACK_DAYS)
    active = Checklist.objects.filter(is_active=True, starts_on__lte=yesterday).order_by("pk")
    last_pk = 0
    while True:
        batch = list(active.filter(pk__gt=last_pk)[:500])
        if not batch:
            break
        last_pk = batch[-1].pk
        run_days: dict[int, list[date]] = defaultdict(list)
        marked: dict[int, set[date]] = defaultdict(set)
        ids = [c.pk for c in batch]
        for checklist_id, done_on in SelfInspectionRun.objects.filter(
            checklist_id__in=ids, done_on__gte=lookback - timedelta(days=31)
        ).values_list("checklist_id", "done_on"):
            run_days[checklist_id].append(done_on)
        for checklist_id, start in MissedPeriod.objects.filter(
            checklist_id__in=ids, period_end__gte=lookback
        ).values_list("checklist_id", "period_start"):
            marked[checklist_id].add(start)
        for checklist in batch:
            start = max(checklist.starts_on, lookback)
            for period in rules.missing_periods(
                checklist.frequency, start, yesterday, run_days[checklist.pk]
            ):
                if period.start in marked[checklist.pk]:
                    continue
                if _mark(checklist, period, actor):
                    counts["periods_missed"] += 1
    pending = (
        MissedPeriod.objects.filter(notified_at__isnull=True, made_up_on__isnull=True)
        .values_list("enterprise_id", "pk")
        .order_by("enterprise_id", "pk")
    )
    by_enterprise: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, pk in pending:
        by_enterprise[enterprise_id].append(pk)
    for enterprise_id, ids in by_enterprise.items():
        with transaction.atomic():
            claimed = MissedPeriod.objects.filter(pk__in=ids, notified_at__isnull=True).update(
                notified_at=now
            )
            if not claimed:
                continue
            counts["enterprises_told"] += 1
            enterprise = Enterprise.objects.get(pk=enterprise_id)
            _tell(
                recipients.enterprise_users(enterprise),
                title=record_text(gettext_lazy("有 %(n)s 个自查周期未按期自查"), n=claimed),
                body=str(_("请查看自查日历，按清单及时开展自查；确已开展的请补录。")),
                url=reverse("risk:selfcheck-calendar", args=[enterprise_id]),
                key=f"selfcheck:{enterprise_id}:missed:{today.isoformat()}",
            )
    if stdout is not None:
        stdout.write(f"risk selfcheck: {counts}\n")
    return counts
