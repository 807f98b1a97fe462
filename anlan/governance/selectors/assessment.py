"""Scoped reads of 考核: schemes, indicators and manual scores (the 安委办's and the leaders'), runs and results.

Who sees a run: before publication, the 安委办 and the leaders of its county (the models' scope); after it, every
government user of the county (安委办, departments, towns, leaders) sees the ranking table, and a town or
department sees its own result with every line and record. Another unit's lines stay the 安委办's and leaders'."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anlan.core import rules as core_rules
from anlan.core import trees, units
from anlan.core.models import Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from ..models import AssessmentRun, AssessmentScheme, Indicator, ManualScore, ResultLine, UnitResult
from ..models.assessment import VIEW_ASSESSMENT

GOVERNMENT_ROLES = (Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN, Role.LEADER)


def scheme_list(user) -> QuerySet[AssessmentScheme]:
    return AssessmentScheme.objects.for_user(user).select_related("region").order_by("-year", "region_id")


def access_scheme(user, pk, *, for_update: bool = False) -> AssessmentScheme:
    return access(
        AssessmentScheme.objects.select_related("region", "created_by"), user, pk, for_update=for_update
    )


def indicators_of(scheme: AssessmentScheme) -> QuerySet[Indicator]:
    return scheme.indicators.order_by("position", "pk")


def access_indicator(user, pk, *, for_update: bool = False) -> Indicator:
    return access(Indicator.objects.select_related("scheme"), user, pk, for_update=for_update)


def access_manual_score(user, pk, *, for_update: bool = False) -> ManualScore:
    return access(
        ManualScore.objects.select_related("indicator__scheme", "unit", "entered_by", "reviewed_by"),
        user,
        pk,
        for_update=for_update,
    )


def manual_scores_of(scheme: AssessmentScheme) -> QuerySet[ManualScore]:
    return ManualScore.objects.filter(indicator__scheme=scheme).select_related(
        "indicator", "unit", "entered_by", "reviewed_by"
    )


def scored_unit_rows(scheme: AssessmentScheme) -> QuerySet[Unit]:
    """The active towns and departments of the scheme's region (whom a run scores, whom a manual score names)."""
    low, high = core_rules.subtree_bounds(scheme.region.code, scheme.region.level)
    return Unit.objects.filter(
        kind__in=(Unit.Kind.TOWN, Unit.Kind.DEPARTMENT),
        is_active=True,
        region_id__gte=low,
        region_id__lte=high,
    ).order_by("kind", "name")


def government_regions(user) -> set[str]:
    """The region codes whose published rankings the user may read: each government membership's region and
    its ancestors (a department: its own region's)."""
    codes: set[str] = set()
    for membership in memberships_of(user):
        if membership.role not in GOVERNMENT_ROLES:
            continue
        region = membership.department.region if membership.department_id else membership.region
        if region is not None:
            codes.update(trees.ancestor_codes(region.code))
    return codes


def run_list(user) -> QuerySet[AssessmentRun]:
    """Runs the user may open: any in their scope (安委办, leaders), and the published ones of their county."""
    published = Q(status=AssessmentRun.Status.PUBLISHED, scheme__region_id__in=government_regions(user))
    if getattr(user, "is_superuser", False):
        published = Q()
    return (
        AssessmentRun.objects.filter(Q(pk__in=AssessmentRun.objects.for_user(user).values("pk")) | published)
        .select_related("scheme__region")
        .order_by("-scheme__year", "pk")
    )


def access_run(user, pk) -> AssessmentRun:
    try:
        return run_list(user).get(pk=pk)
    except (AssessmentRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("记录不存在或不在您的管辖范围内。")) from exc


def ranking(run: AssessmentRun) -> QuerySet[UnitResult]:
    """The ranking table of a run the user may open (callers access the run first)."""
    return run.results.select_related("unit").order_by("unit__kind", "rank")


def may_see_details(user, run: AssessmentRun) -> bool:
    """Whether the user reads every unit's lines (the 安委办 and leaders of the county), not only their own."""
    return AssessmentRun.objects.for_user(user, VIEW_ASSESSMENT).filter(pk=run.pk).exists()


def result_list(user) -> QuerySet[UnitResult]:
    """Results with lines the user may open: all in scope for the 安委办 and leaders; a unit's own once published."""
    return UnitResult.objects.for_user(user).filter(
        Q(run__status=AssessmentRun.Status.PUBLISHED)
        | Q(pk__in=UnitResult.objects.for_user(user, VIEW_ASSESSMENT).values("pk"))
    )


def access_result(user, pk) -> UnitResult:
    return access(
        UnitResult.objects.filter(pk__in=result_list(user).values("pk")).select_related(
            "unit", "run__scheme"
        ),
        user,
        pk,
    )


def lines_of(result: UnitResult) -> QuerySet[ResultLine]:
    return result.lines.select_related("indicator").order_by("indicator__position")


def own_results(user) -> QuerySet[UnitResult]:
    """The published results of the units the user acts for, newest year first."""
    return (
        UnitResult.objects.filter(unit__in=units.units_of(user), run__status=AssessmentRun.Status.PUBLISHED)
        .select_related("unit", "run__scheme")
        .order_by("-run__scheme__year")
    )
