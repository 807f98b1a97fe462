"""XLSX imports through the contract: a small file is imported in the request, a large one by a background job.

A module declares its import with `c.importer(name, "app.imports.run", right, title)`; the import view calls
`submit(request, name, upload, valid_only=…, **params)`. Every upload is stored and imported as a job of kind
`core.import`, so small and large files give the same report, error workbook and next steps: a file of up
to ANLAN_IMPORT_JOB_ROWS rows runs at once in the request (`jobs.run_here`); a larger one is queued, and the
worker runs the same importer for the same user (the right is checked again there) in one transaction, so
nothing is half-imported, and reports its progress row by row. (On SQLite, whose single write lock one long
transaction would hold against every other user, it checks the whole file first and then imports it in
short committed chunks: see `imports.run_rows`.) The job's page shows the report; its result
file is the uploaded sheet with each row's problems beside it, and while the file is kept (until the job
expires) the owner may ask for its valid rows only, or confirm the updates it listed (`confirm_updates`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import contract, imports, jobs
from .errors import DomainError
from .imports import FileProblem, ImportReport
from .models import Job
from .permissions import has_right, require_right

KIND = "core.import"
# On SQLite a job imports this many rows per transaction (core/imports.py, run_rows): one writer at a time.
SQLITE_CHUNK_ROWS = 100
# A job's page lists this many problems; all of them are in its result workbook.
LISTED_PROBLEMS = 500


def importer_spec(name: str) -> contract.ImporterSpec:
    return contract.registry().importers[name]


def submit(request, name: str, upload, *, valid_only: bool, **params) -> ImportReport | Job:
    """Import `upload` as a job: at once when it is small (the job is returned finished), else queued.

    Either way the upload is kept while a next step may need it (its valid rows only, the confirmation of
    its updates) and the result file is the uploaded sheet with each row's problems marked, so both sizes
    give the same report, download and buttons. A file that cannot be read returns its report at once."""
    spec = importer_spec(name)
    user = request.user
    require_right(user, spec.right)
    try:
        rows = imports.count_rows(upload, limit=settings.ANLAN_IMPORT_JOB_ROWS)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))
    upload.seek(0)
    stored = default_storage.save(f"imports/{get_random_string(16)}.xlsx", upload)
    here = rows <= settings.ANLAN_IMPORT_JOB_ROWS
    job = start(
        user,
        spec,
        stored,
        filename=upload.name,
        valid_only=valid_only,
        params=params,
        page=request.path,
        here=here,
    )
    if not here:
        messages.info(
            request,
            _("文件超过 %(n)d 行，已转入后台导入；完成后可在此页查看校验结果，也会收到消息通知。")
            % {"n": settings.ANLAN_IMPORT_JOB_ROWS},
        )
    return job


def start(
    user,
    spec: contract.ImporterSpec,
    stored: str,
    *,
    filename: str,
    valid_only: bool,
    params: dict,
    page: str = "",
    here: bool = False,
    confirm: dict | None = None,
) -> Job:
    """Queue the import of the stored file `stored`, or with `here` run it now; `page` is the import page,
    offered again on the job's; `confirm` (the diffs the user confirmed, by row number) applies updates."""
    label = _("导入%(title)s：%(file)s") % {"title": spec.title, "file": Path(filename).name}
    if confirm is not None:
        label = _("确认更新%(title)s：%(file)s") % {"title": spec.title, "file": Path(filename).name}
    elif valid_only:
        label += _("（只导入校验通过的行）")
    job_params = {
        "importer": spec.name,
        "inputs": [stored],
        "filename": Path(filename).name[:120],
        "valid_only": valid_only,
        "extra": params,
        "page": page,
        "here": here,
    }
    if confirm is not None:
        job_params["confirm"] = confirm
    return jobs.start(KIND, here=here, owner=user, label=label, params=job_params)


def run_import(run: jobs.JobRun) -> dict:
    """Job kind `core.import` (declared in apps.py): the importer over the stored file, for the job's owner."""
    spec = importer_spec(run.params["importer"])
    owner = run.owner
    if owner is None or not owner.is_active or not has_right(owner, spec.right):
        raise DomainError("import_right_lost", _("您已没有该导入的权限，导入未进行。"))
    stored = run.params["inputs"][0]
    if not default_storage.exists(stored):
        raise DomainError("import_file_gone", _("上传的文件已不存在，请重新上传。"))
    run.progress(0, None, force=True)
    extra = dict(run.params.get("extra", {}))
    if "confirm" in run.params:
        extra["confirm"] = run.params["confirm"]
    # In a request the file is small: one transaction, as SQLite's lock is held only for a moment.
    chunked = connection.vendor == "sqlite" and not run.params.get("here")
    with default_storage.open(stored) as handle:
        report = import_string(spec.path)(
            actor=owner,
            handle=handle,
            valid_only=run.params.get("valid_only", False) or "confirm" in run.params,
            # The last row's report is forced: a run the reaper gave up rolls back instead of committing.
            progress=lambda done, total: run.progress(done, total, force=done == total),
            chunk=SQLITE_CHUNK_ROWS if chunked else None,
            **extra,
        )
        if report.errors:
            name = f"{Path(run.params['filename']).stem}-{_('错误报告')}.xlsx"
            with run.result_file(name) as out:
                imports.write_annotated(handle, report, out)
    run.progress(report.total, report.total, force=True)
    if not (may_import_valid_rows(report) or report.confirmable):
        default_storage.delete(stored)
        _forget_input(run.job)
    return report.as_dict(limit=LISTED_PROBLEMS)


def _forget_input(job: Job) -> None:
    """The job no longer keeps its uploaded file (deleted, or handed to the job importing its valid rows)."""
    job.params = {**job.params, "inputs": []}
    Job.objects.filter(pk=job.pk).update(params=job.params)


def may_import_valid_rows(report: ImportReport) -> bool:
    """A checked file that imported nothing for its faulty rows may be imported again, valid rows only."""
    return (
        bool(report.errors)
        and not (report.imported or report.updated or report.valid_only)
        and report.valid > 0
        and not report.file_error
    )


def report_of(job: Job) -> ImportReport | None:
    if job.kind != KIND or job.status != Job.Status.SUCCEEDED:
        return None
    return ImportReport.from_dict(job.result)


def outcome_context(job: Job) -> dict:
    """What an import's page and its job's page show of a finished import: the report, and which next
    steps the kept upload still allows."""
    report = report_of(job)
    kept = bool(job.params.get("inputs"))
    return {
        "job": job,
        "report": report,
        "repeatable": bool(report and may_import_valid_rows(report) and kept),
        "confirmable": bool(report and report.confirmable and kept),
        "outcome_template": jobs.kinds()[KIND].template if job.is_finished else "",
        "now": timezone.now(),
    }


@transaction.atomic
def import_valid_rows(user, job_pk: int) -> Job:
    """A new job importing only the valid rows of job `job_pk`'s file, which it hands over (the owner's own
    job; the row is locked, so a second click finds the file gone)."""
    job, report, stored = _take_input(user, job_pk, may_import_valid_rows)
    return _again(user, job, report, stored, valid_only=True)


@transaction.atomic
def confirm_updates(user, job_pk: int) -> Job:
    """A new job applying the updates job `job_pk` listed, as the user saw them: its file is read and checked
    again, and a record changed since is shown again instead of overwritten. Once: the file is handed over."""
    job, report, stored = _take_input(user, job_pk, lambda r: r.confirmable)
    confirm = {str(update.row): update.changes for update in report.updates}
    return _again(user, job, report, stored, valid_only=True, confirm=confirm)


def _take_input(user, job_pk: int, allowed) -> tuple[Job, ImportReport, str]:
    job = Job.objects.select_for_update().get(pk=job_pk, owner=user)
    report = report_of(job)
    inputs = job.params.get("inputs", [])
    if report is None or not allowed(report) or not inputs or not default_storage.exists(inputs[0]):
        raise DomainError("import_not_repeatable", _("该导入的文件已不可再用，请重新上传。"))
    require_right(user, importer_spec(job.params["importer"]).right)
    _forget_input(job)
    return job, report, inputs[0]


def _again(user, job: Job, report: ImportReport, stored: str, **options) -> Job:
    """The next step over the file `job` kept, run now when it is small, as its first step was."""
    return start(
        user,
        importer_spec(job.params["importer"]),
        stored,
        filename=job.params["filename"],
        params=job.params.get("extra", {}),
        page=job.params.get("page", ""),
        here=report.total <= settings.ANLAN_IMPORT_JOB_ROWS,
        **options,
    )


def shown(request, result: ImportReport | Job, *, imported: str) -> dict | None:
    """What an import page shows after `submit`: a report, or the finished job's outcome (with the message
    `imported`, formatted with the rows imported as n); None for a queued job, whose own page reports."""
    if isinstance(result, ImportReport):
        return {"report": result}
    if not result.is_finished:
        return None
    context = outcome_context(result)
    report = context["report"]
    if result.status == Job.Status.FAILED:
        messages.error(request, result.error)
    elif report and report.imported:
        messages.success(request, imported % {"n": report.imported})
    if report and report.updated:
        messages.success(request, _("已更新 %(n)d 条记录。") % {"n": report.updated})
    return context
