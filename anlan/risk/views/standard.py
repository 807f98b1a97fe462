"""Pages of 标准化, 安责险, 安全生产费用 and 安全生产责任制: the lists (filters, paging, XLSX ledgers), a grade's
page with its withdrawal steps, a policy's page with its technical services, the 应投未投 list, the forms the
enterprise (or a supervisor for it) records with, and the enterprise page's 一必须五到位 panel. Views parse input,
call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import audit, entry, exporting
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right

from .. import rules
from ..data import standard as standard_data
from ..forms import standard as forms
from ..models import StandardisationGrade
from ..models.standard import CONFIRM_GRADE, EXPORT_STANDARD, RECORD_STANDARD, VIEW_STANDARD
from ..selectors import standard as selectors
from ..services import standard as services

FORM = "risk/standard/form.html"
_form_page = partial(entry.titled_form_page, template=FORM)


def _enterprise_url(enterprise) -> str:
    return reverse("core:enterprise-detail", args=[enterprise.pk])


def _enterprise_crumb(enterprise):
    return (enterprise.name, _enterprise_url(enterprise))


def _yes(value: bool) -> str:
    return str(_("是") if value else _("否"))


def _record_page(request, pk, *, form_class, service, title, message, initial=None, success_url=None):
    """A form the enterprise (or a supervisor for it) records with, on the enterprise's own page: the enterprise in
    scope (404) on which the user may record (403); back to the enterprise page unless `success_url` says where."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    require(user, RECORD_STANDARD, enterprise)
    back = _enterprise_url(enterprise)
    return _form_page(
        request,
        form=form_class(request.POST or None, initial=initial(enterprise) if initial else None),
        call=lambda data: service(actor=user, enterprise_pk=enterprise.pk, data=data),
        success_url=success_url or back,
        title=title,
        cancel_url=back,
        crumbs=[_enterprise_crumb(enterprise)],
        message=message,
    )


# ---------------------------------------------------------------- grades


@login_required
def grade_list(request):
    user = request.user
    require_right(user, VIEW_STANDARD)
    return entry.list_page(
        request,
        queryset=selectors.grade_list(user).order_by("valid_until", "pk"),
        filterset_class=forms.GradeFilter,
        template="risk/standard/grade_list.html",
        fragment="risk/standard/_grade_table.html",
        context={
            "today": timezone.localdate(),
            "can_export": has_right(user, EXPORT_STANDARD),
            "breadcrumbs": entry.crumbs((_("安全生产标准化"), "")),
        },
    )


@login_required
def grade_export(request):
    return exporting.export(request, "risk_standard_grades")


@login_required
def grade_detail(request, pk):
    user = request.user
    grade = selectors.access_grade(user, pk)
    today = timezone.localdate()
    conditions = [c for c in standard_data.WITHDRAWAL_CONDITIONS if grade.grade in c.grades]
    return render(
        request,
        "risk/standard/grade_detail.html",
        {
            "g": grade,
            "today": today,
            "is_current": rules.grade_is_current(grade.status, grade.valid_until, today),
            "expiring": rules.grade_expiring(grade.valid_until, today),
            "conditions": conditions,
            "source": standard_data.GRADING_MEASURES,
            "actions": StandardisationGrade.ACTIONS,
            "can_confirm": grade.confirmed_at is None and can(user, CONFIRM_GRADE, grade),
            "timeline": audit.timeline(grade),
            "breadcrumbs": entry.crumbs(
                (_("安全生产标准化"), reverse("risk:standard-grade-list")), (str(grade), "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grade_create(request, pk):
    return _record_page(
        request,
        pk,
        form_class=forms.GradeForm,
        service=services.record_grade,
        title=_("登记安全生产标准化等级"),
        message=_("标准化等级已登记，已通知监管部门核实。"),
        success_url=lambda grade: reverse("risk:standard-grade-detail", args=[grade.pk]),
    )


@login_required
@require_POST
def grade_confirm(request, pk):
    user = request.user
    grade = selectors.access_grade(user, pk)
    require(user, CONFIRM_GRADE, grade)
    back = reverse("risk:standard-grade-detail", args=[grade.pk])
    try:
        services.confirm_grade(actor=user, grade_pk=grade.pk)
    except DomainError as error:
        from django.contrib import messages

        messages.error(request, error.message)
        return entry.done(request, back)
    return entry.done(request, back, _("已核实。"))


# One URL per withdrawal step (`standard-grade-withdraw`, `standard-grade-dismiss`), served by one view.
grade_transition = entry.transition_view(
    access=selectors.access_grade,
    table=StandardisationGrade.ACTIONS,
    perform=lambda user, grade, transition, data: services.take_transition(
        actor=user, grade=grade, transition=transition, data=data
    ),
    detail_url=lambda grade: reverse("risk:standard-grade-detail", args=[grade.pk]),
)


# ---------------------------------------------------------------- policies


@login_required
def policy_list(request):
    user = request.user
    require_right(user, VIEW_STANDARD)
    return entry.list_page(
        request,
        queryset=selectors.policy_list(user),
        filterset_class=forms.PolicyFilter,
        template="risk/standard/policy_list.html",
        fragment="risk/standard/_policy_table.html",
        context={
            "today": timezone.localdate(),
            "can_export": has_right(user, EXPORT_STANDARD),
            "minimum": standard_data.PER_PERSON_MINIMUM_YUAN,
            "breadcrumbs": entry.crumbs((_("安责险"), "")),
        },
    )


@login_required
def policy_export(request):
    return exporting.export(request, "risk_standard_policies")


@login_required
def policy_detail(request, pk):
    user = request.user
    policy = selectors.access_policy(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "risk/standard/policy_detail.html",
        {
            "p": policy,
            "covers": rules.policy_covers(policy.starts_on, policy.ends_on, today),
            "expiring": rules.policy_expiring(policy.ends_on, today),
            "below_minimum": rules.below_per_person_minimum(policy.per_person_amount),
            "minimum_source": standard_data.LIABILITY_PER_PERSON_MINIMUM,
            "services": selectors.services_of(user, policy),
            "can_record": can(user, RECORD_STANDARD, policy),
            "timeline": audit.timeline(policy),
            "breadcrumbs": entry.crumbs(
                (_("安责险"), reverse("risk:standard-policy-list")), (str(policy), "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request, pk):
    return _record_page(
        request,
        pk,
        form_class=forms.PolicyForm,
        service=services.record_policy,
        title=_("登记安责险保单"),
        message=_("安责险保单已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request, pk):
    user = request.user
    policy = selectors.access_policy(user, pk)
    require(user, RECORD_STANDARD, policy)
    back = reverse("risk:standard-policy-detail", args=[policy.pk])
    return _form_page(
        request,
        form=forms.ServiceForm(request.POST or None, initial={"served_on": timezone.localdate()}),
        call=lambda data: services.record_policy_service(actor=user, policy_pk=policy.pk, data=data),
        success_url=back,
        title=_("登记事故预防技术服务"),
        cancel_url=back,
        crumbs=[(_("安责险"), reverse("risk:standard-policy-list")), (str(policy), back)],
        message=_("技术服务已登记。"),
    )


@login_required
def uninsured_list(request):
    """应投未投: enterprises of compulsory industries in scope without a policy covering today."""
    user = request.user
    require_right(user, EXPORT_STANDARD)
    return entry.list_page(
        request,
        queryset=selectors.uninsured(user),
        filterset_class=forms.UninsuredFilter,
        template="risk/standard/uninsured_list.html",
        fragment="risk/standard/_uninsured_table.html",
        context={
            "entries": standard_data.COMPULSORY_INSURANCE,
            "breadcrumbs": entry.crumbs((_("应投未投安责险"), "")),
        },
    )


@login_required
def uninsured_export(request):
    return exporting.export(request, "risk_standard_uninsured")


# ---------------------------------------------------------------- spending and the responsibility system


@login_required
def spending_list(request):
    user = request.user
    require_right(user, VIEW_STANDARD)
    return entry.list_page(
        request,
        queryset=selectors.spending_list(user),
        filterset_class=forms.SpendingFilter,
        template="risk/standard/spending_list.html",
        fragment="risk/standard/_spending_table.html",
        context={"breadcrumbs": entry.crumbs((_("安全生产费用"), ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def spending_create(request, pk):
    """This year's figures shown again for correction (the service replaces the year's row)."""

    def initial(enterprise):
        year = timezone.localdate().year
        values = {"year": year}
        current = selectors.spending_of(enterprise, year)
        if current is not None:
            values.update(extracted=current.extracted, note=current.note)
            values.update({f"used_{code}": amount for code, amount in selectors.uses_of(current).items()})
        return values

    return _record_page(
        request,
        pk,
        form_class=forms.SpendingForm,
        service=services.record_spending,
        title=_("登记安全生产费用"),
        message=_("安全生产费用已登记。"),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def responsibility_create(request, pk):
    return _record_page(
        request,
        pk,
        form_class=forms.ResponsibilityForm,
        service=services.record_responsibility,
        title=_("登记全员安全生产责任制"),
        message=_("安全生产责任制已登记。"),
    )


# ---------------------------------------------------------------- the enterprise page's panel


@login_required
def enterprise_panel(request, pk):
    """一必须五到位 on the enterprise's page (loaded into it by htmx): the five items with why, the grade and the
    policy."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    today = timezone.localdate()
    requirement = selectors.insurance_requirement_of(enterprise)
    policy = selectors.covering_policy(user, enterprise, today)
    return render(
        request,
        "risk/standard/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "items": rules.five_in_place(selectors.profile_facts(user, enterprise, today)),
            "grade": selectors.holding_grade(user, enterprise, today),
            "latest_grade": selectors.grades_of(user, enterprise).first(),
            "policy": policy,
            "policy_expiring": policy is not None and rules.policy_expiring(policy.ends_on, today),
            "requirement": requirement,
            "can_record": can(user, RECORD_STANDARD, enterprise),
            "today": today,
        },
    )


# ---------------------------------------------------------------- ledgers (core/exporting.py)

GRADE_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("标准化等级"), 8),
    Column(gettext_lazy("定级层级"), 12),
    Column(gettext_lazy("定级部门"), 20, WRAP),
    Column(gettext_lazy("证书（公告）编号"), 18),
    Column(gettext_lazy("定级日期"), 12),
    Column(gettext_lazy("有效期至"), 12),
    Column(gettext_lazy("状态"), 10),
    Column(gettext_lazy("已核实"), 6),
    Column(gettext_lazy("撤销日期"), 12),
    Column(gettext_lazy("撤销原因"), 24, WRAP),
]


def grade_ledger(user, params) -> Ledger:
    def rows(queryset):
        for g in queryset:
            yield [
                g.enterprise.name,
                g.enterprise.uscc,
                str(g.get_grade_display()),
                str(g.get_issuing_level_display()),
                g.issuing_authority,
                g.certificate_no,
                g.issued_on.isoformat(),
                g.valid_until.isoformat(),
                str(g.get_status_display()),
                _yes(g.confirmed_at is not None),
                g.withdrawn_on.isoformat() if g.withdrawn_on else "",
                g.withdrawal_reason,
            ]

    queryset = selectors.grade_list(user, EXPORT_STANDARD).order_by("valid_until", "pk")
    filterset = forms.GradeFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-standard-grades",
        sheet_title=_("标准化等级台账"),
        columns=GRADE_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


POLICY_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("承保公司"), 18, WRAP),
    Column(gettext_lazy("保单号"), 18),
    Column(gettext_lazy("保险起期"), 12),
    Column(gettext_lazy("保险止期"), 12),
    Column(gettext_lazy("参保人数"), 8),
    Column(gettext_lazy("每人死亡伤残责任限额（元）"), 14),
    Column(gettext_lazy("累计责任限额（元）"), 14),
    Column(gettext_lazy("保费（元）"), 12),
    Column(gettext_lazy("第三方技术服务"), 8),
    Column(gettext_lazy("在保"), 6),
]


def policy_ledger(user, params) -> Ledger:
    today = timezone.localdate()

    def rows(queryset):
        for p in queryset:
            yield [
                p.enterprise.name,
                p.enterprise.uscc,
                p.insurer,
                p.policy_no,
                p.starts_on.isoformat(),
                p.ends_on.isoformat(),
                p.insured_people,
                p.per_person_amount,
                p.total_amount,
                p.premium,
                _yes(p.technical_service),
                _yes(rules.policy_covers(p.starts_on, p.ends_on, today)),
            ]

    queryset = selectors.policy_list(user, EXPORT_STANDARD)
    filterset = forms.PolicyFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-standard-policies",
        sheet_title=_("安责险台账"),
        columns=POLICY_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


UNINSURED_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("所在区划"), 16),
    Column(gettext_lazy("行业领域"), 16),
    Column(gettext_lazy("应投保依据"), 40, WRAP),
]


def uninsured_ledger(user, params) -> Ledger:
    from anlan.core import trees

    tree = trees.IndustryTree.load()

    def rows(queryset):
        for e in queryset:
            requirement = rules.insurance_requirement(tree.code[pk] for pk in tree.lineage(e.industry_id))
            yield [
                e.name,
                e.uscc,
                e.region.name,
                e.industry.name,
                f"{requirement.name}：{requirement.source.title}" if requirement else "",
            ]

    queryset = selectors.uninsured(user)
    filterset = forms.UninsuredFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-standard-uninsured",
        sheet_title=_("应投未投安责险企业台账"),
        columns=UNINSURED_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
