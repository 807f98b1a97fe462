"""Ledger exports through the contract: small ones download at once, large ones run as background jobs.

A module declares its ledger with `c.ledger(name, "app.exports.build", right, title)`; `build(user, params)`
returns a `core.exports.Ledger` scoped to the user and filtered by the request's query parameters. Its
export view calls `export(request, name)`: up to ANLAN_EXPORT_JOB_ROWS rows come back in the response; more
become a job of kind `core.export` that rebuilds the same ledger in the worker for the same user (the right
is checked again there) and leaves a file only that user may download, for ANLAN_JOB_RESULT_HOURS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import contract, exports, jobs
from .errors import DomainError
from .permissions import has_right, require_right


def ledger_spec(name: str) -> contract.LedgerSpec:
    return contract.registry().ledgers[name]


def export(request, name: str):
    """The export view's answer: the file now, or a job and a redirect to its page."""
    spec = ledger_spec(name)
    user = request.user
    require_right(user, spec.right)
    ledger = import_string(spec.path)(user, request.GET)
    rows = ledger.count()
    if rows <= settings.ANLAN_EXPORT_JOB_ROWS:
        return exports.xlsx_response(ledger)
    job = jobs.enqueue(
        "core.export",
        owner=user,
        label=_("导出%(title)s（%(rows)d 行）") % {"title": spec.title, "rows": rows},
        params={"ledger": name, "query": request.GET.urlencode(), "rows": rows},
    )
    messages.info(
        request,
        _("共 %(rows)d 行，已转入后台导出；完成后可在此页下载，也会收到消息通知。") % {"rows": rows},
    )
    return redirect("core:job-detail", pk=job.pk)


def run_export(run: jobs.JobRun) -> dict:
    """Job kind `core.export` (declared in apps.py): write the ledger for the job's owner, reporting progress row by row."""
    spec = ledger_spec(run.params["ledger"])
    owner = run.owner
    if owner is None or not owner.is_active or not has_right(owner, spec.right):
        raise DomainError("export_right_lost", _("您已没有导出该台账的权限，导出未进行。"))
    ledger = import_string(spec.path)(owner, QueryDict(run.params.get("query", "")))
    total = ledger.count()
    run.progress(0, total, force=True)
    with run.result_file(ledger.filename()) as handle:
        written = exports.write_xlsx(ledger, handle, progress=lambda done: run.progress(done, total))
    run.progress(written, total, force=True)
    return {"rows": written}
