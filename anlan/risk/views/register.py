"""Pages of the register part: the register (list, filters, export), a risk point (assessments, controls and
checks, the assess form with its live LEC/LS preview), the enterprise's four-colour map on its site plan, the
county's four-colour map, the enterprise-page panel and the county office's grading setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anlan.core import audit, entry, exporting, uploads
from anlan.core import selectors as core_selectors
from anlan.core.capacity import own_enterprise_ids
from anlan.core.contract import TodoItem
from anlan.core.errors import DomainError
from anlan.core.exports import Column, Ledger, filter_request
from anlan.core.forms import add_domain_error
from anlan.core.paging import filtered
from anlan.core.permissions import can, has_right, require_right
from anlan.core.templatetags.anlan import map_tile_url

from .. import rules
from ..forms import register as forms
from ..models import ControlLevel, ControlMeasure, GradingSettings, Level, RiskAssessment, RiskPoint
from ..selectors import register as selectors
from ..services import register as services

EXPORT = "risk.export_register"
MANAGE = services.MANAGE
CONFIGURE = services.CONFIGURE
FORM = "core/simple_form.html"


def _crumb():
    return (_("风险分级管控清单"), reverse("risk:point-list"))


def _point_url(point) -> str:
    return reverse("risk:point-detail", args=[point.pk])


def register_url(user) -> str:
    return reverse("risk:point-list")


def todo_items(rows, limit: int) -> list[TodoItem]:
    """One line per enterprise: no register yet, or how many points wait for their first assessment."""
    rows = list(rows[:limit])
    waiting = selectors.unassessed_counts([e.pk for e in rows])
    items = []
    for enterprise in rows:
        n = waiting.get(enterprise.pk, 0)
        title = (
            _("%(name)s：%(n)d 个风险点未评价") % {"name": enterprise.name, "n": n}
            if n
            else _("%(name)s：尚未建立风险辨识清单") % {"name": enterprise.name}
        )
        items.append(TodoItem(title=title, url=reverse("risk:enterprise-map", args=[enterprise.pk])))
    return items


def _own_enterprise(user):
    ids = own_enterprise_ids(user, right=MANAGE)
    return core_selectors.access_enterprise(user, ids[0]) if ids else None


def _level_rows(counts: dict) -> list[tuple[str, str, str, int]]:
    return [(level, rules.COLOURS[level], label, counts.get(level, 0)) for level, label in Level.choices]


@login_required
@require_GET
def point_list(request):
    user = request.user
    points = selectors.point_list(user)
    return entry.list_page(
        request,
        queryset=points.order_by("enterprise__name", "name", "pk"),
        filterset_class=forms.PointFilter,
        template="risk/register/list.html",
        fragment="risk/register/_table.html",
        context={
            "can_export": has_right(user, EXPORT),
            "own_enterprise": _own_enterprise(user),
            "levels": _level_rows(selectors.level_counts(points)),
            "breadcrumbs": entry.crumbs((_("风险分级管控清单"), "")),
        },
    )


@login_required
@require_GET
def point_export(request):
    return exporting.export(request, "risk_points")


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    if not can(user, MANAGE, enterprise):
        raise PermissionDenied
    initial = {name: request.GET.get(name) for name in ("x", "y") if request.GET.get(name)}
    return entry.titled_form_page(
        request,
        form=forms.PointForm(request.POST or None, initial=initial),
        call=lambda data: services.create_point(actor=user, enterprise_pk=enterprise.pk, data=data),
        success_url=_point_url,
        template=FORM,
        title=_("登记风险点"),
        cancel_url=reverse("risk:enterprise-map", args=[enterprise.pk]),
        crumbs=[_crumb()],
        message=_("已登记风险点。"),
    )


@login_required
@require_GET
def point_detail(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    assessments = list(selectors.assessments_of(user, point))
    controls = selectors.controls_of(user, point)
    required = rules.required_control_level(point.level) if point.level else None
    return render(
        request,
        "risk/register/detail.html",
        {
            "point": point,
            "assessments": assessments,
            "controls": controls,
            "required_control_level": ControlLevel(required).label if required else "",
            "control_gap": bool(required)
            and not any(rules.control_level_sufficient(c.control_level, point.level) for c in controls),
            "can_manage": can(user, MANAGE, point),
            "timeline": audit.timeline(point),
            "breadcrumbs": entry.crumbs(
                _crumb(), (point.enterprise.name, _map_url(point.enterprise)), (str(point), "")
            ),
        },
    )


def _map_url(enterprise) -> str:
    return reverse("risk:enterprise-map", args=[enterprise.pk])


def _require_manage(user, record) -> None:
    if not can(user, MANAGE, record):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    _require_manage(user, point)
    initial = {
        "name": point.name,
        "kind": point.kind,
        "location": point.location,
        "hazard_factors": point.hazard_factors,
        "accident_types": point.accident_type_codes,
        "x": point.x,
        "y": point.y,
    }
    return entry.titled_form_page(
        request,
        form=forms.PointForm(request.POST or None, initial=initial),
        call=lambda data: services.update_point(actor=user, point_pk=point.pk, data=data),
        success_url=_point_url,
        template=FORM,
        title=_("修改风险点"),
        cancel_url=_point_url(point),
        crumbs=[_crumb(), (str(point), _point_url(point))],
        message=_("已保存。"),
    )


@login_required
@require_POST
def point_place(request, pk):
    """Place (or move) a point on the site plan: x and y as fractions of the plan."""
    user = request.user
    point = selectors.access_point(user, pk)
    _require_manage(user, point)
    back = _map_url(point.enterprise)
    try:
        services.place_point(actor=user, point_pk=point.pk, x=request.POST.get("x"), y=request.POST.get("y"))
    except DomainError as error:
        messages.error(request, error.message)
        return entry.done(request, back)
    return entry.done(request, back, _("已在平面图上标注“%(name)s”。") % {"name": point.name})


def _preview(request, point, form) -> dict:
    """The D/R, level and colour the inputs give (nothing while they are incomplete)."""
    data = {name: form.data.get(name) for name in form.fields}
    try:
        result = services.grade(
            method=data.get("method"), data=data, variant=selectors.ls_variant_for(point.enterprise)
        )
    except DomainError:
        return {"result": None}
    score = rules.plain(result.D) if isinstance(result, rules.LEC) else result.R
    return {
        "result": result,
        "score": score,
        "level_label": Level(result.level).label,
        "band": getattr(result, "band", ""),
        "required_control_level": ControlLevel(rules.required_control_level(result.level)).label,
    }


@login_required
@require_http_methods(["GET", "POST"])
def point_assess(request, pk):
    """风险评价: the form; an htmx GET with the inputs answers the live preview (D or R, level, colour)."""
    user = request.user
    point = selectors.access_point(user, pk)
    _require_manage(user, point)
    variant = selectors.ls_variant_for(point.enterprise)
    if getattr(request, "htmx", False) and request.method == "GET":
        form = forms.AssessForm(request.GET)
        return render(
            request, "risk/register/_preview.html", {"point": point, **_preview(request, point, form)}
        )
    form = forms.AssessForm(
        request.POST or None, initial={"assessed_on": timezone.localdate(), "method": "lec"}
    )
    context = {
        "point": point,
        "form": form,
        "variant": variant,
        "variant_label": dict(GradingSettings.Variant.choices)[variant],
        "result": None,
        "breadcrumbs": entry.crumbs(_crumb(), (str(point), _point_url(point)), (_("风险评价"), "")),
    }
    if request.method == "POST":
        context |= _preview(request, point, form)
        if form.is_valid():
            try:
                services.assess_point(actor=user, point_pk=point.pk, data=form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return entry.done(request, _point_url(point), _("已保存风险评价。"))
    return render(request, "risk/register/assess.html", context)


# ---------------------------------------------------------------- controls and checks


@login_required
@require_http_methods(["GET", "POST"])
def control_create(request, pk):
    user = request.user
    point = selectors.access_point(user, pk)
    _require_manage(user, point)
    initial = {"control_level": rules.required_control_level(point.level)} if point.level else {}
    return entry.titled_form_page(
        request,
        form=forms.ControlForm(request.POST or None, initial=initial),
        call=lambda data: services.add_control(actor=user, point_pk=point.pk, data=data),
        success_url=_point_url(point),
        template=FORM,
        title=_("添加管控措施"),
        cancel_url=_point_url(point),
        crumbs=[_crumb(), (str(point), _point_url(point))],
        message=_("已添加管控措施。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def control_edit(request, pk):
    user = request.user
    control = selectors.access_control(user, pk)
    _require_manage(user, control)
    point = control.point
    initial = {name: getattr(control, name) for name in ("content", "kind", "control_level", "responsible")}
    return entry.titled_form_page(
        request,
        form=forms.ControlForm(request.POST or None, initial=initial),
        call=lambda data: services.update_control(actor=user, control_pk=control.pk, data=data),
        success_url=_point_url(point),
        template=FORM,
        title=_("修改管控措施"),
        cancel_url=_point_url(point),
        crumbs=[_crumb(), (str(point), _point_url(point))],
        message=_("已保存。"),
    )


@login_required
@require_POST
def control_delete(request, pk):
    user = request.user
    control = selectors.access_control(user, pk)
    _require_manage(user, control)
    point = services.remove_control(actor=user, control_pk=control.pk)
    return entry.done(request, _point_url(point), _("已删除管控措施。"))


@login_required
@require_http_methods(["GET", "POST"])
def check_create(request, pk):
    user = request.user
    control = selectors.access_control(user, pk)
    _require_manage(user, control)
    point = control.point
    return entry.titled_form_page(
        request,
        form=forms.CheckForm(request.POST or None),
        call=lambda data: services.add_check(actor=user, control_pk=control.pk, data=data),
        success_url=_point_url(point),
        template=FORM,
        title=_("添加排查项"),
        cancel_url=_point_url(point),
        crumbs=[_crumb(), (str(point), _point_url(point))],
        message=_("已添加排查项。"),
    )


@login_required
@require_POST
def check_delete(request, pk):
    user = request.user
    check = selectors.access_check(user, pk)
    _require_manage(user, check)
    point = services.remove_check(actor=user, check_pk=check.pk)
    return entry.done(request, _point_url(point), _("已删除排查项。"))


# ---------------------------------------------------------------- maps and the site plan


def _marker(point: RiskPoint) -> dict:
    return {
        "id": point.pk,
        "name": point.name,
        "x": float(point.x),
        "y": float(point.y),
        "level": point.level,
        "colour": point.colour or "grey",
        "label": str(point.get_level_display() or _("未评价")),
        "url": _point_url(point),
    }


@login_required
@require_GET
def enterprise_map(request, pk):
    """四色风险分布图 of one enterprise: its site plan with a coloured marker per placed point; an enterprise user
    clicks the plan to register a point there, or places a listed point."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    points = list(selectors.point_list(user).filter(enterprise=enterprise).order_by("name", "pk"))
    plan = selectors.site_plan(user, enterprise)
    placed = [p for p in points if p.is_placed]
    return render(
        request,
        "risk/register/enterprise_map.html",
        {
            "enterprise": enterprise,
            "plan": plan,
            "points": points,
            "unplaced": [p for p in points if not p.is_placed],
            "map_data": {
                "image": reverse("risk:site-plan-image", args=[enterprise.pk]) if plan else "",
                "width": plan.width if plan else 0,
                "height": plan.height if plan else 0,
                "markers": [_marker(p) for p in placed],
                "create": reverse("risk:point-create", args=[enterprise.pk])
                if can(user, MANAGE, enterprise)
                else "",
            },
            "levels": _level_rows(
                selectors.level_counts(selectors.point_list(user).filter(enterprise=enterprise))
            ),
            "can_manage": can(user, MANAGE, enterprise),
            "breadcrumbs": entry.crumbs(_crumb(), (enterprise.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_plan_upload(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    if not can(user, MANAGE, enterprise):
        raise PermissionDenied
    return entry.titled_form_page(
        request,
        form=forms.SitePlanForm(request.POST or None, request.FILES or None),
        call=lambda data: services.upload_site_plan(
            actor=user, enterprise_pk=enterprise.pk, image=data["image"]
        ),
        success_url=_map_url(enterprise),
        template=FORM,
        title=_("上传厂区平面图"),
        cancel_url=_map_url(enterprise),
        crumbs=[_crumb(), (enterprise.name, _map_url(enterprise))],
        message=_("已上传厂区平面图。"),
        multipart=True,
    )


@login_required
@require_GET
def site_plan_image(request, pk):
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    plan = selectors.site_plan(user, enterprise)
    if plan is None:
        raise Http404
    return uploads.serve(plan.image, "site-plan")


@login_required
@require_GET
def enterprise_panel(request, pk):
    """The risk block of the enterprise page: points by level, the highest level, links to the register and map."""
    user = request.user
    enterprise = core_selectors.access_enterprise(user, pk)
    counts = selectors.level_counts(selectors.point_list(user).filter(enterprise=enterprise))
    highest = selectors.highest_levels([enterprise.pk]).get(enterprise.pk)
    return render(
        request,
        "risk/register/_panel.html",
        {
            "enterprise": enterprise,
            "counts": counts,
            "levels": _level_rows(counts),
            "highest": highest,
            "highest_label": Level(highest).label if highest else "",
            "highest_colour": rules.COLOURS.get(highest, ""),
            "can_manage": can(user, MANAGE, enterprise),
        },
    )


@login_required
@require_GET
def county_map(request):
    """四色风险分布图 of the user's area: enterprises coloured by their highest level, and counts by level."""
    user = request.user
    require_right(user, EXPORT)
    rows = selectors.enterprise_levels(user)
    counts = selectors.enterprise_level_counts(user)
    return render(
        request,
        "risk/register/county_map.html",
        {
            "levels": _level_rows(counts),
            "rows": rows,
            "unplaced": [r for r in rows if r["lat"] is None or r["lon"] is None],
            "map_data": {
                "tiles": map_tile_url(),
                "enterprises": [
                    {**r, "label": str(Level(r["level"]).label), "url": _map_url_id(r["id"])}
                    for r in rows
                    if r["lat"] is not None and r["lon"] is not None
                ],
            },
            "limit": selectors.MAP_LIMIT,
            "breadcrumbs": entry.crumbs((_("风险四色图"), "")),
        },
    )


def _map_url_id(pk: int) -> str:
    return reverse("risk:enterprise-map", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def grading_settings(request):
    """The county office sets its county's LS variant."""
    user = request.user
    require_right(user, CONFIGURE)
    regions = {region.code: region for region in selectors.grading_settings_regions(user)}
    if not regions:
        raise PermissionDenied
    region = regions.get(request.GET.get("region", ""), next(iter(regions.values())))
    current = selectors.ls_variant_for_region(region.code)
    return entry.titled_form_page(
        request,
        form=forms.GradingSettingsForm(request.POST or None, initial={"ls_variant": current}),
        call=lambda data: services.set_ls_variant(
            actor=user, region_pk=region.pk, variant=data["ls_variant"]
        ),
        success_url=reverse("risk:grading-settings") + f"?region={region.code}",
        template=FORM,
        title=_("风险分级设置（%(region)s）") % {"region": region.name},
        cancel_url=reverse("risk:point-list"),
        crumbs=[_crumb()],
        message=_("已保存风险矩阵分级标准。"),
    )


# ---------------------------------------------------------------- ledger

COLUMNS = [
    Column(_("生产经营单位"), 28),
    Column(_("统一社会信用代码"), 20),
    Column(_("风险点名称"), 20),
    Column(_("风险点类型"), 10),
    Column(_("所在区域或位置"), 16),
    Column(_("危险有害因素"), 40),
    Column(_("可能导致的事故类型"), 20),
    Column(_("评价方法"), 10),
    Column(_("风险值 D/R"), 10),
    Column(_("风险等级"), 10),
    Column(_("管控层级"), 12),
    Column(_("管控措施"), 40),
    Column(_("最近评价日期"), 12),
]


def _rows(queryset):
    kinds, levels = dict(RiskPoint.Kind.choices), dict(Level.choices)
    control_levels, methods = dict(ControlLevel.choices), dict(RiskAssessment.Method.choices)
    for chunk_start in range(0, 10**9, 500):
        chunk = list(queryset[chunk_start : chunk_start + 500])
        if not chunk:
            break
        latest = {}
        for a in RiskAssessment.objects.filter(point__in=chunk).order_by("point_id", "-assessed_on", "-pk"):
            latest.setdefault(a.point_id, a)
        controls: dict[int, list] = {}
        for c in ControlMeasure.objects.filter(point__in=chunk).order_by("pk"):
            controls.setdefault(c.point_id, []).append(c)
        for p in chunk:
            a = latest.get(p.pk)
            mine = controls.get(p.pk, [])
            yield [
                p.enterprise.name,
                p.enterprise.uscc,
                p.name,
                str(kinds.get(p.kind, p.kind)),
                p.location,
                p.hazard_factors,
                "、".join(p.accident_type_labels()),
                str(methods.get(a.method, "")) if a else "",
                float(p.score) if p.score is not None else "",
                str(levels.get(p.level, _("未评价"))),
                "、".join(sorted({str(control_levels[c.control_level]) for c in mine})),
                "\n".join(c.content for c in mine),
                p.assessed_on.isoformat() if p.assessed_on else "",
            ]


def ledger(user, params) -> Ledger:
    """风险分级管控清单 (台账), filtered as the list."""
    queryset = selectors.point_list(user).order_by("enterprise__name", "name", "pk")
    filterset = forms.PointFilter(params or None, queryset=queryset, request=filter_request(user))
    return Ledger(
        name="risk_points",
        sheet_title=_("风险分级管控清单"),
        columns=COLUMNS,
        queryset=filtered(filterset),
        rows=_rows,
        user=user,
        filterset=filterset,
    )
