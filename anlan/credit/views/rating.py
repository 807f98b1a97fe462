"""Pages of the five-colour rating: the list over the enterprises in scope (filters, counts by colour, XLSX
ledger), the approval queue (approve one, approve a batch), the enterprise page's "why this colour" panel with
its history and 重新评定 button, the county's criteria (read by all, edited by the county office) and the start
of a recompute job. Views parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anlan.core import entry, exporting
from anlan.core import selectors as core_selectors
from anlan.core.errors import DomainError
from anlan.core.exports import WRAP, Column, Ledger, filter_request
from anlan.core.models import Region
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require_right

from .. import rules
from ..forms import rating as forms
from ..models import RatingConfig
from ..models.rating import APPROVE_RATING, CONFIGURE_RATING, EXPORT_RATINGS, RECOMPUTE_RATING, VIEW_RATINGS
from ..selectors import rating as selectors
from ..services import rating as services

NOTICE = gettext_lazy(
    "五色评定没有国家统一标准：以下评定标准是本县（区）的配置，默认值为安澜平台的建议（红：重大风险、列入严重失信名单、"
    "近12个月较大及以上事故或重大隐患逾期；橙：较大风险、重大隐患未销号、近12个月发生事故或受到行政处罚；"
    "黄：一般风险、一般隐患逾期或自查缺失；蓝：低风险且无上述情形；绿：蓝色且持有有效标准化等级、近3年无事故无逾期隐患）。"
)


def _list_crumb():
    return (_("五色评定"), reverse("credit:rating-list"))


def _my_county(user) -> Region | None:
    """The county whose criteria the list links to: the first region the user manages at county level or below."""
    for region in core_selectors.managed_region_roots(user):
        if region.level >= Region.Level.COUNTY:
            return selectors.county_of(region.code)
    return None


@login_required
def rating_list(request):
    user = request.user
    require_right(user, VIEW_RATINGS)
    queryset = selectors.rating_list(user)
    county = _my_county(user)
    return entry.list_page(
        request,
        queryset=queryset,
        filterset_class=forms.RatingFilter,
        template="credit/rating/list.html",
        fragment="credit/rating/_table.html",
        context={
            "counts": selectors.colour_counts(queryset),
            "approved_counts": selectors.colour_counts(queryset, "approved_colour"),
            "can_export": has_right(user, EXPORT_RATINGS),
            "can_approve": has_right(user, APPROVE_RATING),
            "can_recompute_all": has_right(user, CONFIGURE_RATING),
            "county": county,
            "notice": NOTICE,
            "breadcrumbs": entry.crumbs((_("五色评定"), "")),
        },
    )


@login_required
def rating_export(request):
    return exporting.export(request, "credit_ratings")


@login_required
def queue(request):
    """审定: the pending changes of colour in the county office's scope."""
    user = request.user
    require_right(user, APPROVE_RATING)
    return entry.list_page(
        request,
        queryset=selectors.approval_queue(user, APPROVE_RATING),
        filterset_class=forms.RatingFilter,
        template="credit/rating/queue.html",
        fragment="credit/rating/_queue_table.html",
        context={"breadcrumbs": entry.crumbs(_list_crumb(), (_("待审定"), ""))},
    )


def queue_rows(user):
    """To-do: the pending ratings the user may approve."""
    return selectors.approval_queue(user, APPROVE_RATING)


def queue_url(user) -> str:
    return reverse("credit:rating-queue")


@login_required
@require_POST
def approve(request, pk):
    user = request.user
    selectors.access_rating(user, pk)
    back = request.POST.get("next") or reverse("credit:rating-queue")
    if not back.startswith("/"):
        back = reverse("credit:rating-queue")
    try:
        rating = services.approve_rating(actor=user, rating_pk=pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已审定：%(name)s 为%(colour)s。")
            % {"name": rating.enterprise.name, "colour": rating.get_approved_colour_display()},
        )
    return redirect(back)


@login_required
@require_POST
def approve_batch(request):
    user = request.user
    require_right(user, APPROVE_RATING)
    form = forms.BatchApproveForm(request.POST)
    picked = None
    if form.is_valid() and form.cleaned_data["ratings"]:
        picked = [r.pk for r in form.cleaned_data["ratings"]]
    try:
        count = services.approve_ratings(actor=user, rating_pks=picked)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审定 %(count)s 家企业的五色评定。") % {"count": count})
    return redirect("credit:rating-queue")


@login_required
def enterprise_panel(request, pk):
    """ "Why this colour": the enterprise page's panel (loaded by htmx)."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    rating = selectors.rating_of(user, enterprise)
    supervisor = selectors.shows_pending(user)
    county = selectors.county_of(enterprise.region_id)
    return render(
        request,
        "credit/rating/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "rating": rating,
            "supervisor": supervisor,
            "history": selectors.history_of(user, enterprise) if supervisor else [],
            "can_recompute": can(user, RECOMPUTE_RATING, enterprise),
            "can_approve": bool(
                rating and rating.is_pending and rating.colour and can(user, APPROVE_RATING, rating)
            ),
            "county": county,
            "colour_names": dict(rules.COLOUR_NAMES),
        },
    )


@login_required
@require_POST
def recompute(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    try:
        rating = services.recompute_enterprise(actor=user, enterprise_pk=enterprise.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重新评定：%(colour)s。") % {"colour": rating.get_colour_display()})
    return redirect("core:enterprise-detail", pk=enterprise.pk)


@login_required
@require_POST
def recompute_all(request):
    user = request.user
    region = request.POST.get("region") or None
    try:
        job = services.start_recompute(actor=user, region_code=region)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("credit:rating-list")
    messages.success(request, _("已开始重新评定，完成后可在任务页查看结果。"))
    return redirect("core:job-detail", pk=job.pk)


def _county(code: str) -> Region:
    region = Region.objects.filter(pk=code, level=Region.Level.COUNTY).first()
    if region is None:
        raise Http404
    return region


@login_required
def config_detail(request, code):
    """The county's criteria, read by anyone signed in: no national standard defines the colours."""
    region = _county(code)
    row = selectors.config_row(region)
    config = row.to_rules() if row else rules.DEFAULT_CONFIG
    fields = [
        (RatingConfig._meta.get_field(name).verbose_name, getattr(config, name))
        for name in RatingConfig.FIELDS
    ]
    return render(
        request,
        "credit/rating/config.html",
        {
            "region": region,
            "row": row,
            "fields": fields,
            "notice": NOTICE,
            "can_edit": has_right(request.user, CONFIGURE_RATING),
            "breadcrumbs": entry.crumbs(_list_crumb(), (_("五色评定标准"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def config_edit(request, code):
    user = request.user
    region = _county(code)
    require_right(user, CONFIGURE_RATING)
    if not Region.objects.for_user(user, CONFIGURE_RATING).filter(pk=region.pk).exists():
        raise Http404
    row = selectors.config_row(region) or RatingConfig(region=region)
    detail = reverse("credit:rating-config", args=[region.code])
    return entry.titled_form_page(
        request,
        form=forms.RatingConfigForm(request.POST or None, instance=row),
        call=lambda data: services.save_config(actor=user, region_code=region.code, data=data),
        success_url=detail,
        template="credit/rating/config_form.html",
        title=_("修改五色评定标准"),
        cancel_url=detail,
        crumbs=[_list_crumb(), (_("五色评定标准"), detail)],
        message=_("评定标准已保存，下次重新评定时生效。"),
    )


# ---------------------------------------------------------------- the ledger (core/exporting.py)

COLUMNS = [
    Column(gettext_lazy("企业名称"), 28, WRAP),
    Column(gettext_lazy("统一社会信用代码"), 20),
    Column(gettext_lazy("所属区划"), 14),
    Column(gettext_lazy("行业领域"), 14),
    Column(gettext_lazy("评定颜色"), 8),
    Column(gettext_lazy("审定颜色"), 8),
    Column(gettext_lazy("状态"), 8),
    Column(gettext_lazy("评定理由"), 50, WRAP),
    Column(gettext_lazy("评定时间"), 18),
    Column(gettext_lazy("审定时间"), 18),
]


def ledger(user, params) -> Ledger:
    def rows(queryset):
        for r in queryset:
            yield [
                r.enterprise.name,
                r.enterprise.uscc,
                r.enterprise.region.name,
                r.enterprise.industry.name,
                str(r.get_colour_display()),
                str(r.get_approved_colour_display()) if r.approved_colour else "",
                str(r.get_status_display()),
                "；".join(reason["text"] for reason in r.reasons),
                r.computed_at.strftime("%Y-%m-%d %H:%M"),
                r.approved_at.strftime("%Y-%m-%d %H:%M") if r.approved_at else "",
            ]

    queryset = selectors.rating_list(user, EXPORT_RATINGS)
    filterset = forms.RatingFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="credit-ratings",
        sheet_title=_("五色评定台账"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=rows,
        user=user,
        filterset=filterset,
    )
