"""Pages of 考核: schemes (list, draft, edit, indicators, publish), manual scores (enter, confirm or return by a
second user), scoring and results (the ranking, each unit's result with its lines and records, publish, XLSX
ranking), and a unit's own results. Views parse input, call one service and render (`anlan.core.entry`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting
from anlan.core.errors import DomainError
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right

from .. import rules
from ..forms import assessment as forms
from ..models import AssessmentRun, AssessmentScheme, ManualScore, UnitResult
from ..models.assessment import MANAGE_ASSESSMENT, REVIEW_ASSESSMENT, VIEW_ASSESSMENT
from ..selectors import assessment as selectors
from ..selectors import assessment_facts as facts
from ..services import assessment as services

EXPORT = "governance.export_assessment"
FORM = "governance/assessment/form.html"


def _schemes_crumb():
    return (_("考核方案"), reverse("governance:assessment-scheme-list"))


def _runs_crumb():
    return (_("考核结果"), reverse("governance:assessment-run-list"))


def _scheme_url(pk) -> str:
    return reverse("governance:assessment-scheme-detail", args=[pk])


def _form(request, *, form, call, success_url, title, cancel_url, crumbs, message):
    return entry.form_page(
        request,
        form=form,
        call=call,
        success_url=success_url,
        template=FORM,
        context={"title": title, "cancel_url": cancel_url, "breadcrumbs": entry.crumbs(*crumbs, (title, ""))},
        message=message,
    )


# ---------------------------------------------------------------- schemes


@login_required
def scheme_list(request):
    user = request.user
    if not (has_right(user, MANAGE_ASSESSMENT) or has_right(user, VIEW_ASSESSMENT)):
        require_right(user, MANAGE_ASSESSMENT)
    return entry.list_page(
        request,
        queryset=selectors.scheme_list(user),
        filterset_class=forms.SchemeFilter,
        template="governance/assessment/scheme_list.html",
        fragment="governance/assessment/_scheme_table.html",
        context={
            "can_manage": has_right(user, MANAGE_ASSESSMENT),
            "breadcrumbs": entry.crumbs((_("考核方案"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    user = request.user
    require_right(user, MANAGE_ASSESSMENT)
    return _form(
        request,
        form=forms.SchemeForm(request.POST or None, user=user),
        call=lambda data: services.create_scheme(actor=user, data=data),
        success_url=lambda scheme: _scheme_url(scheme.pk),
        title=_("制定考核方案"),
        cancel_url=reverse("governance:assessment-scheme-list"),
        crumbs=[_schemes_crumb()],
        message=_("考核方案已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    user = request.user
    scheme = selectors.access_scheme(user, pk)
    require(user, MANAGE_ASSESSMENT, scheme)
    initial = {name: getattr(scheme, name) for name in ("year", "title", "base", "maximum", "notes")}
    initial["region"] = scheme.region_id
    return _form(
        request,
        form=forms.SchemeForm(request.POST or None, user=user, initial=initial),
        call=lambda data: services.update_scheme(actor=user, scheme_pk=pk, data=data),
        success_url=_scheme_url(pk),
        title=_("修改考核方案"),
        cancel_url=_scheme_url(pk),
        crumbs=[_schemes_crumb(), (scheme.title, _scheme_url(pk))],
        message=_("考核方案已保存。"),
    )


@login_required
def scheme_detail(request, pk):
    user = request.user
    scheme = selectors.access_scheme(user, pk)
    run = AssessmentRun.objects.filter(scheme=scheme).first()
    can_manage = can(user, MANAGE_ASSESSMENT, scheme)
    return render(
        request,
        "governance/assessment/scheme_detail.html",
        {
            "scheme": scheme,
            "indicators": selectors.indicators_of(scheme),
            "providers": {key: spec.label for key, spec in facts.PROVIDERS.items()},
            "run": run,
            "can_edit": can_manage and scheme.is_draft,
            "can_score": can_manage and not scheme.is_draft and not (run and run.is_published),
            "can_manage": can_manage,
            "manual_count": selectors.manual_scores_of(scheme).count(),
            "timeline": audit.timeline(scheme),
            "breadcrumbs": entry.crumbs(_schemes_crumb(), (scheme.title, "")),
        },
    )


def _perform_scheme(user, scheme, transition, data):
    return services.publish_scheme(actor=user, scheme_pk=scheme.pk)


scheme_transition = entry.transition_view(
    access=selectors.access_scheme,
    table=AssessmentScheme.TRANSITIONS,
    perform=_perform_scheme,
    detail_url=lambda scheme: _scheme_url(scheme.pk),
)


INDICATOR_FIELDS = services.INDICATOR_FIELDS


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    user = request.user
    scheme = selectors.access_scheme(user, pk)
    require(user, MANAGE_ASSESSMENT, scheme)
    return _form(
        request,
        form=forms.IndicatorForm(request.POST or None),
        call=lambda data: services.add_indicator(actor=user, scheme_pk=pk, data=data),
        success_url=_scheme_url(pk),
        title=_("增加考核指标"),
        cancel_url=_scheme_url(pk),
        crumbs=[_schemes_crumb(), (scheme.title, _scheme_url(pk))],
        message=_("考核指标已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    user = request.user
    indicator = selectors.access_indicator(user, pk)
    require(user, MANAGE_ASSESSMENT, indicator)
    scheme = indicator.scheme
    initial = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    return _form(
        request,
        form=forms.IndicatorForm(request.POST or None, initial=initial),
        call=lambda data: services.update_indicator(actor=user, indicator_pk=pk, data=data),
        success_url=_scheme_url(scheme.pk),
        title=_("修改考核指标"),
        cancel_url=_scheme_url(scheme.pk),
        crumbs=[_schemes_crumb(), (scheme.title, _scheme_url(scheme.pk))],
        message=_("考核指标已保存。"),
    )


@login_required
@require_POST
def indicator_delete(request, pk):
    user = request.user
    indicator = selectors.access_indicator(user, pk)
    require(user, MANAGE_ASSESSMENT, indicator)
    back = _scheme_url(indicator.scheme_id)
    try:
        services.delete_indicator(actor=user, indicator_pk=pk)
    except DomainError as error:
        from django.contrib import messages

        messages.error(request, error.message)
        return redirect(back)
    return entry.done(request, back, _("考核指标已删除。"))


# ---------------------------------------------------------------- manual scores


@login_required
@require_http_methods(["GET", "POST"])
def manual_scores(request, pk):
    """The scheme's manual scores, and the form to enter one (录入) — the 安委办; a leader reads."""
    user = request.user
    scheme = selectors.access_scheme(user, pk)
    can_enter = can(user, MANAGE_ASSESSMENT, scheme)
    if request.method == "POST":
        require(user, MANAGE_ASSESSMENT, scheme)
    form = forms.ManualScoreForm(
        request.POST or None,
        indicators=selectors.indicators_of(scheme).filter(kind=rules.MANUAL),
        units=selectors.scored_unit_rows(scheme),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enter_manual_score(actor=user, indicator_pk=data["indicator"].pk, data=data)
        except DomainError as error:
            from anlan.core.forms import add_domain_error

            add_domain_error(form, error)
        else:
            return entry.done(request, request.path, _("人工评分已录入，待另一名人员审核。"))
    scores = list(selectors.manual_scores_of(scheme).order_by("indicator__position", "unit__name"))
    return render(
        request,
        "governance/assessment/manual_scores.html",
        {
            "scheme": scheme,
            "scores": scores,
            "form": form if can_enter else None,
            "can_review": has_right(user, REVIEW_ASSESSMENT),
            "breadcrumbs": entry.crumbs(
                _schemes_crumb(), (scheme.title, _scheme_url(pk)), (_("人工评分"), "")
            ),
        },
    )


def _perform_manual(user, score, transition, data):
    return services.review_manual_score(
        actor=user, score_pk=score.pk, name=transition.name, reason=data.get("reason", "")
    )


manual_transition = entry.transition_view(
    access=selectors.access_manual_score,
    table=ManualScore.TRANSITIONS,
    perform=_perform_manual,
    detail_url=lambda score: reverse("governance:assessment-manual", args=[score.indicator.scheme_id]),
)


# ---------------------------------------------------------------- scoring and results


@login_required
@require_POST
def scheme_score(request, pk):
    user = request.user
    scheme = selectors.access_scheme(user, pk)
    require(user, MANAGE_ASSESSMENT, scheme)
    try:
        run = services.start_scoring(actor=user, scheme_pk=pk)
    except DomainError as error:
        from django.contrib import messages

        messages.error(request, error.message)
        return redirect(_scheme_url(pk))
    return entry.done(
        request, reverse("governance:assessment-run-detail", args=[run.pk]), _("考核结果已计算。")
    )


@login_required
def run_list(request):
    user = request.user
    runs = list(selectors.run_list(user))
    return render(
        request,
        "governance/assessment/run_list.html",
        {
            "runs": runs,
            "own": list(selectors.own_results(user)),
            "breadcrumbs": entry.crumbs((_("考核结果"), "")),
        },
    )


@login_required
def run_detail(request, pk):
    user = request.user
    run = selectors.access_run(user, pk)
    filterset = forms.RankingFilter(request.GET or None, queryset=selectors.ranking(run), request=request)
    rows = list(filtered(filterset))
    details = selectors.may_see_details(user, run)
    own = set(selectors.own_results(user).filter(run=run).values_list("pk", flat=True))
    return render(
        request,
        "governance/assessment/run_detail.html",
        {
            "run": run,
            "scheme": run.scheme,
            "towns": [r for r in rows if r.unit.kind == "town"],
            "departments": [r for r in rows if r.unit.kind == "department"],
            "filter": filterset,
            "linked": {r.pk for r in rows if details or r.pk in own},
            "can_export": has_right(user, EXPORT),
            "timeline": audit.timeline(run) if details else [],
            "breadcrumbs": entry.crumbs(_runs_crumb(), (run.scheme.title, "")),
        },
    )


def _perform_run(user, run, transition, data):
    return services.publish_run(actor=user, run_pk=run.pk)


run_transition = entry.transition_view(
    access=selectors.access_run,
    table=AssessmentRun.TRANSITIONS,
    perform=_perform_run,
    detail_url=lambda run: reverse("governance:assessment-run-detail", args=[run.pk]),
)


@login_required
def run_export(request, pk):
    selectors.access_run(request.user, pk)
    query = request.GET.copy()
    query["run"] = str(pk)
    request.GET = query
    return exporting.export(request, "governance_assessment_ranking")


@login_required
def result_detail(request, pk):
    user = request.user
    result = selectors.access_result(user, pk)
    run = result.run
    lines = list(selectors.lines_of(result))
    return render(
        request,
        "governance/assessment/result_detail.html",
        {
            "result": result,
            "run": run,
            "scheme": run.scheme,
            "lines": lines,
            "kinds": dict(rules.INDICATOR_KINDS),
            "categories": dict(rules.INDICATOR_CATEGORIES),
            "breadcrumbs": entry.crumbs(
                _runs_crumb(),
                (run.scheme.title, reverse("governance:assessment-run-detail", args=[run.pk])),
                (result.unit.name, ""),
            ),
        },
    )


# ---------------------------------------------------------------- the ranking ledger

COLUMNS = [
    Column(gettext_lazy("考核年度"), 8),
    Column(gettext_lazy("单位类别"), 10),
    Column(gettext_lazy("被考核单位"), 28, WRAP),
    Column(gettext_lazy("排名"), 6),
    Column(gettext_lazy("得分"), 8),
    Column(gettext_lazy("扣分合计"), 8),
    Column(gettext_lazy("加分合计"), 8),
    Column(gettext_lazy("一票否决"), 8),
]


def ranking_ledger(user, params) -> Ledger:
    """考核排名表 of one run (`run` parameter) the user may open: towns first, then departments, by rank."""
    runs = selectors.run_list(user)
    run_pk = (params or {}).get("run")
    queryset = UnitResult.objects.filter(run__in=runs, run_id=run_pk if str(run_pk or "").isdigit() else None)
    filterset = forms.RankingFilter(
        params or None,
        queryset=queryset.select_related("unit", "run__scheme").order_by("-unit__kind", "rank"),
        request=filter_request(user),
    )

    def rows(results):
        for r in results:
            yield [
                r.run.scheme.year,
                r.unit.get_kind_display(),
                r.unit.name,
                r.rank,
                r.score,
                r.deducted,
                r.added,
                _("是") if r.vetoed else "",
            ]

    return Ledger(
        name="assessment-ranking",
        sheet_title=_("考核排名表"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
