"""Use cases of 考核: the 安委办 drafts a year's scheme and its indicators, publishes (locks) it, enters manual
scores that a second 安委办 user confirms, scores every town and department of the county from live data (a
job), and publishes the results. Each checks scope and right, applies the rules, saves with history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anlan.core import jobs, records, units
from anlan.core import rules as core_rules
from anlan.core.errors import DomainError
from anlan.core.models import Region, Unit
from anlan.core.permissions import require, require_right
from anlan.core.workflow import apply_transition, find
from anlan.notifications.services import notify

from .. import rules
from ..models import AssessmentRun, AssessmentScheme, Indicator, ManualScore, ResultLine, UnitResult
from ..models.assessment import MANAGE_ASSESSMENT
from ..selectors import assessment as selectors
from ..selectors import assessment_facts as facts

SCORE_JOB = "governance.assessment_score"
# A county scores in its request (a few dozen units); a larger region's run goes to the workers.
SCORE_IN_REQUEST_UNITS = 200
PUBLISHED_JOB = "governance.assessment_published"
NOTICE = "governance.assessment"
DATA_KINDS = (rules.DEDUCTION, rules.WORKLOAD, rules.VETO)


class ErrorCode(StrEnum):
    REGION_LEVEL = "assessment_region_level"
    NOT_DRAFT = "assessment_scheme_locked"
    NOT_PUBLISHED = "assessment_scheme_not_published"
    NO_INDICATOR = "assessment_no_indicator"
    PROVIDER = "assessment_provider"
    PROVIDER_UNITS = "assessment_provider_units"
    POINTS = "assessment_points"
    MAXIMUM = "assessment_maximum"
    NOT_MANUAL = "assessment_not_manual"
    UNIT = "assessment_unit"
    AMOUNT = "assessment_amount_over_cap"
    EVIDENCE = "assessment_evidence"
    RESULTS_PUBLISHED = "assessment_results_published"
    UNCONFIRMED = "assessment_manual_unconfirmed"


def _text(data: dict, key: str) -> str:
    return (data.get(key) or "").strip()


# ---------------------------------------------------------------- schemes and indicators


def _check_scheme(actor, scheme: AssessmentScheme, data: dict) -> None:
    region = data.get("region")
    if not isinstance(region, Region) or region.level > Region.Level.COUNTY:
        raise DomainError(ErrorCode.REGION_LEVEL, _("考核区划须为县级或以上区划。"), field="region")
    records.ensure_region_in_scope(actor, MANAGE_ASSESSMENT, region.code)
    scheme.region = region
    scheme.year = data.get("year")
    scheme.title = _text(data, "title")
    scheme.base = data.get("base") if data.get("base") is not None else rules.DEFAULT_BASE
    scheme.maximum = data.get("maximum")
    scheme.notes = _text(data, "notes")
    if scheme.maximum is not None and scheme.maximum < scheme.base:
        raise DomainError(ErrorCode.MAXIMUM, _("最高分不能低于基础分。"), field="maximum")
    records.validate(scheme)


def create_scheme(*, actor, data: dict) -> AssessmentScheme:
    """制定考核方案: a draft for a county and year (one a year)."""
    require_right(actor, MANAGE_ASSESSMENT)
    with transaction.atomic():
        scheme = AssessmentScheme(created_by=actor)
        _check_scheme(actor, scheme, data)
        records.save_with_history(scheme, actor, gettext_lazy("制定考核方案"))
        records.ensure_in_scope(actor, MANAGE_ASSESSMENT, scheme, "region")
        return scheme


def _draft(actor, scheme_pk) -> AssessmentScheme:
    scheme = selectors.access_scheme(actor, scheme_pk, for_update=True)
    require(actor, MANAGE_ASSESSMENT, scheme)
    if not scheme.is_draft:
        raise DomainError(ErrorCode.NOT_DRAFT, _("考核方案已发布，指标不能再修改。"), field="__all__")
    return scheme


def update_scheme(*, actor, scheme_pk: int, data: dict) -> AssessmentScheme:
    """修改考核方案 while a draft."""
    with transaction.atomic():
        scheme = _draft(actor, scheme_pk)
        _check_scheme(actor, scheme, data)
        records.save_with_history(scheme, actor, gettext_lazy("修改考核方案"))
        records.ensure_in_scope(actor, MANAGE_ASSESSMENT, scheme, "region")
        return scheme


INDICATOR_FIELDS = (
    "name",
    "kind",
    "category",
    "applies_to",
    "provider",
    "points",
    "cap",
    "threshold",
    "basis",
)


def _check_indicator(indicator: Indicator, data: dict) -> None:
    for name in INDICATOR_FIELDS:
        value = data.get(name)
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    indicator.provider = indicator.provider or ""
    indicator.basis = indicator.basis or ""
    if indicator.points is None:
        indicator.points = Decimal("0")
    if indicator.kind in DATA_KINDS:
        spec = facts.PROVIDERS.get(indicator.provider)
        if spec is None:
            raise DomainError(ErrorCode.PROVIDER, _("请选择该指标的数据来源。"), field="provider")
        kinds = set(spec.unit_kinds)
        wanted = (
            {Unit.Kind.TOWN, Unit.Kind.DEPARTMENT}
            if indicator.applies_to == "all"
            else {indicator.applies_to}
        )
        if not wanted <= kinds:
            raise DomainError(
                ErrorCode.PROVIDER_UNITS,
                _("数据来源“%(provider)s”只适用于部门，请将适用对象改为部门。") % {"provider": spec.label},
                field="applies_to",
            )
    elif indicator.provider:
        raise DomainError(ErrorCode.PROVIDER, _("人工评分指标不选数据来源。"), field="provider")
    if indicator.kind in (rules.DEDUCTION, rules.WORKLOAD) and indicator.points <= 0:
        raise DomainError(ErrorCode.POINTS, _("扣分或加分指标的每次分值须大于 0。"), field="points")
    if indicator.kind == rules.MANUAL and indicator.cap is None:
        raise DomainError(ErrorCode.POINTS, _("人工评分指标须设分值上限。"), field="cap")
    if indicator.kind == rules.VETO:
        indicator.points, indicator.cap = Decimal("0"), None
    records.validate(indicator)


def add_indicator(*, actor, scheme_pk: int, data: dict) -> Indicator:
    """增加考核指标 to a draft scheme, numbered after the last."""
    with transaction.atomic():
        scheme = _draft(actor, scheme_pk)
        last = scheme.indicators.aggregate(n=Max("position"))["n"] or 0
        indicator = Indicator(scheme=scheme, position=last + 1)
        _check_indicator(indicator, data)
        records.save_with_history(indicator, actor, gettext_lazy("增加考核指标"))
        return indicator


def update_indicator(*, actor, indicator_pk: int, data: dict) -> Indicator:
    with transaction.atomic():
        indicator = selectors.access_indicator(actor, indicator_pk, for_update=True)
        _draft(actor, indicator.scheme_id)
        _check_indicator(indicator, data)
        records.save_with_history(indicator, actor, gettext_lazy("修改考核指标"))
        return indicator


def delete_indicator(*, actor, indicator_pk: int) -> None:
    with transaction.atomic():
        indicator = selectors.access_indicator(actor, indicator_pk, for_update=True)
        _draft(actor, indicator.scheme_id)
        records.delete_with_history(indicator, actor, gettext_lazy("删除考核指标"))


def publish_scheme(*, actor, scheme_pk: int) -> AssessmentScheme:
    """发布考核方案: its indicators are locked from now on."""
    with transaction.atomic():
        scheme = _draft(actor, scheme_pk)
        if not scheme.indicators.exists():
            raise DomainError(ErrorCode.NO_INDICATOR, _("考核方案至少要有一项指标。"), field="__all__")
        transition = find(AssessmentScheme.TRANSITIONS, "publish")
        return apply_transition(scheme, transition, actor=actor, changes={"published_at": timezone.now()})


# ---------------------------------------------------------------- manual scores


def _open_scheme(scheme: AssessmentScheme) -> None:
    if scheme.is_draft:
        raise DomainError(ErrorCode.NOT_PUBLISHED, _("请先发布考核方案。"), field="__all__")
    if AssessmentRun.objects.filter(scheme=scheme, status=AssessmentRun.Status.PUBLISHED).exists():
        raise DomainError(ErrorCode.RESULTS_PUBLISHED, _("考核结果已发布，不能再修改。"), field="__all__")


def enter_manual_score(*, actor, indicator_pk: int, data: dict) -> ManualScore:
    """录入人工评分 (台账检查, 现场考核) for one unit with its evidence; entered again (after a return or a
    correction) it waits for review again."""
    with transaction.atomic():
        indicator = selectors.access_indicator(actor, indicator_pk, for_update=True)
        require(actor, MANAGE_ASSESSMENT, indicator)
        scheme = indicator.scheme
        _open_scheme(scheme)
        if indicator.kind != rules.MANUAL:
            raise DomainError(
                ErrorCode.NOT_MANUAL, _("该指标由数据自动计算，不能人工评分。"), field="indicator"
            )
        unit = data.get("unit")
        allowed = selectors.scored_unit_rows(scheme).filter(pk=getattr(unit, "pk", None)).first()
        if allowed is None or not indicator.applies(allowed.kind):
            raise DomainError(ErrorCode.UNIT, _("被考核单位不在本方案的考核范围内。"), field="unit")
        amount = data.get("amount")
        if amount is None or amount < 0:
            raise DomainError(ErrorCode.AMOUNT, _("扣分须为不小于 0 的数。"), field="amount")
        if indicator.cap is not None and amount > indicator.cap:
            raise DomainError(
                ErrorCode.AMOUNT,
                _("扣分不能超过该指标的分值上限 %(cap)s 分。") % {"cap": indicator.cap},
                field="amount",
            )
        evidence = _text(data, "evidence")
        if not evidence:
            raise DomainError(ErrorCode.EVIDENCE, _("请填写评分依据。"), field="evidence")
        score = ManualScore.objects.select_for_update().filter(indicator=indicator, unit=allowed).first()
        score = score or ManualScore(indicator=indicator, unit=allowed)
        score.amount, score.evidence = amount, evidence
        score.status = ManualScore.Status.ENTERED
        score.entered_by, score.entered_at = actor, timezone.now()
        score.reviewed_by = score.reviewed_at = None
        records.validate(score)
        records.save_with_history(score, actor, gettext_lazy("录入人工评分"))
        return score


def review_manual_score(*, actor, score_pk: int, name: str, reason: str = "") -> ManualScore:
    """确认 or 退回 a manual score — a second, different 安委办 user (the guard refuses the enterer)."""
    with transaction.atomic():
        score = selectors.access_manual_score(actor, score_pk, for_update=True)
        transition = find(ManualScore.TRANSITIONS, name)
        require(actor, transition.right, score)
        _open_scheme(score.indicator.scheme)
        return apply_transition(
            score,
            transition,
            actor=actor,
            reason=reason,
            changes={"reviewed_by": actor, "reviewed_at": timezone.now()},
        )


# ---------------------------------------------------------------- scoring


def start_scoring(*, actor, scheme_pk: int):
    """计算考核结果: (re)score every town and department of the scheme's region from live data — in the request
    for a county, as a background job beyond SCORE_IN_REQUEST_UNITS. Returns the run."""
    with transaction.atomic():
        scheme = selectors.access_scheme(actor, scheme_pk, for_update=True)
        require(actor, MANAGE_ASSESSMENT, scheme)
        _open_scheme(scheme)
        unconfirmed = selectors.manual_scores_of(scheme).filter(status=ManualScore.Status.ENTERED).count()
        if unconfirmed:
            raise DomainError(
                ErrorCode.UNCONFIRMED,
                _("还有 %(n)s 条人工评分待审核，请审核后再计算。") % {"n": unconfirmed},
                field="__all__",
            )
        run = AssessmentRun.objects.filter(scheme=scheme).first() or AssessmentRun(
            scheme=scheme, computed_by=actor
        )
        run.status, run.computed_by = AssessmentRun.Status.PENDING, actor
        records.save_with_history(run, actor, gettext_lazy("开始计算考核结果"))
        count = selectors.scored_unit_rows(scheme).count()
    label = _("计算考核结果：%(title)s") % {"title": scheme.title}
    job = jobs.start(
        SCORE_JOB, here=count <= SCORE_IN_REQUEST_UNITS, owner=actor, label=label, params={"run": run.pk}
    )
    AssessmentRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def score_job(job_run) -> dict:
    """Job `governance.assessment_score`: compute the run's results (idempotent: rewrites them)."""
    run = compute_run(run_pk=job_run.params["run"], actor=job_run.owner, today=timezone.localdate())
    return {"units": run.unit_count}


def _items(indicators: list[Indicator], unit_kind: str) -> tuple[rules.AssessmentItem, ...]:
    return tuple(
        rules.AssessmentItem(i.code, i.kind, i.points, i.cap) for i in indicators if i.applies(unit_kind)
    )


def compute_run(*, run_pk: int, actor, today: date) -> AssessmentRun:
    """Score every unit: one call per data indicator's provider (all units at once), the confirmed manual
    scores, `rules.assessment_score` per unit, `rules.rank` within towns and within departments; the results,
    lines and records replace the previous computation."""
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().select_related("scheme__region").get(pk=run_pk)
        if run.is_published:
            raise DomainError(ErrorCode.RESULTS_PUBLISHED, _("考核结果已发布，不能再修改。"), field="__all__")
        scheme = run.scheme
        region = scheme.region
        low, high = core_rules.subtree_bounds(region.code, region.level)
        first, last = date(scheme.year, 1, 1), date(scheme.year, 12, 31)
        as_of = min(last, today)
        units = facts.scored_units(region.code, region.level)
        indicators = list(selectors.indicators_of(scheme))
        found: dict[str, dict[int, facts.UnitFacts]] = {}
        for indicator in indicators:
            if indicator.kind in DATA_KINDS:
                ctx = facts.FactContext(
                    scheme.year, first, last, as_of, low, high, units, threshold=indicator.threshold
                )
                found[indicator.code] = facts.facts_for(indicator.provider, ctx)
        manual: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for score in selectors.manual_scores_of(scheme).filter(status=ManualScore.Status.CONFIRMED):
            manual[score.unit_id][str(score.indicator_id)] = score.amount
        by_kind: dict[str, list] = defaultdict(list)
        for unit in units:
            occurrences = {code: rows[unit.pk].occurrences for code, rows in found.items() if unit.pk in rows}
            scheme_rules = rules.AssessmentScheme(_items(indicators, unit.kind), scheme.base, scheme.maximum)
            result = rules.assessment_score(scheme_rules, rules.AssessmentFacts(occurrences, manual[unit.pk]))
            by_kind[unit.kind].append((unit, result))
        run.results.all().delete()
        lines = []
        for pairs in by_kind.values():
            names = {unit.name + f"#{unit.pk}": unit for unit, _result in pairs}
            ranked = rules.rank([(unit.name + f"#{unit.pk}", result) for unit, result in pairs])
            saved = UnitResult.objects.bulk_create(
                [
                    UnitResult(
                        run=run,
                        unit_id=names[key].pk,
                        score=result.score,
                        vetoed=result.vetoed,
                        deducted=result.deducted,
                        added=result.added,
                        rank=position,
                    )
                    for position, key, result in ranked
                ]
            )
            for row, (_position, key, result) in zip(saved, ranked, strict=True):
                unit = names[key]
                for line in result.lines:
                    unit_facts = found.get(line.code, {}).get(unit.pk)
                    lines.append(
                        ResultLine(
                            result=row,
                            indicator_id=int(line.code),
                            occurrences=line.occurrences,
                            points=line.points,
                            capped=line.capped,
                            records=unit_facts.records if unit_facts and line.occurrences else [],
                        )
                    )
        ResultLine.objects.bulk_create(lines, batch_size=2000)
        run.status = AssessmentRun.Status.COMPUTED
        run.as_of, run.unit_count, run.computed_at, run.computed_by = as_of, len(units), timezone.now(), actor
        records.save_with_history(run, actor, gettext_lazy("计算考核结果"))
        return run


def publish_run(*, actor, run_pk: int) -> AssessmentRun:
    """发布考核结果: each town and department now sees its own result and the ranking table, and its members are
    told — in the request for a county, as a background job beyond SCORE_IN_REQUEST_UNITS."""
    with transaction.atomic():
        run = AssessmentRun.objects.for_user(actor).select_for_update(of=("self",)).filter(pk=run_pk).first()
        if run is None:
            from django.http import Http404

            raise Http404(_("记录不存在或不在您的管辖范围内。"))
        transition = find(AssessmentRun.TRANSITIONS, "publish")
        require(actor, transition.right, run)
        run = apply_transition(
            run, transition, actor=actor, changes={"published_by": actor, "published_at": timezone.now()}
        )
    label = _("通知考核结果：%(title)s") % {"title": run.scheme.title}
    jobs.start(
        PUBLISHED_JOB,
        here=run.unit_count <= SCORE_IN_REQUEST_UNITS,
        owner=actor,
        label=label,
        params={"run": run.pk},
    )
    return run


def published_job(job_run) -> dict:
    """Job `governance.assessment_published`: tell the members of every scored unit that the results are out,
    each with its own score, rank and a link to its result (once per person and run, however often it runs)."""
    run = AssessmentRun.objects.select_related("scheme").get(pk=job_run.params["run"])
    title = _("考核结果已发布：%(title)s") % {"title": run.scheme.title}
    told = 0
    for result in UnitResult.objects.filter(run=run).select_related("unit").order_by("pk"):
        if result.vetoed:
            body = _("%(unit)s：一票否决。") % {"unit": result.unit.name}
        else:
            body = _("%(unit)s：得分 %(score)s，第 %(rank)s 名。") % {
                "unit": result.unit.name,
                "score": result.score,
                "rank": result.rank,
            }
        told += notify(
            units.members(result.unit),
            kind=NOTICE,
            title=str(title),
            body=str(body),
            url=reverse("governance:assessment-result-detail", args=[result.pk]),
            dedupe_key=f"assessment-run:{run.pk}:published",
        )
    return {"told": told}
