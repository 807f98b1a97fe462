"""Pages of the 严重失信主体名单: the list (公示: filters, search, paging, XLSX ledger), the candidate queue, a case's
page with its timeline, documents and the steps the user may take now, manual candidate entry, the county
settings and the enterprise page's banner. Views parse input, call one service and render."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from anlan.core import audit, entry, exporting, uploads
from anlan.core import selectors as core_selectors
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import has_right, require, require_right

from ..data import dishonesty as data
from ..forms import dishonesty as forms
from ..models import DishonestyCase
from ..models.dishonesty import (
    CONFIGURE_DISHONESTY,
    DECIDE_DISHONESTY,
    EXPORT_DISHONESTY,
    PROPOSE_DISHONESTY,
    VIEW_DISHONESTY,
)
from ..selectors import dishonesty as selectors
from ..services import dishonesty as services

FORM = "credit/dishonesty/form.html"
_form_page = partial(entry.titled_form_page, template=FORM)


def _list_crumb():
    return (_("严重失信主体名单"), reverse("credit:dishonesty-list"))


@login_required
def case_list(request):
    """公示 view: every case in scope (by default the listed ones), filterable by state, kind, situation, region."""
    user = request.user
    require_right(user, VIEW_DISHONESTY)
    return entry.list_page(
        request,
        queryset=selectors.case_list(user),
        filterset_class=forms.CaseFilter,
        template="credit/dishonesty/list.html",
        fragment="credit/dishonesty/_table.html",
        context={
            "can_export": has_right(user, EXPORT_DISHONESTY),
            "can_propose": has_right(user, PROPOSE_DISHONESTY),
            "measures": data.MEASURES,
            "measures_source": data.MEASURES_SOURCE,
            "breadcrumbs": entry.crumbs((_("严重失信主体名单"), "")),
        },
    )


@login_required
def case_export(request):
    return exporting.export(request, "credit_dishonesty")


@login_required
def candidate_list(request):
    """The deciding unit's queue: candidates and cases waiting for its step."""
    user = request.user
    require_right(user, DECIDE_DISHONESTY)
    return entry.list_page(
        request,
        queryset=selectors.awaiting_decision(user),
        filterset_class=forms.CaseFilter,
        template="credit/dishonesty/candidates.html",
        fragment="credit/dishonesty/_table.html",
        context={
            "can_propose": has_right(user, PROPOSE_DISHONESTY),
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("失信候选待办"), "")),
        },
    )


@login_required
def case_detail(request, pk):
    user = request.user
    case = selectors.access_case(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "credit/dishonesty/detail.html",
        {
            "case": case,
            "today": today,
            "actions": DishonestyCase.ACTIONS,
            "measures": data.MEASURES,
            "measures_source": data.MEASURES_SOURCE,
            "listing_source": data.LISTING_PERIOD,
            "statement_source": data.STATEMENT_PERIOD,
            "conditions": [(label, getattr(case, key)) for key, label in data.REPAIR_CONDITIONS],
            "conditions_source": data.REPAIR_CONDITIONS_SOURCE,
            "eligible_from": case.removal_eligible_from,
            "timeline": audit.timeline(case),
            "breadcrumbs": entry.crumbs(_list_crumb(), (str(case.subject.name), "")),
        },
    )


@login_required
def case_document(request, pk, kind):
    """The case's 告知书 or 决定书 (DOCX), for whoever may see the case."""
    case = selectors.access_case(request.user, pk)
    field = {"notice": case.notice_file, "decision": case.decision_file}.get(kind)
    if not field:
        raise Http404
    number = case.notice_number if kind == "notice" else case.decision_number
    return uploads.serve(field, f"{number or kind}.docx")


# One URL per step (`dishonesty-notify`, `dishonesty-decide-list` …), served by one view.
case_transition = entry.transition_view(
    access=selectors.access_case,
    table=DishonestyCase.ACTIONS,
    perform=lambda user, case, transition, values: services.take_transition(
        actor=user, case=case, transition=transition, data=values
    ),
    detail_url=lambda case: reverse("credit:dishonesty-detail", args=[case.pk]),
)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    user = request.user
    require_right(user, PROPOSE_DISHONESTY)
    back = reverse("credit:dishonesty-candidates")
    form = forms.CandidateForm(
        request.POST or None, user=user, deciding_units=services.deciding_units(user).order_by("kind", "name")
    )
    return _form_page(
        request,
        form=form,
        call=lambda values: services.propose_candidate(actor=user, data=values),
        success_url=lambda case: reverse("credit:dishonesty-detail", args=[case.pk]),
        title=_("登记严重失信候选"),
        cancel_url=back,
        crumbs=[_list_crumb()],
        message=_("候选已登记。"),
    )


@login_required
def settings_list(request):
    user = request.user
    require_right(user, CONFIGURE_DISHONESTY)
    counties = list(selectors.settings_list(user))
    rows = [(county, selectors.settings_for(county.code)) for county in counties]
    return render(
        request,
        "credit/dishonesty/settings.html",
        {
            "rows": rows,
            "statement_source": data.STATEMENT_PERIOD,
            "local_source": data.LOCAL_RULE_SOURCE,
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("失信名单设置"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, code):
    user = request.user
    county = selectors.access_county(user, code)
    require(user, CONFIGURE_DISHONESTY, county)
    current = selectors.settings_for(county.code)
    back = reverse("credit:dishonesty-settings")
    return _form_page(
        request,
        form=forms.SettingsForm(
            request.POST or None,
            initial={
                "local_relatively_major_rule": current.local_relatively_major_rule,
                "statement_working_days": current.statement_working_days,
            },
        ),
        call=lambda values: services.save_settings(actor=user, region_pk=county.code, data=values),
        success_url=back,
        title=_("%(county)s失信名单设置") % {"county": county.name},
        cancel_url=back,
        crumbs=[_list_crumb(), (_("失信名单设置"), back)],
        message=_("设置已保存。"),
    )


@login_required
def enterprise_panel(request, pk):
    """The enterprise page's banner: 列入严重失信主体名单（至 …） with the cases in scope; empty when none."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    cases = list(selectors.cases_of_enterprise(user, enterprise))
    open_states = (
        DishonestyCase.Status.CANDIDATE,
        DishonestyCase.Status.NOTIFIED,
        DishonestyCase.Status.STATED,
    )
    return render(
        request,
        "credit/dishonesty/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "cases": [case for case in cases if case.status in open_states],
            # The listing is public (公示): whoever sees the enterprise sees the banner; the case links are
            # only for those who read cases.
            "listed": [case for case in cases if case.is_listed],
            "until": selectors.dishonest_until([enterprise.pk]).get(enterprise.pk),
            "measures": data.MEASURES,
        },
    )


# ---------------------------------------------------------------- the ledger (core/exporting.py)

COLUMNS = [
    Column(gettext_lazy("失信主体"), 24, WRAP),
    Column(gettext_lazy("主体类别"), 12),
    Column(gettext_lazy("生产经营单位"), 24, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("列入情形"), 36, WRAP),
    Column(gettext_lazy("决定部门"), 20, WRAP),
    Column(gettext_lazy("行政处罚决定书文号"), 20),
    Column(gettext_lazy("状态"), 14),
    Column(gettext_lazy("告知日期"), 12),
    Column(gettext_lazy("决定书文号"), 20),
    Column(gettext_lazy("列入日期"), 12),
    Column(gettext_lazy("管理期限届满日"), 12),
    Column(gettext_lazy("移出日期"), 12),
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def ledger(user, params) -> Ledger:
    def rows(queryset):
        for case in queryset:
            yield [
                case.subject.name,
                str(case.subject.get_kind_display()),
                case.enterprise.name if case.enterprise_id else "",
                case.enterprise.uscc if case.enterprise_id else "",
                str(case.get_situation_display()),
                case.deciding_unit.name,
                case.penalty_reference,
                str(case.get_status_display()),
                _day(case.notified_on),
                case.decision_number,
                _day(case.listed_on),
                _day(case.expires_on),
                _day(case.removed_on),
            ]

    queryset = selectors.case_list(user, EXPORT_DISHONESTY)
    filterset = forms.CaseFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="credit-dishonesty",
        sheet_title=_("严重失信主体名单台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
