"""Pages of the core registry. Views parse input, call one service and render; rules live below them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, exports, imports, selectors, services
from .errors import DomainError
from .filters import DepartmentFilter, EnterpriseFilter, GridFilter
from .forms import (
    DepartmentForm,
    EnterpriseForm,
    EnterpriseStatusForm,
    GridForm,
    ImportForm,
    LicenceForm,
    ReasonForm,
    RegionEditForm,
    RegionForm,
    add_domain_error,
)
from .models import Department, Enterprise, Grid, Licence, Region
from .paging import filtered, page_of, query_without_page
from .permissions import can, has_right, require, require_right

PAGE_SIZE = 20


def _crumbs(*items):
    return [(str(label), url) for label, url in items]


# ---------------------------------------------------------------- home


@login_required
def home(request):
    user = request.user
    enterprises = Enterprise.objects.for_user(user)
    by_status = selectors.enterprise_counts_by_status(user)
    by_industry = list(enterprises.values("industry__name").annotate(n=Count("pk")).order_by("-n")[:12])
    today = timezone.localdate()
    expiring = (
        Licence.objects.for_user(user)
        .filter(valid_until__lte=today + timedelta(days=30))
        .select_related("enterprise")
        .order_by("valid_until")[:10]
    )
    flags = enterprises.aggregate(
        total=Count("pk"),
        major=Count("pk", filter=Q(has_major_hazard_source=True)),
        crowded=Count("pk", filter=Q(is_crowded_place=True)),
    )
    context = {
        "by_status": [(label, by_status.get(value, 0), value) for value, label in Enterprise.Status.choices],
        "by_industry": by_industry,
        "flags": flags,
        "expiring": expiring,
        "today": today,
    }
    return render(request, "core/home.html", context)


# ---------------------------------------------------------------- enterprises


@login_required
def enterprise_list(request):
    user = request.user
    queryset = selectors.with_contact_visibility(selectors.enterprise_list(user), user)
    filterset = EnterpriseFilter(request.GET or None, queryset=queryset, request=request)
    context = {
        "filter": filterset,
        "page": page_of(request, filtered(filterset), PAGE_SIZE),
        "query": query_without_page(request),
        "can_add": has_right(user, "core.add_enterprise"),
        "can_import": has_right(user, "core.import_enterprise"),
        "can_export": has_right(user, "core.export_enterprise"),
        "industries": selectors.industry_tree(),
        "breadcrumbs": _crumbs((_("生产经营单位"), "")),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "core/_enterprise_table.html", context)
    return render(request, "core/enterprise_list.html", context)


@login_required
def enterprise_detail(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    licences = list(enterprise.licences.all())
    licence_history = Licence.history.model.objects.filter(enterprise_id=enterprise.pk)
    context = {
        "enterprise": enterprise,
        "licences": licences,
        "other_industries": enterprise.other_industries.all(),
        "contact_visible": can(user, "core.view_contact", enterprise),
        "can_change": can(user, "core.change_enterprise", enterprise),
        "can_change_status": can(user, "core.change_enterprise_status", enterprise),
        "timeline": audit.timeline(enterprise, [(licence_history, Licence, _("证照") + " {record.number}")]),
        "status_form": EnterpriseStatusForm(initial={"status": enterprise.status}),
        "today": timezone.localdate(),
        "breadcrumbs": _crumbs((_("生产经营单位"), reverse("core:enterprise-list")), (enterprise.name, "")),
    }
    return render(request, "core/enterprise_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    user = request.user
    require_right(user, "core.add_enterprise")
    form = EnterpriseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "other_industries"}
        try:
            enterprise = services.create_enterprise(
                actor=user, data=data, other_industries=form.cleaned_data["other_industries"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已登记生产经营单位“%(name)s”。") % {"name": enterprise.name})
            return redirect("core:enterprise-detail", pk=enterprise.pk)
    context = {
        "form": form,
        "title": _("登记生产经营单位"),
        "breadcrumbs": _crumbs((_("生产经营单位"), reverse("core:enterprise-list")), (_("登记"), "")),
    }
    return render(request, "core/enterprise_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.change_enterprise", enterprise)
    self_service = not can(user, "core.change_enterprise_status", enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=user, self_service=self_service)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "other_industries"}
        others = form.cleaned_data.get("other_industries") if not self_service else None
        try:
            services.update_enterprise(
                actor=user,
                enterprise_pk=pk,
                data=data,
                other_industries=others,
                reason=request.POST.get("reason", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("core:enterprise-detail", pk=pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "title": _("修改生产经营单位"),
        "with_reason": True,
        "breadcrumbs": _crumbs(
            (_("生产经营单位"), reverse("core:enterprise-list")),
            (enterprise.name, reverse("core:enterprise-detail", args=[pk])),
            (_("修改"), ""),
        ),
    }
    return render(request, "core/enterprise_form.html", context)


@login_required
@require_POST
def enterprise_status(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.change_enterprise_status", enterprise)
    form = EnterpriseStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_enterprise_status(
                actor=user,
                enterprise_pk=pk,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("经营状态已变更。"))
    else:
        for problems in form.errors.values():
            for message in problems:
                messages.error(request, message)
    return redirect("core:enterprise-detail", pk=pk)


@login_required
def enterprise_export(request):
    user = request.user
    require_right(user, "core.export_enterprise")
    queryset = selectors.with_contact_visibility(
        Enterprise.objects.for_user(user, "core.export_enterprise").select_related("region", "industry"), user
    )
    filterset = EnterpriseFilter(request.GET or None, queryset=queryset, request=request)
    return exports.enterprise_export(filtered(filterset, queryset.order_by("region_id", "name")))


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    user = request.user
    require_right(user, "core.import_enterprise")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    token = None
    if request.method == "POST":
        token = request.POST.get("token", "")
        stored = request.session.get("anlan_import_files", {})
        if token and token in stored:
            # second step: the user chose to import the valid rows of the file already checked
            with default_storage.open(stored[token]) as handle:
                report = imports.import_enterprises(actor=user, handle=handle, valid_only=True)
            default_storage.delete(stored.pop(token))
            request.session["anlan_import_files"] = stored
            token = None
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            report = imports.import_enterprises(
                actor=user, handle=upload, valid_only=form.cleaned_data["valid_only"]
            )
            if report.errors and not report.imported and not report.file_error:
                upload.seek(0)
                token = uuid.uuid4().hex
                path = default_storage.save(f"imports/{token}.xlsx", ContentFile(upload.read()))
                stored = request.session.get("anlan_import_files", {})
                stored[token] = path
                request.session["anlan_import_files"] = stored
        if report and report.imported:
            messages.success(request, _("已导入 %(n)d 家生产经营单位。") % {"n": report.imported})
    context = {
        "form": form,
        "report": report,
        "token": token,
        "breadcrumbs": _crumbs((_("生产经营单位"), reverse("core:enterprise-list")), (_("Excel 导入"), "")),
    }
    return render(request, "core/enterprise_import.html", context)


@login_required
def enterprise_import_template(request):
    require_right(request.user, "core.import_enterprise")
    workbook = imports.template_workbook(request.user)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    workbook.save(response)
    return response


# ---------------------------------------------------------------- licences


@login_required
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk, licence_pk=None):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.change_enterprise", enterprise)
    licence = None
    if licence_pk is not None:
        licence = selectors.access(Licence.objects.filter(enterprise=enterprise), user, licence_pk)
    form = LicenceForm(request.POST or None, instance=licence)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_licence(actor=user, enterprise_pk=pk, licence_pk=licence_pk, data=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("证照已保存。"))
            return redirect("core:enterprise-detail", pk=pk)
    context = {
        "form": form,
        "title": _("证照"),
        "cancel_url": reverse("core:enterprise-detail", args=[pk]),
        "breadcrumbs": _crumbs(
            (_("生产经营单位"), reverse("core:enterprise-list")),
            (enterprise.name, reverse("core:enterprise-detail", args=[pk])),
            (_("证照"), ""),
        ),
    }
    return render(request, "core/simple_form.html", context)


@login_required
@require_POST
def licence_delete(request, pk, licence_pk):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        selectors.access_enterprise(request.user, pk)
        messages.error(request, _("删除证照必须填写原因。"))
        return redirect("core:enterprise-detail", pk=pk)
    try:
        services.delete_licence(
            actor=request.user, enterprise_pk=pk, licence_pk=licence_pk, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("证照已删除。"))
    return redirect("core:enterprise-detail", pk=pk)


# ---------------------------------------------------------------- regions and grids


def _territory_roots(user):
    """The highest regions of the user's jurisdiction (for the management tree)."""
    regions = Region.objects.for_user(user, "core.manage_region").order_by("level", "code")
    top = regions.first()
    return regions.filter(level=top.level) if top else regions.none()


@login_required
def region_list(request):
    user = request.user
    require_right(user, "core.manage_region")
    roots = list(_territory_roots(user))
    if len(roots) == 1:
        return redirect("core:region-detail", code=roots[0].code)
    return render(
        request,
        "core/region_list.html",
        {"regions": roots, "breadcrumbs": _crumbs((_("区划与网格"), ""))},
    )


@login_required
def region_detail(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    require(user, "core.manage_region", region)
    children = list(
        region.children.annotate(
            n_children=Count("children", distinct=True), n_grids=Count("grids", distinct=True)
        ).order_by("code")
    )
    low, high = region.subtree_bounds
    counts = dict(
        Enterprise.objects.for_user(user)
        .filter(region_id__gte=low, region_id__lte=high)
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for child in children:
        c_low, c_high = child.subtree_bounds
        child.n_enterprises = sum(n for code_, n in counts.items() if c_low <= code_ <= c_high)
    crumbs = [
        (a.name, reverse("core:region-detail", args=[a.code]))
        for a in region.ancestors()
        if Region.objects.for_user(user).filter(pk=a.pk).exists()
    ]
    context = {
        "region": region,
        "children": children,
        "grids": region.grids.annotate(
            n_enterprises=Count("enterprises", distinct=True), n_workers=Count("memberships", distinct=True)
        ).order_by("code"),
        "can_add_child": region.level in (Region.Level.COUNTY, Region.Level.TOWN),
        "can_edit": region.level >= Region.Level.TOWN,
        "breadcrumbs": _crumbs((_("区划与网格"), reverse("core:region-list")), *crumbs, (region.name, "")),
    }
    return render(request, "core/region_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def region_create(request, code):
    user = request.user
    parent = selectors.access_region(user, code)
    require(user, "core.manage_region", parent)
    form = RegionForm(request.POST or None, initial={"code": parent.prefix})
    if request.method == "POST" and form.is_valid():
        try:
            region = services.create_region(actor=user, parent_pk=parent.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已新建区划“%(name)s”。") % {"name": region.name})
            return redirect("core:region-detail", code=parent.code)
    context = {
        "form": form,
        "title": _("在“%(name)s”下新建区划") % {"name": parent.name},
        "cancel_url": reverse("core:region-detail", args=[parent.code]),
        "breadcrumbs": _crumbs(
            (_("区划与网格"), reverse("core:region-list")),
            (parent.name, reverse("core:region-detail", args=[parent.code])),
            (_("新建下级区划"), ""),
        ),
    }
    return render(request, "core/simple_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def region_edit(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    require(user, "core.manage_region", region)
    initial = {"name": region.name, "kind": region.kind, "urban_rural_code": region.urban_rural_code}
    form = RegionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_region(actor=user, region_pk=code, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("core:region-detail", code=code)
    context = {
        "form": form,
        "title": _("修改区划“%(name)s”") % {"name": region.name},
        "cancel_url": reverse("core:region-detail", args=[code]),
        "breadcrumbs": _crumbs(
            (_("区划与网格"), reverse("core:region-list")),
            (region.name, reverse("core:region-detail", args=[code])),
            (_("修改"), ""),
        ),
    }
    return render(request, "core/simple_form.html", context)


@login_required
@require_POST
def region_delete(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    parent_code = region.parent_id
    form = ReasonForm(request.POST)
    if not form.is_valid():
        require(user, "core.manage_region", region)
        messages.error(request, _("删除区划必须填写原因。"))
        return redirect("core:region-detail", code=code)
    try:
        services.delete_region(actor=user, region_pk=code, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:region-detail", code=code)
    messages.success(request, _("已删除区划“%(name)s”。") % {"name": region.name})
    return redirect("core:region-detail", code=parent_code)


@login_required
@require_http_methods(["GET", "POST"])
def region_import(request, code):
    """Import towns/streets and villages/communities under this region from an XLSX sheet."""
    user = request.user
    root = selectors.access_region(user, code)
    require(user, "core.manage_region", root)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.import_regions(
            actor=user,
            root=root,
            handle=form.cleaned_data["file"],
            valid_only=form.cleaned_data["valid_only"],
        )
        if report.imported:
            messages.success(request, _("已导入 %(n)d 个区划。") % {"n": report.imported})
    context = {
        "form": form,
        "report": report,
        "region": root,
        "columns": [title for title, _name in imports.REGION_COLUMNS],
        "breadcrumbs": _crumbs(
            (_("区划与网格"), reverse("core:region-list")),
            (root.name, reverse("core:region-detail", args=[code])),
            (_("Excel 导入区划"), ""),
        ),
    }
    return render(request, "core/region_import.html", context)


@login_required
def grid_list(request):
    user = request.user
    require_right(user, "core.manage_grid")
    queryset = (
        Grid.objects.for_user(user, "core.manage_grid")
        .select_related("region__parent")
        .annotate(
            n_enterprises=Count("enterprises", distinct=True), n_workers=Count("memberships", distinct=True)
        )
        .order_by(*Grid._meta.ordering)
    )
    filterset = GridFilter(request.GET or None, queryset=queryset, request=request)
    context = {
        "filter": filterset,
        "page": page_of(request, filtered(filterset), PAGE_SIZE),
        "query": query_without_page(request),
        "breadcrumbs": _crumbs((_("网格"), "")),
    }
    return render(request, "core/grid_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grid_edit(request, pk=None):
    user = request.user
    grid = None
    initial = {"region": request.GET.get("region")}
    if pk is None:
        require_right(user, "core.manage_grid")
    else:
        grid = selectors.access_grid(user, pk)
        require(user, "core.manage_grid", grid)
        initial = {
            "region": grid.region_id,
            "code": grid.code,
            "name": grid.name,
            "description": grid.description,
        }
    form = GridForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_grid(
                actor=user,
                grid_pk=pk,
                region_pk=data["region"].pk,
                code=data["code"],
                name=data["name"],
                description=data["description"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("网格“%(name)s”已保存。") % {"name": saved.name})
            return redirect("core:region-detail", code=saved.region_id)
    context = {
        "form": form,
        "title": _("修改网格") if grid else _("新建网格"),
        "cancel_url": reverse("core:grid-list"),
        "breadcrumbs": _crumbs(
            (_("网格"), reverse("core:grid-list")), (grid.name if grid else _("新建"), "")
        ),
    }
    return render(request, "core/simple_form.html", context)


@login_required
@require_POST
def grid_delete(request, pk):
    user = request.user
    grid = selectors.access_grid(user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        require(user, "core.manage_grid", grid)
        messages.error(request, _("删除网格必须填写原因。"))
        return redirect("core:region-detail", code=grid.region_id)
    try:
        services.delete_grid(actor=user, grid_pk=pk, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除网格“%(name)s”。") % {"name": grid.name})
    return redirect("core:region-detail", code=grid.region_id)


# ---------------------------------------------------------------- departments


@login_required
def department_list(request):
    user = request.user
    require_right(user, "core.manage_department")
    queryset = (
        Department.objects.for_user(user, "core.manage_department")
        .select_related("region")
        .prefetch_related("industries")
        .annotate(n_members=Count("memberships", distinct=True))
        .order_by(*Department._meta.ordering)  # an aggregate drops Meta.ordering
    )
    filterset = DepartmentFilter(request.GET or None, queryset=queryset, request=request)
    context = {
        "filter": filterset,
        "page": page_of(request, filtered(filterset), 50),
        "query": query_without_page(request),
        "breadcrumbs": _crumbs((_("部门（三管三必须）"), "")),
    }
    return render(request, "core/department_list.html", context)


@login_required
def department_detail(request, pk):
    user = request.user
    department = selectors.access_department(user, pk)
    require(user, "core.manage_department", department)
    context = {
        "department": department,
        "industries": department.industries.all(),
        "members": department.memberships.filter(is_active=True).select_related("user"),
        "timeline": audit.timeline(department),
        "breadcrumbs": _crumbs(
            (_("部门（三管三必须）"), reverse("core:department-list")), (department.name, "")
        ),
    }
    return render(request, "core/department_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk=None):
    user = request.user
    department = None
    initial = {"kind": Department.Kind.INDUSTRY, "is_active": True}
    if pk is None:
        require_right(user, "core.manage_department")
    else:
        department = selectors.access_department(user, pk)
        require(user, "core.manage_department", department)
        initial = {
            "region": department.region_id,
            "name": department.name,
            "short_name": department.short_name,
            "kind": department.kind,
            "phone": department.phone,
            "industries": list(department.industries.values_list("pk", flat=True)),
            "is_active": department.is_active,
        }
    form = DepartmentForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_department(
                actor=user,
                department_pk=pk,
                region_pk=data["region"].pk,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                phone=data["phone"],
                industries=data["industries"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("部门“%(name)s”已保存。") % {"name": saved.name})
            return redirect("core:department-detail", pk=saved.pk)
    context = {
        "form": form,
        "title": _("修改部门") if department else _("新建部门"),
        "cancel_url": reverse("core:department-list"),
        "breadcrumbs": _crumbs(
            (_("部门（三管三必须）"), reverse("core:department-list")),
            (department.name if department else _("新建"), ""),
        ),
    }
    return render(request, "core/simple_form.html", context)
