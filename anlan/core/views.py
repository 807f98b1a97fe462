"""Pages of the core registry. Views parse input, call one service and render; rules live below them.

Form pages, POST actions and lists go through `core.entry` (the one way every module writes them).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, exporting, importing, imports, jobs, pickers, selectors, services
from .contract import registry
from .entry import crumbs, done, form_page, list_page, post_action, transition_view
from .errors import DomainError
from .filters import DepartmentFilter, EnterpriseFilter, GridFilter
from .forms import (
    DepartmentForm,
    EnterpriseForm,
    EnterpriseStatusForm,
    GridForm,
    ImportForm,
    LicenceChangeForm,
    LicenceForm,
    ReasonForm,
    RegionEditForm,
    RegionForm,
)
from .models import Department, Job, Licence, LicenceChange, PrincipalBar, Region
from .paging import page_of
from .permissions import can, has_right, require, require_right

# ---------------------------------------------------------------- home


@login_required
def home(request):
    """工作台: what the user has to do today (待办 from every module), the tasks they start from nothing, the
    indicators, and the blocks of the home page their role may see (contract.HomeSection)."""
    user = request.user
    todos = selectors.todos(user)
    context = {
        "shortcuts": selectors.shortcuts(user),
        "todos": todos,
        "todo_total": sum(group.value for group in todos),
        "indicators": selectors.home_indicators(user),
        "top_sections": selectors.home_sections(user, top=True),
        "sections": selectors.home_sections(user, top=False),
        "today": timezone.localdate(),
    }
    return render(request, "core/home.html", context)


@login_required
def todo_count(request):
    """The header's 待办 badge, loaded after the page (it counts every module's to-dos)."""
    return render(request, "core/_todo_count.html", {"todo_total": selectors.todo_total(request.user)})


# ---------------------------------------------------------------- enterprises


def _enterprises_crumb():
    return (_("生产经营单位"), reverse("core:enterprise-list"))


def _enterprise_crumbs(enterprise, *tail):
    return crumbs(
        _enterprises_crumb(),
        (enterprise.name, reverse("core:enterprise-detail", args=[enterprise.pk])),
        *tail,
    )


@login_required
def enterprise_list(request):
    user = request.user
    return list_page(
        request,
        queryset=selectors.with_contact_visibility(selectors.enterprise_list(user), user),
        filterset_class=EnterpriseFilter,
        template="core/enterprise_list.html",
        fragment="core/_enterprise_table.html",
        context={
            "can_add": has_right(user, "core.add_enterprise"),
            "can_import": has_right(user, "core.import_enterprise"),
            "can_export": has_right(user, "core.export_enterprise"),
            "industries": selectors.industry_tree(),
            "breadcrumbs": crumbs((_("生产经营单位"), "")),
        },
    )


@login_required
@require_http_methods(["GET"])
def enterprise_search(request):
    """`?q=`: the type-ahead pickers' choices, from the user's scope only (JSON for core/picker.js)."""
    choices = selectors.enterprise_choices(request.user, request.GET.get("q", ""))
    return JsonResponse({"results": [pickers.enterprise_choice(e) for e in choices]})


@login_required
def enterprise_detail(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    licence_history = Licence.history.model.objects.filter(enterprise_id=enterprise.pk)
    change_history = LicenceChange.history.model.objects.filter(enterprise_id=enterprise.pk)
    targets = selectors.enterprise_status_targets(user, enterprise)
    context = {
        "enterprise": enterprise,
        "licences": list(enterprise.licences.all()),
        "other_industries": enterprise.other_industries.all(),
        "contact_visible": can(user, "core.view_contact", enterprise),
        "can_change": can(user, "core.change_enterprise", enterprise),
        "can_change_status": bool(targets),
        "can_manage_licences": can(user, "core.manage_licence", enterprise),
        "can_propose_licences": can(user, "core.propose_licence", enterprise),
        "licence_changes": list(
            LicenceChange.objects.for_user(user)
            .filter(enterprise=enterprise)
            .order_by("-proposed_at", "-id")[:10]
        ),
        "timeline": audit.timeline(
            enterprise,
            [
                (licence_history, Licence, _("证照") + " {record.number}"),
                (change_history, LicenceChange, _("证照变更申请") + " {record.number}"),
            ],
        ),
        "status_form": EnterpriseStatusForm(
            initial={"status": targets[0] if targets else ""}, targets=targets
        ),
        "today": timezone.localdate(),
        # 主要负责人任职禁止 in force or to come (安全生产法 第一百一十三条), for supervisors (PrincipalBar's scope).
        "principal_bar": PrincipalBar.objects.for_user(user)
        .filter(person_id=enterprise.principal_id, ends_on__gte=timezone.localdate())
        .order_by("-ends_on")
        .first()
        if enterprise.principal_id
        else None,
        "panels": [
            panel for panel in registry().panels if panel.right is None or has_right(user, panel.right)
        ],
        "breadcrumbs": crumbs(_enterprises_crumb(), (enterprise.name, "")),
    }
    return render(request, "core/enterprise_detail.html", context)


def _detail_url(pk) -> str:
    return reverse("core:enterprise-detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    user = request.user
    require_right(user, "core.add_enterprise")

    def create(data):
        fields = {k: v for k, v in data.items() if k != "other_industries"}
        enterprise = services.create_enterprise(
            actor=user, data=fields, other_industries=data["other_industries"]
        )
        messages.success(request, _("已登记生产经营单位“%(name)s”。") % {"name": enterprise.name})
        return enterprise

    return form_page(
        request,
        form=EnterpriseForm(request.POST or None, user=user),
        call=create,
        success_url=lambda enterprise: _detail_url(enterprise.pk),
        template="core/enterprise_form.html",
        context={
            "title": _("登记生产经营单位"),
            "breadcrumbs": crumbs(_enterprises_crumb(), (_("登记"), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.change_enterprise", enterprise)
    self_service = not can(user, "core.change_enterprise_status", enterprise)

    def update(data):
        return services.update_enterprise(
            actor=user,
            enterprise_pk=pk,
            data={k: v for k, v in data.items() if k != "other_industries"},
            other_industries=data.get("other_industries") if not self_service else None,
            reason=request.POST.get("reason", ""),
        )

    return form_page(
        request,
        form=EnterpriseForm(request.POST or None, instance=enterprise, user=user, self_service=self_service),
        call=update,
        success_url=_detail_url(pk),
        template="core/enterprise_form.html",
        message=_("已保存修改。"),
        context={
            "enterprise": enterprise,
            "title": _("修改生产经营单位"),
            "with_reason": True,
            "breadcrumbs": _enterprise_crumbs(enterprise, (_("修改"), "")),
        },
    )


@login_required
@require_POST
def enterprise_status(request, pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.change_enterprise_status", enterprise)
    return post_action(
        request,
        form=EnterpriseStatusForm(request.POST),
        call=lambda data: services.change_enterprise_status(
            actor=user, enterprise_pk=pk, status=data["status"], reason=data["reason"]
        ),
        back=_detail_url(pk),
        message=_("经营状态已变更。"),
    )


@login_required
def enterprise_export(request):
    """The ledger now, or as a background job when it is large (core/exporting.py)."""
    return exporting.export(request, "enterprises")


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    user = request.user
    require_right(user, "core.import_enterprise")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        result = importing.submit(
            request, "enterprises", form.cleaned_data["file"], valid_only=form.cleaned_data["valid_only"]
        )
        context = importing.shown(request, result, imported=_("已导入 %(n)d 家生产经营单位。"))
        if context is None:  # a large file: its job's page reports
            return redirect("core:job-detail", pk=result.pk)
    context |= {"form": form, "breadcrumbs": crumbs(_enterprises_crumb(), (_("Excel 导入"), ""))}
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
    require(user, "core.manage_licence", enterprise)
    licence = None
    if licence_pk is not None:
        licence = selectors.access(Licence.objects.filter(enterprise=enterprise), user, licence_pk)
    return form_page(
        request,
        form=LicenceForm(request.POST or None, instance=licence),
        call=lambda data: services.save_licence(
            actor=user, enterprise_pk=pk, licence_pk=licence_pk, data=data
        ),
        success_url=_detail_url(pk),
        template="core/simple_form.html",
        message=_("证照已保存。"),
        context={
            "title": _("证照"),
            "cancel_url": _detail_url(pk),
            "breadcrumbs": _enterprise_crumbs(enterprise, (_("证照"), "")),
        },
    )


@login_required
@require_POST
def licence_delete(request, pk, licence_pk):
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)  # out of scope is 404 even when the form is incomplete
    require(user, "core.manage_licence", enterprise)
    return post_action(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: services.delete_licence(
            actor=user, enterprise_pk=pk, licence_pk=licence_pk, reason=data["reason"]
        ),
        back=_detail_url(pk),
        message=_("证照已删除。"),
        invalid=_("删除证照必须填写原因。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence_propose(request, pk):
    """An enterprise proposes a licence change; its supervisors accept or refuse it (`licence_change_step`)."""
    user = request.user
    enterprise = selectors.access_enterprise(user, pk)
    require(user, "core.propose_licence", enterprise)
    form = LicenceChangeForm(request.POST or None, enterprise=enterprise)

    def call(data):
        licence = data.pop("licence")
        return services.propose_licence_change(
            actor=user, enterprise_pk=pk, data=data, licence_pk=licence.pk if licence else None
        )

    return form_page(
        request,
        form=form,
        call=call,
        success_url=_detail_url(pk),
        template="core/simple_form.html",
        message=_("证照变更申请已提交，待监管部门确认。"),
        context={
            "title": _("申请变更证照"),
            "cancel_url": _detail_url(pk),
            "breadcrumbs": _enterprise_crumbs(enterprise, (_("申请变更证照"), "")),
        },
    )


# 采纳 and 不予采纳 from LicenceChange.TRANSITIONS: one URL each (`licence-change-accept`, `-refuse`).
licence_change_step = transition_view(
    access=selectors.access_licence_change,
    table=LicenceChange.TRANSITIONS,
    perform=lambda user, change, transition, data: services.decide_licence_change(
        actor=user, change_pk=change.pk, accept=transition.name == "accept", reason=data.get("reason", "")
    ),
    detail_url=lambda change: _detail_url(change.enterprise_id),
)


# ---------------------------------------------------------------- regions and grids


def _regions_crumb():
    return (_("区划与网格"), reverse("core:region-list"))


def _region_url(code) -> str:
    return reverse("core:region-detail", args=[code])


@login_required
def region_list(request):
    user = request.user
    require_right(user, "core.manage_region")
    roots = selectors.managed_region_roots(user)
    if len(roots) == 1:
        return redirect("core:region-detail", code=roots[0].code)
    return render(
        request,
        "core/region_list.html",
        {"regions": roots, "breadcrumbs": crumbs((_("区划与网格"), ""))},
    )


@login_required
def region_detail(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    require(user, "core.manage_region", region)
    ancestors = [(a.name, _region_url(a.code)) for a in selectors.breadcrumb_ancestors(user, region)]
    context = {
        "region": region,
        "children": selectors.child_regions(user, region),
        "grids": selectors.with_grid_counts(region.grids.all()).order_by("code"),
        "can_add_child": region.level in (Region.Level.COUNTY, Region.Level.TOWN),
        "can_edit": region.level >= Region.Level.TOWN,
        "breadcrumbs": crumbs(_regions_crumb(), *ancestors, (region.name, "")),
    }
    return render(request, "core/region_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def region_create(request, code):
    user = request.user
    parent = selectors.access_region(user, code)
    require(user, "core.manage_region", parent)

    def create(data):
        region = services.create_region(actor=user, parent_pk=parent.pk, **data)
        messages.success(request, _("已新建区划“%(name)s”。") % {"name": region.name})
        return region

    return form_page(
        request,
        form=RegionForm(request.POST or None, initial={"code": parent.prefix}),
        call=create,
        success_url=_region_url(parent.code),
        template="core/simple_form.html",
        context={
            "title": _("在“%(name)s”下新建区划") % {"name": parent.name},
            "cancel_url": _region_url(parent.code),
            "breadcrumbs": crumbs(
                _regions_crumb(), (parent.name, _region_url(parent.code)), (_("新建下级区划"), "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def region_edit(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    require(user, "core.manage_region", region)
    initial = {"name": region.name, "kind": region.kind, "urban_rural_code": region.urban_rural_code}
    return form_page(
        request,
        form=RegionEditForm(request.POST or None, initial=initial),
        call=lambda data: services.update_region(actor=user, region_pk=code, **data),
        success_url=_region_url(code),
        template="core/simple_form.html",
        message=_("已保存修改。"),
        context={
            "title": _("修改区划“%(name)s”") % {"name": region.name},
            "cancel_url": _region_url(code),
            "breadcrumbs": crumbs(_regions_crumb(), (region.name, _region_url(code)), (_("修改"), "")),
        },
    )


@login_required
@require_POST
def region_delete(request, code):
    user = request.user
    region = selectors.access_region(user, code)
    require(user, "core.manage_region", region)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("删除区划必须填写原因。"))
        return redirect(_region_url(code))
    try:
        services.delete_region(actor=user, region_pk=code, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_region_url(code))
    # Back to the parent: the region's own page is gone.
    return done(request, _region_url(region.parent_id), _("已删除区划“%(name)s”。") % {"name": region.name})


@login_required
@require_http_methods(["GET", "POST"])
def region_import(request, code):
    """Import towns/streets and villages/communities under this region from an XLSX sheet."""
    user = request.user
    root = selectors.access_region(user, code)
    require(user, "core.manage_region", root)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {}
    if request.method == "POST" and form.is_valid():
        result = importing.submit(
            request,
            "regions",
            form.cleaned_data["file"],
            valid_only=form.cleaned_data["valid_only"],
            root=root.code,
        )
        context = importing.shown(request, result, imported=_("已导入 %(n)d 个区划。"))
        if context is None:
            return redirect("core:job-detail", pk=result.pk)
    context |= {
        "form": form,
        "region": root,
        "columns": [title for title, _name in imports.REGION_COLUMNS],
        "breadcrumbs": crumbs(_regions_crumb(), (root.name, _region_url(code)), (_("Excel 导入区划"), "")),
    }
    return render(request, "core/region_import.html", context)


@login_required
def grid_list(request):
    user = request.user
    require_right(user, "core.manage_grid")
    queryset = selectors.grid_list(user)
    return list_page(
        request,
        queryset=queryset,
        filterset_class=GridFilter,
        template="core/grid_list.html",
        fragment="core/grid_list.html",
        context={"breadcrumbs": crumbs((_("网格"), ""))},
    )


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

    def save(data):
        saved = services.save_grid(
            actor=user,
            grid_pk=pk,
            region_pk=data["region"].pk,
            code=data["code"],
            name=data["name"],
            description=data["description"],
        )
        messages.success(request, _("网格“%(name)s”已保存。") % {"name": saved.name})
        return saved

    return form_page(
        request,
        form=GridForm(request.POST or None, initial=initial, user=user),
        call=save,
        success_url=lambda saved: _region_url(saved.region_id),
        template="core/simple_form.html",
        context={
            "title": _("修改网格") if grid else _("新建网格"),
            "cancel_url": reverse("core:grid-list"),
            "breadcrumbs": crumbs(
                (_("网格"), reverse("core:grid-list")), (grid.name if grid else _("新建"), "")
            ),
        },
    )


@login_required
@require_POST
def grid_delete(request, pk):
    user = request.user
    grid = selectors.access_grid(user, pk)
    require(user, "core.manage_grid", grid)
    return post_action(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: services.delete_grid(actor=user, grid_pk=pk, reason=data["reason"]),
        back=_region_url(grid.region_id),
        message=_("已删除网格“%(name)s”。") % {"name": grid.name},
        invalid=_("删除网格必须填写原因。"),
    )


# ---------------------------------------------------------------- departments


def _departments_crumb():
    return (_("部门（三管三必须）"), reverse("core:department-list"))


@login_required
def department_list(request):
    user = request.user
    require_right(user, "core.manage_department")
    queryset = selectors.department_list(user)
    return list_page(
        request,
        queryset=queryset,
        filterset_class=DepartmentFilter,
        template="core/department_list.html",
        fragment="core/department_list.html",
        context={"breadcrumbs": crumbs((_("部门（三管三必须）"), ""))},
        per_page=50,
    )


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
        "breadcrumbs": crumbs(_departments_crumb(), (department.name, "")),
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

    def save(data):
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
        messages.success(request, _("部门“%(name)s”已保存。") % {"name": saved.name})
        return saved

    return form_page(
        request,
        form=DepartmentForm(request.POST or None, initial=initial, user=user),
        call=save,
        success_url=lambda saved: reverse("core:department-detail", args=[saved.pk]),
        template="core/simple_form.html",
        context={
            "title": _("修改部门") if department else _("新建部门"),
            "cancel_url": reverse("core:department-list"),
            "breadcrumbs": crumbs(_departments_crumb(), (department.name if department else _("新建"), "")),
        },
    )


# ---------------------------------------------------------------- background jobs


def _own_job(user, pk: int) -> Job:
    """A job is its owner's alone: anyone else (administrators included) gets 404."""
    return get_object_or_404(Job.objects.filter(owner=user), pk=pk)


@login_required
def job_list(request):
    page = page_of(request, Job.objects.filter(owner=request.user).order_by("-created_at", "-pk"), 20)
    context = {"page": page, "breadcrumbs": crumbs((_("我的后台任务"), ""))}
    return render(request, "core/job_list.html", context)


@login_required
def job_detail(request, pk):
    job = jobs.live(_own_job(request.user, pk))
    template = "core/_job_progress.html" if getattr(request, "htmx", False) else "core/job_detail.html"
    spec = jobs.kinds().get(job.kind)
    context = {
        "now": timezone.now(),
        "outcome_template": spec.template if spec and job.is_finished else "",
        **(importing.outcome_context(job) if job.kind == importing.KIND else {"job": job}),
        "breadcrumbs": crumbs((_("我的后台任务"), reverse("core:job-list")), (job.label, "")),
    }
    return render(request, template, context)


@login_required
@require_POST
def job_import_valid_rows(request, pk):
    """The second step of an import with faulty rows: the valid rows of the file the job checked."""
    return _next_import_step(request, pk, importing.import_valid_rows, _("已导入 %(n)d 行。"))


@login_required
@require_POST
def job_confirm_updates(request, pk):
    """确认更新: apply the updates an import listed, as their diffs were shown (core/importing.py)."""
    return _next_import_step(request, pk, importing.confirm_updates, "")


def _next_import_step(request, pk, step, imported: str):
    """A next step over the file an import job kept, as a new job (run at once when the file is small)."""
    job = _own_job(request.user, pk)
    try:
        following = step(request.user, job.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:job-detail", pk=job.pk)
    importing.shown(request, following, imported=imported)
    return redirect("core:job-detail", pk=following.pk)


@login_required
def job_download(request, pk):
    job = _own_job(request.user, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404(_("该任务没有可下载的文件。"))
    if job.expires_at and job.expires_at <= timezone.now():
        raise Http404(_("下载文件已过期，请重新导出。"))
    return FileResponse(default_storage.open(job.result_file), as_attachment=True, filename=job.result_name)
