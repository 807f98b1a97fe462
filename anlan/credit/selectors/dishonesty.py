"""Scoped reads of the 严重失信主体名单: the cases a user may see, the candidate queue, the kernel attributes
(`credit.dishonest`, `credit.dishonest_until`: one aggregate query per chunk of enterprise ids), the county settings,
the enterprise page's banner, and the hook the accidents module reads (`credit.dishonesty_basis`)."""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import trees
from anlan.core.contract import TodoItem
from anlan.core.models import Region
from anlan.core.selectors import IdIn, access

from .. import rules
from ..models import DishonestyCase, DishonestySettings
from ..models.dishonesty import RESPOND_DISHONESTY, VIEW_DISHONESTY

CHUNK = 5000
Status = DishonestyCase.Status


def _cases() -> QuerySet:
    return DishonestyCase.objects.select_related(
        "subject", "deciding_unit", "enterprise", "region", "industry"
    )


def access_case(user, pk, *, for_update: bool = False) -> DishonestyCase:
    """The case if the user may see it (404 otherwise): in scope, and a role that reads the list (a grid worker
    sees enterprise X, not its cases)."""
    return access(_cases().for_user(user, VIEW_DISHONESTY), user, pk, for_update=for_update)


def case_list(user, action: str | None = None) -> QuerySet:
    """The cases the user may see (or act on with `action`), newest first."""
    return _cases().for_user(user, action or VIEW_DISHONESTY).order_by("-created_at", "-pk")


def candidate_queue(user) -> QuerySet:
    """Candidates the user's unit decides (谁处罚、谁决定): those waiting for 告知 or a dismissal."""
    from anlan.core import units

    return (
        case_list(user)
        .filter(status=Status.CANDIDATE, deciding_unit__in=units.units_of(user))
        .order_by("created_at", "pk")
    )


def awaiting_decision(user) -> QuerySet:
    """Cases of the user's unit waiting for a step: candidates, finished statement periods, removal applications."""
    from anlan.core import units

    waiting = Q(status__in=(Status.CANDIDATE, Status.STATED, Status.REMOVAL_APPLIED)) | Q(
        status=Status.NOTIFIED, statement_due_on__lt=timezone.localdate()
    )
    return (
        case_list(user).filter(waiting, deciding_unit__in=units.units_of(user)).order_by("created_at", "pk")
    )


def awaiting_statement(user) -> QuerySet:
    """The party's cases in their 陈述申辩 period (its to-do, the deadline first)."""
    return (
        case_list(user, RESPOND_DISHONESTY)
        .filter(status=Status.NOTIFIED, statement_due_on__gte=timezone.localdate())
        .order_by("statement_due_on", "pk")
    )


def statement_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=str(_("陈述申辩：%(name)s") % {"name": case.subject.name}),
            url=reverse("credit:dishonesty-detail", args=[case.pk]),
            due=case.statement_due_on,
        )
        for case in rows[:limit]
    ]


def statement_todo_url(user) -> str:
    return reverse("credit:dishonesty-list") + "?status=notified"


def candidate_todo_items(rows: QuerySet, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{case.subject.name} · {case.get_status_display()}",
            url=reverse("credit:dishonesty-detail", args=[case.pk]),
            due=case.statement_due_on,
        )
        for case in rows[:limit]
    ]


def candidate_todo_url(user) -> str:
    return reverse("credit:dishonesty-candidates")


def cases_of_enterprise(user, enterprise) -> QuerySet:
    return case_list(user).filter(enterprise=enterprise)


def county_of(region_code: str) -> str:
    """The county (区县) code a region code lies in."""
    return trees.county_of(region_code)


def settings_for(region_code: str) -> DishonestySettings:
    """The county's settings (unsaved defaults when the county has none yet)."""
    county = county_of(region_code)
    found = DishonestySettings.objects.filter(region_id=county).first()
    return found or DishonestySettings(region_id=county)


def access_county(user, pk) -> Region:
    """A county (区县) region the user sees, or 404."""
    return access(Region.objects.filter(level=Region.Level.COUNTY), user, pk)


def settings_list(user) -> QuerySet:
    """The counties whose settings the user may see: the counties (区县 level) of their scope."""
    return Region.objects.for_user(user).filter(level=Region.Level.COUNTY).order_by("code")


# ---------------------------------------------------------------- the kernel's attributes and hooks


def _listed_until(enterprise_ids) -> dict[int, object]:
    """The last day listed of each enterprise with a listed case: one aggregate query per CHUNK ids, bound as one
    parameter (`IdIn`: a placeholder per id cost the rating job 0.1 s per chunk of 5,000)."""
    values: dict[int, object] = {}
    ids = list(enterprise_ids)
    for start in range(0, len(ids), CHUNK):
        rows = (
            DishonestyCase.objects.filter(
                IdIn("enterprise_id", ids[start : start + CHUNK]), status__in=DishonestyCase.LISTED_STATES
            )
            .order_by()
            .values("enterprise_id")
            .annotate(until=Max("expires_on"))
            .values_list("enterprise_id", "until")
        )
        values.update(rows)
    return values


def dishonest(enterprise_ids) -> dict[int, bool]:
    """Kernel attribute `credit.dishonest`: True for enterprises with a listed subject (the unit or its principal);
    absent otherwise (one aggregate query per chunk of ids)."""
    return dict.fromkeys(_listed_until(enterprise_ids), True)


def dishonest_until(enterprise_ids) -> dict:
    """Kernel attribute `credit.dishonest_until`: the last day of the enterprise's latest listing, or absent."""
    return _listed_until(enterprise_ids)


def basis_text(facts: dict, *, region_id: str | None = None) -> str:
    """Hook `credit.dishonesty_basis` (read by accidents): the situations of 11号令 the facts meet, in words, with the
    county's local stricter rule applied; empty when none."""
    local = bool(region_id) and settings_for(region_id).local_relatively_major_rule
    labels = dict(rules.SITUATION_CHOICES)
    return "；".join(
        str(labels[number])
        for number, _ in rules.dishonesty_situations(facts, local_relatively_major_rule=local)
    )
