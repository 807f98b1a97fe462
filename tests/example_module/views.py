"""Pages of the example module, written with the kernel's entry helpers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from anlan.core.entry import crumbs
from anlan.core.models import Enterprise
from anlan.core.permissions import require_right

from . import selectors


@login_required
def hydrant_list(request):
    require_right(request.user, "example_module.check_hydrants")
    rows = selectors.hydrants_to_check(request.user).order_by("name")
    context = {"rows": rows, "breadcrumbs": crumbs(("消防栓巡检", ""))}
    return render(request, "example_module/hydrant_list.html", context)


@login_required
def enterprise_panel(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.for_user(request.user), pk=pk)
    return render(request, "example_module/_panel.html", {"enterprise": enterprise})
