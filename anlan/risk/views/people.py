"""Pages of the people part: the staff, certificate and training lists (filters, paging, XLSX ledgers), a staff
member's page with their certificates, assessments and training, a certificate's page with its dates and 复审, the
supervisors' 证书到期/逾期 list, the forms the enterprise keeps its records with, the enterprise page's panel and the
accident page's 持证与培训倒查. Views parse input, call one service and render (through `anlan.core.entry`)."""

from __future__ import annotations

from datetime import timedelta
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
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require, require_right
from anlan.core.rules import mask_id_number

from .. import rules
from ..data import people as people_data
from ..forms import people as forms
from ..models.people import RECORD_PEOPLE, STATE_LABELS, VIEW_PEOPLE
from ..selectors import people as selectors
from ..services import people as services

SUPERVISE = "risk.supervise_people"
FORM = "risk/people/form.html"
_form_page = partial(entry.titled_form_page, template=FORM)


def _enterprise_url(enterprise) -> str:
    return reverse("core:enterprise-detail", args=[enterprise.pk])


def _staff_url(staff) -> str:
    return reverse("risk:people-staff-detail", args=[staff.pk])


def _staff_crumbs(staff):
    return [
        (staff.enterprise.name, _enterprise_url(staff.enterprise)),
        (staff.person.name, _staff_url(staff)),
    ]


def _yes(value: bool) -> str:
    return str(_("是") if value else _("否"))


def _list(request, *, right, rows, filterset_class, name, title):
    """A list of the part: the right, the scoped rows, its filters, `risk/people/<name>_list.html` and its table
    fragment `_<name>_table.html`."""
    require_right(request.user, right)
    return entry.list_page(
        request,
        queryset=rows(request.user),
        filterset_class=filterset_class,
        template=f"risk/people/{name}_list.html",
        fragment=f"risk/people/_{name}_table.html",
        context={"breadcrumbs": entry.crumbs((title, ""))},
    )


# ---------------------------------------------------------------- staff


@login_required
def staff_list(request):
    return _list(
        request,
        right=VIEW_PEOPLE,
        rows=lambda user: selectors.staff_list(user).order_by(
            "enterprise__name", "left_on", "person__name", "pk"
        ),
        filterset_class=forms.StaffFilter,
        name="staff",
        title=_("从业人员与持证"),
    )


@login_required
def staff_export(request):
    return exporting.export(request, "risk_people_staff")


@login_required
def staff_detail(request, pk):
    user = request.user
    staff = selectors.access_staff(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "risk/people/staff_detail.html",
        {
            "s": staff,
            "id_masked": mask_id_number(staff.person.id_number),
            "certificates": selectors.certificates_of_staff(user, staff, today),
            "assessments": selectors.assessments_of_staff(user, staff),
            "trainings": selectors.trainings_of_staff(user, staff)[:20],
            "can_record": can(user, RECORD_PEOPLE, staff),
            "timeline": audit.timeline(staff),
            "breadcrumbs": entry.crumbs(*_staff_crumbs(staff)[:1], (staff.person.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    require(user, RECORD_PEOPLE, enterprise)
    back = _enterprise_url(enterprise)
    return _form_page(
        request,
        form=forms.StaffForm(request.POST or None),
        call=lambda data: services.add_staff(actor=user, enterprise_pk=enterprise.pk, data=data),
        success_url=_staff_url,
        title=_("登记从业人员"),
        cancel_url=back,
        crumbs=[(enterprise.name, back)],
        message=_("从业人员已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_update(request, pk):
    user = request.user
    staff = selectors.access_staff(user, pk)
    require(user, RECORD_PEOPLE, staff)
    initial = {
        "post": staff.post,
        "is_principal": staff.is_principal,
        "is_safety_manager": staff.is_safety_manager,
        "is_special_operator": staff.is_special_operator,
        "hired_on": staff.hired_on,
        "left_on": staff.left_on,
    }
    return _form_page(
        request,
        form=forms.StaffEditForm(request.POST or None, initial=initial),
        call=lambda data: services.update_staff(actor=user, staff_pk=staff.pk, data=data),
        success_url=_staff_url(staff),
        title=_("修改从业人员"),
        cancel_url=_staff_url(staff),
        crumbs=_staff_crumbs(staff),
        message=_("已保存。"),
    )


# ---------------------------------------------------------------- certificates


@login_required
def certificate_list(request):
    return _list(
        request,
        right=VIEW_PEOPLE,
        rows=lambda user: selectors.certificate_list(user).order_by("valid_until", "pk"),
        filterset_class=forms.CertificateFilter,
        name="certificate",
        title=_("证书"),
    )


@login_required
def certificate_export(request):
    return exporting.export(request, "risk_people_certificates")


@login_required
def certificate_detail(request, pk):
    user = request.user
    certificate = selectors.access_certificate(user, pk)
    today = timezone.localdate()
    state = rules.certificate_state(**selectors.dates_of(certificate), today=today)
    mid_term = certificate.review_due is not None and certificate.review_due < certificate.valid_until
    review_hours = None
    if mid_term:
        review_hours = selectors.training_hours_before(
            certificate.staff, certificate.review_due - timedelta(days=365), certificate.review_due
        )
    staff = certificate.staff
    return render(
        request,
        "risk/people/certificate_detail.html",
        {
            "c": certificate,
            "state": state,
            "state_label": STATE_LABELS[state],
            "mid_term": mid_term,
            "reviewed": rules.review_done(certificate.review_window_opens, certificate.last_reviewed_on),
            "review_hours": review_hours,
            "review_hours_enough": review_hours is not None
            and rules.review_training_sufficient(review_hours),
            "required_hours": rules.REVIEW_TRAINING_HOURS,
            "sources": people_data,
            "review_form": forms.ReviewForm(initial={"reviewed_on": today}),
            "can_review": mid_term and can(user, RECORD_PEOPLE, certificate),
            "timeline": audit.timeline(certificate),
            "breadcrumbs": entry.crumbs(*_staff_crumbs(staff), (certificate.number, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_create(request, pk):
    user = request.user
    staff = selectors.access_staff(user, pk)
    require(user, RECORD_PEOPLE, staff)
    initial = {"kind": "special_operation" if staff.is_special_operator else "", "compliant": True}
    return _form_page(
        request,
        form=forms.CertificateForm(request.POST or None, initial=initial),
        call=lambda data: services.record_certificate(actor=user, staff_pk=staff.pk, data=data),
        success_url=lambda c: reverse("risk:people-certificate-detail", args=[c.pk]),
        title=_("登记证书"),
        cancel_url=_staff_url(staff),
        crumbs=_staff_crumbs(staff),
        message=_("证书已登记。"),
    )


@login_required
@require_POST
def certificate_review(request, pk):
    user = request.user
    certificate = selectors.access_certificate(user, pk)
    require(user, RECORD_PEOPLE, certificate)
    return entry.post_action(
        request,
        form=forms.ReviewForm(request.POST),
        call=lambda data: services.record_review(
            actor=user, certificate_pk=certificate.pk, reviewed_on=data["reviewed_on"]
        ),
        back=reverse("risk:people-certificate-detail", args=[certificate.pk]),
        message=_("复审已登记。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    user = request.user
    staff = selectors.access_staff(user, pk)
    require(user, RECORD_PEOPLE, staff)
    kind = "principal" if staff.is_principal else "safety_manager"
    return _form_page(
        request,
        form=forms.AssessmentForm(request.POST or None, initial={"kind": kind}),
        call=lambda data: services.record_assessment(actor=user, staff_pk=staff.pk, data=data),
        success_url=_staff_url(staff),
        title=_("登记安全生产知识和管理能力考核"),
        cancel_url=_staff_url(staff),
        crumbs=_staff_crumbs(staff),
        message=_("考核已登记。"),
    )


@login_required
def attention_list(request):
    """证书到期/逾期: certificates over the enterprises in scope that are expired, overdue for 复审, expiring within
    30 days or in their review window."""
    return _list(
        request,
        right=SUPERVISE,
        rows=selectors.attention,
        filterset_class=forms.AttentionFilter,
        name="attention",
        title=_("证书到期/逾期"),
    )


@login_required
def attention_export(request):
    return exporting.export(request, "risk_people_attention")


# ---------------------------------------------------------------- training


@login_required
def training_list(request):
    return _list(
        request,
        right=VIEW_PEOPLE,
        rows=selectors.training_list,
        filterset_class=forms.TrainingFilter,
        name="training",
        title=_("培训记录"),
    )


@login_required
def training_export(request):
    return exporting.export(request, "risk_people_training")


@login_required
def training_detail(request, pk):
    user = request.user
    training = selectors.access_training(user, pk)
    return render(
        request,
        "risk/people/training_detail.html",
        {
            "t": training,
            "attendees": selectors.attendees_of(training),
            "timeline": audit.timeline(training),
            "breadcrumbs": entry.crumbs(
                (_("培训记录"), reverse("risk:people-training-list")), (training.subject, "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    require(user, RECORD_PEOPLE, enterprise)
    back = _enterprise_url(enterprise)
    return _form_page(
        request,
        form=forms.TrainingForm(
            request.POST or None, enterprise=enterprise, initial={"held_on": timezone.localdate()}
        ),
        call=lambda data: services.record_training(actor=user, enterprise_pk=enterprise.pk, data=data),
        success_url=lambda t: reverse("risk:people-training-detail", args=[t.pk]),
        title=_("登记培训记录"),
        cancel_url=back,
        crumbs=[(enterprise.name, back)],
        message=_("培训记录已登记。"),
    )


# ---------------------------------------------------------------- the enterprise panel and the accident trace


@login_required
def enterprise_panel(request, pk):
    """从业人员与持证 on the enterprise's page (loaded by htmx): staff, certified special operators, certificates
    to act on and this year's training."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "risk/people/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "f": selectors.panel_figures(user, enterprise, today),
            "year": today.year,
            "can_record": can(user, RECORD_PEOPLE, enterprise),
            "can_view": has_right(user, VIEW_PEOPLE),
        },
    )


@login_required
def accident_trace(request, pk):
    """持证与培训倒查 for one accident, read through the accidents app's public selector (out of scope: 404)."""
    from anlan.accidents.selectors import access_accident

    user = request.user
    accident = access_accident(user, pk)
    require_right(user, SUPERVISE)
    day = timezone.localtime(accident.occurred_at).date()
    enterprise = accident.enterprise
    trace = selectors.accident_trace(enterprise, day) if enterprise is not None else None
    return render(
        request,
        "risk/people/accident_trace.html",
        {
            "accident": accident,
            "enterprise": enterprise,
            "trace": trace,
            "breadcrumbs": entry.crumbs(
                (accident.title, reverse("accidents:accident-detail", args=[accident.pk])),
                (_("持证与培训倒查"), ""),
            ),
        },
    )


# ---------------------------------------------------------------- ledgers (core/exporting.py)

STAFF_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("姓名"), 10),
    Column(gettext_lazy("居民身份证号码"), 20),
    Column(gettext_lazy("岗位"), 14),
    Column(gettext_lazy("角色"), 24, WRAP),
    Column(gettext_lazy("入职日期"), 12),
    Column(gettext_lazy("离岗日期"), 12),
]


def staff_ledger(user, params) -> Ledger:
    def rows(queryset):
        for s in queryset:
            yield [
                s.enterprise.name,
                s.person.name,
                mask_id_number(s.person.id_number),
                s.post,
                "、".join(s.roles),
                s.hired_on.isoformat() if s.hired_on else "",
                s.left_on.isoformat() if s.left_on else "",
            ]

    queryset = selectors.staff_list(user, VIEW_PEOPLE).order_by("enterprise__name", "person__name", "pk")
    filterset = forms.StaffFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-people-staff",
        sheet_title=_("从业人员台账"),
        columns=STAFF_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )


CERTIFICATE_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("持证人"), 10),
    Column(gettext_lazy("居民身份证号码"), 20),
    Column(gettext_lazy("证书类别"), 20, WRAP),
    Column(gettext_lazy("作业类别"), 16),
    Column(gettext_lazy("准操项目"), 16),
    Column(gettext_lazy("证书编号"), 20),
    Column(gettext_lazy("发证机关"), 20, WRAP),
    Column(gettext_lazy("初次领证日期"), 12),
    Column(gettext_lazy("复审日期"), 12),
    Column(gettext_lazy("最近复审日期"), 12),
    Column(gettext_lazy("有效期至"), 12),
    Column(gettext_lazy("状态"), 12),
]


def _certificate_rows(queryset):
    for c in queryset:
        yield [
            c.enterprise.name,
            c.staff.person.name,
            mask_id_number(c.staff.person.id_number),
            str(c.get_kind_display()),
            str(c.get_category_display()) if c.category else "",
            c.operation_item,
            c.number,
            c.issuing_authority,
            c.issued_on.isoformat(),
            c.review_due.isoformat() if c.review_due else "",
            c.last_reviewed_on.isoformat() if c.last_reviewed_on else "",
            c.valid_until.isoformat(),
            str(STATE_LABELS[c.state]),
        ]


def certificate_ledger(user, params) -> Ledger:
    queryset = selectors.certificate_list(user, VIEW_PEOPLE).order_by("valid_until", "pk")
    filterset = forms.CertificateFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-people-certificates",
        sheet_title=_("证书台账"),
        columns=CERTIFICATE_COLUMNS,
        queryset=filtered(filterset),
        rows=_certificate_rows,
        user=user,
        filterset=filterset,
    )


def attention_ledger(user, params) -> Ledger:
    queryset = selectors.attention(user, SUPERVISE)
    filterset = forms.AttentionFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-people-attention",
        sheet_title=_("证书到期及逾期未复审台账"),
        columns=CERTIFICATE_COLUMNS,
        queryset=filtered(filterset),
        rows=_certificate_rows,
        user=user,
        filterset=filterset,
    )


TRAINING_COLUMNS = [
    Column(gettext_lazy("生产经营单位"), 28, WRAP),
    Column(gettext_lazy("培训日期"), 12),
    Column(gettext_lazy("培训主题"), 30, WRAP),
    Column(gettext_lazy("培训类别"), 12),
    Column(gettext_lazy("学时"), 8),
    Column(gettext_lazy("授课人（机构）"), 20, WRAP),
    Column(gettext_lazy("参训人数"), 8),
]


def training_ledger(user, params) -> Ledger:
    def rows(queryset):
        for t in queryset:
            yield [
                t.enterprise.name,
                t.held_on.isoformat(),
                t.subject,
                str(t.get_kind_display()),
                t.hours,
                t.trainer,
                t.attendee_count,
            ]

    queryset = selectors.training_list(user, VIEW_PEOPLE)
    filterset = forms.TrainingFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk-people-training",
        sheet_title=_("培训记录台账"),
        columns=TRAINING_COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
