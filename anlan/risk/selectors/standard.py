"""Scoped reads of 标准化, 安责险, 安全生产费用 and 安全生产责任制: the lists and records a user may see, the
enterprises in compulsory industries without a current policy (应投未投, one SQL query over the enterprises in
scope), the enterprise's 待办, the kernel attributes (one aggregate query per chunk of ids), and the facts of the
一必须五到位 profile — read from other modules only through the kernel (enterprise attributes) and the emergency
module's public selectors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import contract, trees
from anlan.core.contract import TodoItem
from anlan.core.models import Enterprise
from anlan.core.selectors import IdIn, access

from .. import rules
from ..models import (
    LiabilityPolicy,
    PolicyService,
    ResponsibilitySystem,
    SafetySpending,
    SpendingUse,
    StandardisationGrade,
)

CHUNK = 5000
HOLDING = tuple(rules.GRADE_HOLDING_STATUSES)


# ---------------------------------------------------------------- conditions as Q (the rules, for SQL)


def holding_grade_q(today: date, prefix: str = "") -> Q:
    """Grades that hold on `today` (rules.grade_is_current)."""
    return Q(**{f"{prefix}status__in": HOLDING, f"{prefix}valid_until__gte": today})


def covering_policy_q(today: date, prefix: str = "") -> Q:
    """Policies that cover `today` (rules.policy_covers)."""
    return Q(**{f"{prefix}starts_on__lte": today, f"{prefix}ends_on__gte": today})


def compulsory_industry_ids() -> frozenset[int]:
    """The industries (with their subtrees) where 安责险 is compulsory (data: COMPULSORY_INSURANCE)."""
    tree = trees.IndustryTree.load()
    codes = rules.compulsory_insurance_codes()
    return tree.descendants([pk for pk, code in tree.code.items() if code in codes])


def insurance_requirement_of(enterprise: Enterprise):
    """The compulsory-industry entry that applies to the enterprise's main industry, or None."""
    tree = trees.IndustryTree.load()
    return rules.insurance_requirement(tree.code[pk] for pk in tree.lineage(enterprise.industry_id))


# ---------------------------------------------------------------- lists and records


def grade_list(user, action: str | None = None) -> QuerySet[StandardisationGrade]:
    return StandardisationGrade.objects.for_user(user, action).select_related(
        "enterprise", "enterprise__region", "confirmed_by"
    )


def access_grade(user, pk, *, for_update: bool = False) -> StandardisationGrade:
    return access(
        StandardisationGrade.objects.select_related("enterprise", "enterprise__region", "confirmed_by"),
        user,
        pk,
        for_update=for_update,
    )


def policy_list(user, action: str | None = None) -> QuerySet[LiabilityPolicy]:
    return LiabilityPolicy.objects.for_user(user, action).select_related("enterprise", "enterprise__region")


def access_policy(user, pk, *, for_update: bool = False) -> LiabilityPolicy:
    return access(
        LiabilityPolicy.objects.select_related("enterprise", "enterprise__region"),
        user,
        pk,
        for_update=for_update,
    )


def services_of(user, policy: LiabilityPolicy) -> QuerySet[PolicyService]:
    return PolicyService.objects.for_user(user).filter(policy=policy).select_related("recorded_by")


def service_list(user) -> QuerySet[PolicyService]:
    return PolicyService.objects.for_user(user).select_related("policy")


def spending_list(user, action: str | None = None) -> QuerySet[SafetySpending]:
    return SafetySpending.objects.for_user(user, action).select_related("enterprise").prefetch_related("uses")


def spending_of(enterprise, year: int) -> SafetySpending | None:
    """The enterprise's spending row of a year (the caller has checked the enterprise is in scope)."""
    return SafetySpending.objects.filter(enterprise=enterprise, year=year).prefetch_related("uses").first()


def uses_of(spending: SafetySpending) -> dict[str, Decimal]:
    return {use.category: use.amount for use in SpendingUse.objects.filter(spending=spending)}


def responsibility_list(user) -> QuerySet[ResponsibilitySystem]:
    return ResponsibilitySystem.objects.for_user(user).select_related("enterprise")


def uninsured(user, today: date | None = None) -> QuerySet[Enterprise]:
    """应投未投: operating enterprises in the user's scope whose main industry makes 安责险 compulsory and that have
    no policy covering `today` — one query (an EXISTS over the policies)."""
    today = today or timezone.localdate()
    covered = LiabilityPolicy.objects.filter(covering_policy_q(today), enterprise=OuterRef("pk"))
    return (
        Enterprise.objects.for_user(user)
        .filter(industry_id__in=compulsory_industry_ids(), status=Enterprise.Status.OPERATING)
        .filter(~Exists(covered))
        .select_related("region", "industry")
        .order_by("region_id", "name")
    )


# ---------------------------------------------------------------- the enterprise's own records


def grades_of(user, enterprise) -> QuerySet[StandardisationGrade]:
    return grade_list(user).filter(enterprise=enterprise)


def policies_of(user, enterprise) -> QuerySet[LiabilityPolicy]:
    return policy_list(user).filter(enterprise=enterprise)


def holding_grade(user, enterprise, today: date) -> StandardisationGrade | None:
    """The enterprise's best grade holding on `today` (一级 before 二级 before 三级)."""
    return grades_of(user, enterprise).filter(holding_grade_q(today)).order_by("grade", "-issued_on").first()


def covering_policy(user, enterprise, today: date) -> LiabilityPolicy | None:
    return policies_of(user, enterprise).filter(covering_policy_q(today)).order_by("-ends_on").first()


def latest_responsibility(user, enterprise) -> ResponsibilitySystem | None:
    return responsibility_list(user).filter(enterprise=enterprise).first()


# ---------------------------------------------------------------- kernel attributes


def _chunks(ids):
    ids = sorted({int(pk) for pk in ids})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def standardisation_grades(enterprise_ids, today: date | None = None) -> dict[int, str]:
    """`risk.standardisation_grade`: "1" | "2" | "3" — the best grade holding today — for enterprises with one;
    the others are absent. One aggregate query per chunk of ids."""
    from django.db.models import Min

    today = today or timezone.localdate()
    found: dict[int, str] = {}
    for chunk in _chunks(enterprise_ids):
        rows = (
            StandardisationGrade.objects.filter(IdIn("enterprise_id", chunk))
            .filter(holding_grade_q(today))
            .values("enterprise_id")
            .annotate(best=Min("grade"))
            .values_list("enterprise_id", "best")
        )
        found.update(dict(rows))
    return found


def insured(enterprise_ids, today: date | None = None) -> dict[int, bool]:
    """`risk.insured`: True/False for enterprises in compulsory industries (a policy covers today or not); the
    others are absent. One query per chunk of ids."""
    today = today or timezone.localdate()
    industries = compulsory_industry_ids()
    found: dict[int, bool] = {}
    for chunk in _chunks(enterprise_ids):
        covered = LiabilityPolicy.objects.filter(covering_policy_q(today), enterprise=OuterRef("pk"))
        rows = (
            Enterprise.objects.filter(IdIn("id", chunk), industry_id__in=industries)
            .annotate(covered=Exists(covered))
            .values_list("pk", "covered")
        )
        found.update({pk: bool(covered) for pk, covered in rows})
    return found


# ---------------------------------------------------------------- 一必须五到位


def _declared(key: str) -> bool:
    return key in contract.registry().attributes


def profile_facts(user, enterprise, today: date) -> rules.ProfileFacts:
    """The facts of the profile: the registry, this part's records, the kernel attributes other parts provide
    (absent module → None), and the enterprise's filed emergency plans through the emergency module."""
    from django.db.models import Sum

    spending = spending_of(enterprise, today.year)
    used = None
    if spending is not None:
        used = SpendingUse.objects.filter(spending=spending).aggregate(total=Sum("amount"))["total"]
    training = None
    if _declared("risk.training_in_place"):
        training = contract.enterprise_attribute("risk.training_in_place", [enterprise.pk])[enterprise.pk]
        training = bool(training) if training is not None else False
    register = None
    if _declared("risk.highest_level"):
        register = (
            contract.enterprise_attribute("risk.highest_level", [enterprise.pk])[enterprise.pk] is not None
        )
    selfcheck_known = _declared("risk.selfcheck_missing")
    missing = None
    if selfcheck_known:
        missing = contract.enterprise_attribute("risk.selfcheck_missing", [enterprise.pk])[enterprise.pk]
    return rules.ProfileFacts(
        has_principal=enterprise.principal_id is not None,
        has_safety_manager=bool(enterprise.safety_manager.strip()),
        has_responsibility_system=latest_responsibility(user, enterprise) is not None,
        year=today.year,
        spending_extracted=spending.extracted if spending is not None else None,
        spending_used=used,
        training_in_place=training,
        risk_register=register,
        selfcheck_missing=missing,
        selfcheck_known=selfcheck_known,
        filed_plans=filed_plans(user, enterprise),
    )


def filed_plans(user, enterprise) -> int | None:
    """How many of the enterprise's plans are filed (已备案, or deemed filed), through the emergency module's public
    selector (None when the module is not installed)."""
    from django.apps import apps

    if not apps.is_installed("anlan.emergency"):
        return None
    from anlan.emergency.selectors.plans import plan_list

    return plan_list(user).filter(enterprise=enterprise, filing_status__in=("accepted", "deemed")).count()


# ---------------------------------------------------------------- the enterprise's 待办


def _own_enterprise_ids(user) -> list[int]:
    from anlan.core.scope import memberships_of

    return [m.enterprise_id for m in memberships_of(user) if m.enterprise_id]


def lapsed_policies(user) -> QuerySet[Enterprise]:
    """The user's own enterprises in a compulsory industry with no policy covering today (应投未投), each with
    `ever_insured`: whether it had one (its 安责险 lapsed) or never registered any."""
    ids = _own_enterprise_ids(user)
    if not ids:
        return Enterprise.objects.none()
    ever = LiabilityPolicy.objects.filter(enterprise=OuterRef("pk"))
    return uninsured(user).filter(pk__in=ids).annotate(ever_insured=Exists(ever))


def expired_grades(user) -> QuerySet[StandardisationGrade]:
    """The user's own enterprises' grades that have expired and have no holding grade since."""
    ids = _own_enterprise_ids(user)
    if not ids:
        return StandardisationGrade.objects.none()
    today = timezone.localdate()
    holding = StandardisationGrade.objects.filter(holding_grade_q(today), enterprise=OuterRef("enterprise"))
    return (
        grade_list(user)
        .filter(enterprise_id__in=ids, status=StandardisationGrade.Status.EXPIRED)
        .filter(~Exists(holding))
        .order_by("-valid_until")
    )


def policy_todo_url(user) -> str:
    return reverse("risk:standard-policy-list")


def grade_todo_url(user) -> str:
    return reverse("risk:standard-grade-list")


def policy_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=(_("%(name)s：安责险已脱保") if row.ever_insured else _("%(name)s：安责险应投未投"))
            % {"name": row.name},
            url=reverse("risk:standard-policy-create", args=[row.pk]),
        )
        for row in rows[:limit]
    ]


def grade_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.enterprise.name}：{row.get_grade_display()}标准化等级已过期",
            url=reverse("risk:standard-grade-detail", args=[row.pk]),
            due=row.valid_until,
        )
        for row in rows[:limit]
    ]


def grades_to_review(user) -> QuerySet[StandardisationGrade]:
    """Grades flagged 待撤销审查 the user may decide on."""
    from ..models.standard import WITHDRAW_GRADE

    return grade_list(user, WITHDRAW_GRADE).filter(status=StandardisationGrade.Status.UNDER_REVIEW)


def review_todo_url(user) -> str:
    return reverse("risk:standard-grade-list") + "?status=under_review"


def review_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.enterprise.name}：{row.get_grade_display()}待撤销审查",
            url=reverse("risk:standard-grade-detail", args=[row.pk]),
        )
        for row in rows[:limit]
    ]
