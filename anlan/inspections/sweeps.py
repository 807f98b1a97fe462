"""The inspections sweep (registered in apps.py; run by `anlan_sweep` and the worker).

- 复产 after a 挂牌督办 halt (16号令 第二十三条): a pending application whose on-site review is past its due day
  and not made is flagged once (`Resumption.review_overdue_at`) and reported to the department that ordered
  the halt and the county's 安委办.
- 提请关闭 (安全生产法 第一百一十三条): the enterprises whose counted penalties make a closure proposal due —
  penalties entered back-dated or imported never passed the enforcement service's check — are flagged; an
  open proposal per enterprise (a conditional unique constraint) and a window already counted by an earlier
  proposal flag nothing again.
- 盯守 and 回头看 (seed-map C8, C10; `services.watch.sweep`): the missing plans of suspended and closed units are
  made, the 盯守 of resumed units ended, each missed due date flagged once.
- 双随机、一公开 (regulations.md §8): a confirmed draw whose deadline could not be computed yet (the holiday
  calendar lacked a year) gets it once the year is there; a draw still unpublished after its due day is
  flagged once (`RandomDraw.publish_overdue_at`) and reported to its department.

Each row is claimed with a conditional UPDATE on its flag (still empty) inside the transaction that sends its
notifications, which carry a dedupe key too: running the sweep twice, or in several workers at once, flags and
sends nothing twice.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import audit, recipients, trees
from anlan.core.models import Role
from anlan.notifications.services import notify

from . import selectors
from .models import RandomDraw, Resumption
from .services import closure, publication, watch

REVIEW_OVERDUE = "inspection_review_overdue"
# The 盯守/回头看 sweep's counts, named for this sweep's result.
WATCH_KEYS = {
    "watch_plans": "watch_plans_made",
    "revisit_plans": "revisit_plans_made",
    "ended": "watches_ended",
    "overdue": "watch_visits_overdue",
}
PUBLICATION_OVERDUE = "inspection_publication_overdue"


def _claim(model, pk: int, marker: str, candidates, now) -> bool:
    """Set the row's flag if it is still a candidate and unflagged; True for the one caller that did."""
    return bool(
        model.objects.filter(candidates, pk=pk, **{f"{marker}__isnull": True}).update(**{marker: now})
    )


def flag_overdue_reviews(today: date, now) -> tuple[int, int]:
    candidates = selectors.review_overdue(today)
    ids = list(
        Resumption.objects.filter(candidates, review_overdue_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = sent = 0
    for pk in ids:
        with transaction.atomic():
            if not _claim(Resumption, pk, "review_overdue_at", candidates, now):
                continue
            flagged += 1
            application = Resumption.objects.select_related(
                "suspension__enterprise", "suspension__action__inspection"
            ).get(pk=pk)
            suspension = application.suspension
            users = recipients.department_staff(
                suspension.action.inspection.department_id
            ) | recipients.members(
                region=trees.county_of(suspension.enterprise.region_id), roles=[Role.COMMITTEE_OFFICE]
            )
            sent += notify(
                users,
                kind=REVIEW_OVERDUE,
                title=audit.record_text(
                    _("复产申请逾期未现场审查：%(name)s"), name=suspension.enterprise.name
                ),
                body=audit.record_text(
                    _("挂牌督办后的复产申请应在收到之日起10日内现场审查，期限为%(due)s。"),
                    due=application.review_due_on.isoformat(),
                ),
                url=reverse("inspections:suspension-detail", args=[suspension.pk]),
                dedupe_key=f"resumption:{pk}:review-overdue",
            )
    return flagged, sent


def fill_publication_deadlines(today: date) -> int:
    """Confirmed draws whose period is over but whose deadline is still empty (a calendar year was missing)."""
    ids = list(
        RandomDraw.objects.filter(
            status=RandomDraw.Status.CONFIRMED, publish_due_on__isnull=True, period_end__lt=today
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    filled = 0
    actor = audit.system_actor() if ids else None
    for pk in ids:
        with transaction.atomic():
            draw = RandomDraw.objects.select_for_update().filter(pk=pk, publish_due_on__isnull=True).first()
            if draw is not None and publication.refresh_deadline(draw, actor) and draw.publish_due_on:
                filled += 1
    return filled


def flag_overdue_publications(today: date, now) -> tuple[int, int]:
    candidates = selectors.publication_overdue(today)
    ids = list(
        RandomDraw.objects.filter(candidates, publish_overdue_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = sent = 0
    for pk in ids:
        with transaction.atomic():
            if not _claim(RandomDraw, pk, "publish_overdue_at", candidates, now):
                continue
            flagged += 1
            draw = RandomDraw.objects.only("pk", "title", "department_id", "publish_due_on").get(pk=pk)
            sent += notify(
                recipients.department_staff(draw.department_id),
                kind=PUBLICATION_OVERDUE,
                title=audit.record_text(_("双随机抽查结果逾期未公开：%(title)s"), title=draw.title),
                body=audit.record_text(
                    _("抽查结果应在检查结束后按期公开，期限为%(due)s。"), due=draw.publish_due_on.isoformat()
                ),
                url=reverse("inspections:draw-detail", args=[pk]),
                dedupe_key=f"draw:{pk}:publication-overdue",
            )
    return flagged, sent


def run(*, today: date, now=None, stdout=None) -> dict[str, int]:
    now = now or timezone.now()
    reviews, review_messages = flag_overdue_reviews(today, now)
    filled = fill_publication_deadlines(today)
    publications, publication_messages = flag_overdue_publications(today, now)
    return {
        "reviews_overdue": reviews,
        "publication_deadlines_filled": filled,
        "publications_overdue": publications,
        "messages": review_messages + publication_messages,
        "closure_flagged": closure.flag_closures(on=today),
        **{WATCH_KEYS[key]: value for key, value in watch.sweep(today=today, now=now).items()},
    }
