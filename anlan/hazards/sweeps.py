"""The hazard deadline sweep (registered in apps.py; run by `anlan_sweep` and the worker).

Before the due date it reminds whoever rectifies; from the day after (rules.is_overdue) it flags the hazard
overdue and escalates it to the overseeing department, the town and the 安委办. Each hazard is claimed with a
conditional UPDATE on the due date it is being handled for (`reminded_for` / `escalated_for`), inside the same
transaction as its notifications, which carry a dedupe key as well: running the sweep twice, or in several
workers at once, sends nothing twice. An approved extension moves the due date and so re-arms both.
Candidates are read in keyset-paginated chunks of ids, so memory does not grow with the table. An escalation
is written into the hazard's history as the system actor (core.audit.system_actor); a reminder is not.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from anlan.core import audit, recipients, records
from anlan.core import rules as core_rules
from anlan.core.models import Enterprise, Region

from . import notices, rules, selectors
from .models import Hazard, StatisticsFiling, Supervision
from .selectors import overdue_q

ESCALATED = _("逾期未整改，已督促整改并告知监管部门、乡镇和安委办")

CHUNK = 500


def _chunks(queryset):
    """Ids of the rows matching `queryset`, in ascending chunks (keyset pagination on the primary key)."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _claim_and_notify(ids: list[int], marker: str, candidates: Q, send, logged=None) -> tuple[int, int]:
    """Claim each hazard of the chunk not yet handled for its due date, then notify; one transaction. With
    `logged` (a reason), each claim also writes one history row as the system actor."""
    claimed = notified = 0
    with transaction.atomic():
        rows = (
            Hazard.objects.filter(pk__in=ids)
            .filter(candidates)
            .select_for_update(skip_locked=True, of=("self",))
        )
        if logged is None:
            rows = rows.only(
                "pk", "number", "due_on", "region_id", "enterprise_id", "supervising_department_id", "place"
            )
        rows = list(rows.select_related(None))
        actor = audit.system_actor() if logged is not None and rows else None
        for hazard in rows:
            won = (
                Hazard.objects.filter(pk=hazard.pk, due_on=hazard.due_on, status__in=Hazard.OPEN)
                .filter(Q(**{f"{marker}__isnull": True}) | Q(**{f"{marker}__lt": hazard.due_on}))
                .update(**{marker: hazard.due_on})
            )
            if won:
                claimed += 1
                if actor is not None:
                    records.update_with_history(
                        hazard, actor, audit.record_text(logged), **{marker: hazard.due_on}
                    )
                notified += send(hazard)
    return claimed, notified


def _unhandled(marker: str) -> Q:
    return Q(**{f"{marker}__isnull": True}) | Q(**{f"{marker}__lt": F("due_on")})


def _sweep(candidates: Q, marker: str, send, logged=None) -> tuple[int, int]:
    claimed = notified = 0
    for ids in _chunks(Hazard.objects.filter(candidates)):
        c, n = _claim_and_notify(ids, marker, candidates, send, logged)
        claimed, notified = claimed + c, notified + n
    return claimed, notified


def remind(today: date, days_before: int) -> tuple[int, int]:
    window = Q(status__in=Hazard.OPEN, due_on__gte=today, due_on__lte=today + timedelta(days=days_before))
    return _sweep(window & _unhandled("reminded_for"), "reminded_for", notices.due_soon)


def escalate(today: date) -> tuple[int, int]:
    return _sweep(overdue_q(today) & _unhandled("escalated_for"), "escalated_for", notices.overdue, ESCALATED)


# ---------------------------------------------------------------- the 挂牌督办 deadline

SUPERVISION_ESCALATED = _("督办期限已过仍未销号，已报告督办单位所在地安委办")


def _sweep_supervisions(candidates: Q, marker: str, send, logged=None) -> tuple[int, int]:
    """Claim each listed 督办 not yet handled for its deadline (a conditional UPDATE, as for hazards), then
    notify; idempotent across runs and workers."""
    claimed = notified = 0
    ids = list(Supervision.objects.filter(candidates).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            rows = Supervision.objects.filter(pk__in=ids[start : start + CHUNK]).select_related(
                "hazard", "issuer__region", "responsible_unit"
            )
            actor = audit.system_actor() if logged is not None else None
            for supervision in rows:
                won = (
                    Supervision.objects.filter(
                        pk=supervision.pk, due_on=supervision.due_on, status=Supervision.Status.LISTED
                    )
                    .filter(_unhandled(marker))
                    .update(**{marker: supervision.due_on})
                )
                if not won:
                    continue
                claimed += 1
                if actor is not None:
                    records.update_with_history(
                        supervision, actor, audit.record_text(logged), **{marker: supervision.due_on}
                    )
                notified += send(supervision)
    return claimed, notified


def remind_supervisions(today: date, days_before: int) -> tuple[int, int]:
    window = Q(
        status=Supervision.Status.LISTED,
        hazard__status__in=Hazard.OPEN,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=days_before),
    )
    return _sweep_supervisions(
        window & _unhandled("reminded_for"), "reminded_for", notices.supervision_due_soon
    )


def escalate_supervisions(today: date) -> tuple[int, int]:
    """A 督办 whose deadline has passed (rules.is_overdue) with the hazard still open goes to the 安委办."""
    late = Q(
        status=Supervision.Status.LISTED,
        hazard__status__in=Hazard.OPEN,
        due_on__lte=rules.overdue_cutoff(today),
    )
    return _sweep_supervisions(
        late & _unhandled("escalated_for"),
        "escalated_for",
        notices.supervision_overdue,
        SUPERVISION_ESCALATED,
    )


# ---------------------------------------------------------------- 隐患排查治理统计分析表 (16号令 第十四条)

FILING_FLAGGED = _("逾期未上报隐患排查治理统计分析表，已告知监管部门")


def _provinces() -> list[str]:
    """The provinces (12-digit codes) that have operating enterprises."""
    prefixes = (
        Enterprise.objects.filter(status=Enterprise.Status.OPERATING)
        .annotate(province=Substr("region_id", 1, 2))
        .values_list("province", flat=True)
        .distinct()
    )
    return sorted(prefix.ljust(12, "0") for prefix in prefixes)


def flag_missing_filings(today: date) -> tuple[int, int]:
    """After a period's due date (per province, rules.is_overdue), every enterprise that must file
    (selectors.required_enterprises) without a confirmed filing gets its row flagged missing, once, and its
    supervising department is told. The rows are made with `ignore_conflicts` on the (enterprise, period)
    constraint and flagged by a conditional UPDATE on `flagged_on IS NULL`: running twice, or in several
    workers at once, flags and notifies each enterprise once."""
    flagged = notified = 0
    router = None
    for province in _provinces():
        low, high = core_rules.subtree_bounds(province, Region.Level.PROVINCE)
        in_province = Enterprise.objects.filter(region_id__gte=low, region_id__lte=high)
        for period in rules.ended_filing_periods(today):
            due_on = selectors.filing_due_on(province, period)
            if not rules.is_overdue(due_on, today):
                continue
            required = selectors.required_enterprises(in_province, period)
            without = required.exclude(
                pk__in=StatisticsFiling.objects.filter(period=period).values("enterprise_id")
            )
            for ids in _chunks(without):
                StatisticsFiling.objects.bulk_create(
                    [
                        StatisticsFiling(
                            enterprise_id=pk,
                            region_id=region_id,
                            industry_id=industry_id,
                            period=period,
                            due_on=due_on,
                            status=StatisticsFiling.Status.MISSING,
                        )
                        for pk, region_id, industry_id in Enterprise.objects.filter(pk__in=ids).values_list(
                            "pk", "region_id", "industry_id"
                        )
                    ],
                    ignore_conflicts=True,
                )
            candidates = StatisticsFiling.objects.filter(
                period=period, flagged_on__isnull=True, enterprise__in=required
            ).exclude(status=StatisticsFiling.Status.CONFIRMED)
            for ids in _chunks(candidates):
                router = router or recipients.DepartmentRouter()
                f, n = _flag_filings(ids, today, router)
                flagged, notified = flagged + f, notified + n
    return flagged, notified


def _flag_filings(ids: list[int], today: date, router) -> tuple[int, int]:
    flagged = notified = 0
    with transaction.atomic():
        actor = audit.system_actor()
        for filing in StatisticsFiling.objects.filter(pk__in=ids).select_related("enterprise"):
            won = (
                StatisticsFiling.objects.filter(pk=filing.pk, flagged_on__isnull=True)
                .exclude(status=StatisticsFiling.Status.CONFIRMED)
                .update(flagged_on=today)
            )
            if not won:
                continue
            flagged += 1
            records.update_with_history(filing, actor, audit.record_text(FILING_FLAGGED), flagged_on=today)
            department = router.department_id(filing.region_id, filing.industry_id)
            notified += notices.filing_missing(filing, department)
    return flagged, notified


def run(*, today: date, now=None, stdout=None) -> dict[str, int]:
    reminded, reminder_messages = remind(today, settings.ANLAN_HAZARD_REMIND_DAYS)
    escalated, overdue_messages = escalate(today)
    supervisions_reminded, supervision_reminders = remind_supervisions(
        today, settings.ANLAN_HAZARD_REMIND_DAYS
    )
    supervisions_escalated, supervision_overdue = escalate_supervisions(today)
    filings_flagged, filing_messages = flag_missing_filings(today)
    return {
        "reminded": reminded,
        "overdue_flagged": escalated,
        "supervisions_reminded": supervisions_reminded,
        "supervisions_escalated": supervisions_escalated,
        "filings_flagged": filings_flagged,
        "messages": reminder_messages
        + overdue_messages
        + supervision_reminders
        + supervision_overdue
        + filing_messages,
    }
