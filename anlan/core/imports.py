"""XLSX import of enterprises and regions with a per-row error report, and the report as a workbook.

Every row goes through the same form and the same service as a hand-entered record, each in a savepoint.
Unless the user chose to import only the valid rows, one bad row rolls the whole file back: nothing is
imported until the file is clean. Every import runs as a job (core/importing.py: in the request when the
file is small), whose result file is the uploaded sheet with each row's problems beside it.

A row whose key names a record the user may edit is an update: its diff (`RowUpdate`) is listed and applied
through the record's edit service only when the user confirms it, and only if the diff is still the one
shown (`update_outcome`). Blank cells of such a row keep the current values.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import exports, rules, services
from .audit import display_value, record_text
from .errors import DomainError
from .forms import EnterpriseForm
from .models import Enterprise, Grid, Industry, Region
from .permissions import can

# Column title → form field. Titles marked * are required.
COLUMNS: list[tuple[str, str]] = [
    ("统一社会信用代码*", "uscc"),
    ("单位名称*", "name"),
    ("所属区划代码*", "region"),
    ("主行业领域*", "industry"),
    ("生产经营地址", "address"),
    ("规模", "scale"),
    ("从业人员数", "employees"),
    ("法定代表人", "legal_representative"),
    ("主要负责人*", "principal"),
    ("主要负责人居民身份证号码*", "principal_id_number"),
    ("主要负责人电话", "principal_phone"),
    ("安全管理人员", "safety_manager"),
    ("安全管理人员电话", "safety_manager_phone"),
    ("重大危险源", "has_major_hazard_source"),
    ("人员密集场所", "is_crowded_place"),
    ("经度", "longitude"),
    ("纬度", "latitude"),
    ("网格编号", "grid"),
]
# The example row's 主要负责人: a made-up number with a valid check character (GB 11643-1999).
EXAMPLE_ID_NUMBER = "34112219800101001" + rules.id_number_check_character("34112219800101001")
REQUIRED = [title for title, _f in COLUMNS if title.endswith("*")]
TITLE_OF = {name: title for title, name in COLUMNS}
# Bounds of a sheet, checked while it is read (the templates have at most 18 columns).
MAX_COLUMNS = 64
MAX_UNPACKED_FACTOR = 10  # an .xlsx unpacks to at most this many times ANLAN_IMPORT_MAX_BYTES
# 是/否 columns take exactly 是 or 否 (or blank for 否): "有", "Y", "1" are errors, not silently 是.
YES = {"是"}
NO = {"否", ""}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowUpdate:
    """A row whose key names a record the user may edit and whose values differ from it: shown as a diff
    (column title, current value, value in the file, both as the user reads them) and applied only when the
    user confirms. `note` says why a row confirmed earlier is shown again."""

    row: int
    label: str
    changes: list[list[str]]
    note: str = ""


# What an importer's row function returns besides its problems: the row's outcome.
NEW = "new"  # a new record was registered (an empty list of problems says the same)
APPLIED = "applied"  # a confirmed update was written
UNCHANGED = "unchanged"  # the key names a record equal to the row
SKIPPED = "skipped"  # outside what was asked for (a new row while confirming updates)


@dataclass
class ImportReport:
    total: int = 0
    valid: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    updated: int = 0
    unchanged: int = 0
    updates: list[RowUpdate] = field(default_factory=list)  # the diffs awaiting confirmation
    valid_only: bool = False

    error_row_count: int | None = None  # set when `errors` was cut short (a report read back from a job)

    @property
    def error_rows(self) -> int:
        if self.error_row_count is not None:
            return self.error_row_count
        return len({e.row for e in self.errors})

    @property
    def listed_all(self) -> bool:
        return self.error_row_count is None or len({e.row for e in self.errors}) == self.error_row_count

    def as_dict(self, *, limit: int = 0) -> dict:
        """The report as JSON for a job's result; `limit` > 0 keeps only that many problems."""
        errors = self.errors[:limit] if limit else self.errors
        return {
            "total": self.total,
            "valid": self.valid,
            "imported": self.imported,
            "error_rows": self.error_rows,
            "file_error": self.file_error,
            "errors": [[e.row, e.column, e.message] for e in errors],
            "updated": self.updated,
            "unchanged": self.unchanged,
            "updates": [[u.row, u.label, u.changes, u.note] for u in self.updates],
            "valid_only": self.valid_only,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        return cls(
            total=data.get("total", 0),
            valid=data.get("valid", 0),
            imported=data.get("imported", 0),
            errors=[RowError(row, column, message) for row, column, message in data.get("errors", [])],
            file_error=data.get("file_error", ""),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            updates=[RowUpdate(*update) for update in data.get("updates", [])],
            valid_only=data.get("valid_only", False),
            error_row_count=data.get("error_rows", 0),
        )

    @property
    def confirmable(self) -> bool:
        """Updates wait for confirmation, and the rest of the file went in (clean, or its valid rows asked)."""
        return bool(self.updates) and not self.file_error and (not self.errors or self.valid_only)


class FileProblem(Exception):
    pass


def _unpacked_size(handle) -> int | None:
    """The total unpacked size of an .xlsx (a zip) from its directory, without unpacking; None if no zip."""
    try:
        with zipfile.ZipFile(handle) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        handle.seek(0)


def _is_blank(values) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def read_rows(handle, columns: list[tuple[str, str]] = COLUMNS) -> list[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty row; a missing column is a file problem.

    Bounded before and while reading, whatever the file declares (its dimension may claim A1:XFD1048576):
    the unpacked size (MAX_UNPACKED_FACTOR × ANLAN_IMPORT_MAX_BYTES), ANLAN_IMPORT_MAX_ROWS rows below the
    header (blank rows between them count) and MAX_COLUMNS columns. Rows are read as stored (read-only mode,
    declared dimension ignored) and reading stops at the first row past the limit, so the work is bounded by
    the limits, not by what the file claims.
    """
    workbook = _open(handle)
    try:
        return _bounded_rows(workbook.worksheets[0], columns)
    finally:
        workbook.close()


def count_rows(handle, limit: int) -> int:
    """How many non-empty rows the first sheet has below its header, counting no further than `limit` + 1."""
    workbook = _open(handle)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_row=settings.ANLAN_IMPORT_MAX_ROWS + 2)
        next(rows, None)
        counted = 0
        for values in rows:
            if values and not _is_blank(values[:MAX_COLUMNS]):
                counted += 1
                if counted > limit:
                    break
        return counted
    finally:
        workbook.close()
        handle.seek(0)


def _open(handle):
    handle.seek(0)
    unpacked = _unpacked_size(handle)
    if unpacked is not None and unpacked > settings.ANLAN_IMPORT_MAX_BYTES * MAX_UNPACKED_FACTOR:
        raise FileProblem(
            _("文件解压后过大：上限为 %(mb)d MB。")
            % {"mb": settings.ANLAN_IMPORT_MAX_BYTES * MAX_UNPACKED_FACTOR // 2**20}
        )
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a non-xlsx or broken file
        raise FileProblem(_("无法读取该文件，请确认是 .xlsx 格式的 Excel 文件。")) from exc


def _bounded_rows(sheet, columns: list[tuple[str, str]]) -> list[tuple[int, dict]]:
    sheet.reset_dimensions()  # the declared dimension is not trusted: rows come as stored
    too_wide = FileProblem(_("列数超过上限 %(n)d 列，请使用导入模板。") % {"n": MAX_COLUMNS})
    last_row = settings.ANLAN_IMPORT_MAX_ROWS + 1  # the header, then the rows
    # One row past the limit is read: openpyxl stops parsing there (a missing row is yielded blank).
    rows = sheet.iter_rows(values_only=True, max_row=last_row + 1)
    header_values = next(rows, ()) or ()
    if len(header_values) > MAX_COLUMNS and not _is_blank(header_values[MAX_COLUMNS:]):
        raise too_wide
    header = [str(v).strip() if v is not None else "" for v in header_values[:MAX_COLUMNS]]
    missing = [title for title, _f in columns if title.endswith("*") and title not in header]
    if missing:
        raise FileProblem(_("缺少必填列：%(cols)s。请使用导入模板。") % {"cols": "、".join(missing)})
    index = {name: header.index(title) for title, name in columns if title in header}
    result = []
    for number, values in enumerate(rows, start=2):
        if number > last_row:
            raise FileProblem(
                _("行数超过上限 %(n)d 行，请分批导入。") % {"n": settings.ANLAN_IMPORT_MAX_ROWS}
            )
        values = values or ()
        if len(values) > MAX_COLUMNS and not _is_blank(values[MAX_COLUMNS:]):
            raise too_wide
        if _is_blank(values[:MAX_COLUMNS]):
            continue
        row = {name: values[i] if i < len(values) else None for name, i in index.items()}
        result.append((number, row))
    return result


def cell_text(value) -> str:
    """A sheet cell as stripped text (a whole number typed as 3.0 reads "3"; empty is "")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Django's own wording for a form's errors, by error code, said as a clerk would understand it.
PLAIN = {
    "required": gettext_lazy("必填，不能为空。"),
    "invalid_choice": gettext_lazy("不是可选的值，请按模板的下拉选项填写。"),
    "max_length": gettext_lazy("太长：不能超过 %(limit_value)d 个字符（当前 %(show_value)d 个）。"),
    "min_value": gettext_lazy("不能小于 %(limit_value)s。"),
    "max_value": gettext_lazy("不能大于 %(limit_value)s。"),
    "max_digits": gettext_lazy("数字位数过多。"),
    "max_decimal_places": gettext_lazy("小数位数过多。"),
    "unique": gettext_lazy("已存在，不能重复导入。"),
}
INVALID_BY_FIELD = {
    "DateField": gettext_lazy("日期无法识别：请写作 2026-03-01、2026/3/1、2026.3.1 或 2026年3月1日。"),
    "IntegerField": gettext_lazy("应填写整数。"),
    "DecimalField": gettext_lazy("应填写数字。"),
    "FloatField": gettext_lazy("应填写数字。"),
}


def plain_errors(form, skip: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The form's errors as (field, message), Django's default wording replaced by plain Chinese naming the
    rule; the messages of Anlan's own rules are kept. Fields in `skip` already have a more precise message."""
    found = []
    for name, errors in form.errors.as_data().items():
        if name in skip:
            continue
        field = form.fields.get(name)
        for error in errors:
            params = error.params or {}
            if error.code in PLAIN:
                message = str(PLAIN[error.code]) % params
            elif error.code == "invalid" and field is not None and type(field).__name__ in INVALID_BY_FIELD:
                message = str(INVALID_BY_FIELD[type(field).__name__])
            else:
                message = " ".join(error.messages)
            found.append((name, message))
    return found


class _Lookups:
    """Turn the human values in a sheet (names, labels, 是/否) into what the form expects."""

    def __init__(self, user):
        self.industries = {}
        for industry in Industry.objects.all():
            self.industries[industry.name] = industry.pk
            self.industries[industry.code] = industry.pk
        # The template is filled in Chinese, but a sheet may carry the labels of either language.
        self.scales = {value: value for value in Enterprise.Scale.values}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                self.scales.update({str(label): value for value, label in Enterprise.Scale.choices})
        # The labels of the old two-class scheme still read: 规模以上 as 中型 (flagged for checking), 小微 as 小型.
        self.scales.update({"规模以上": Enterprise.Scale.MEDIUM, "小微企业": Enterprise.Scale.SMALL})
        self.grids = {}
        for grid in Grid.objects.for_user(user).only("pk", "code", "region_id"):
            self.grids[(grid.region_id, grid.code)] = grid.pk

    def form_data(self, raw: dict, errors: list[tuple[str, str]]) -> dict:
        data = {name: cell_text(value) for name, value in raw.items()}
        industry = data.get("industry", "")
        if industry:
            if industry not in self.industries:
                errors.append(
                    ("industry", _("行业领域“%(v)s”不存在，请按模板“行业领域”工作表填写。") % {"v": industry})
                )
            data["industry"] = self.industries.get(industry, "")
        scale = data.get("scale", "")
        data["scale"] = self.scales.get(scale, scale) if scale else Enterprise.Scale.SMALL
        data["employees"] = data.get("employees") or "0"
        for flag in ("has_major_hazard_source", "is_crowded_place"):
            value = data.get(flag, "")
            if value not in YES | NO:
                errors.append((flag, _("“%(v)s”无效：只能填写“是”或“否”。") % {"v": value}))
            data[flag] = "on" if value in YES else ""
        grid = data.get("grid", "")
        if grid:
            key = (data.get("region", ""), grid)
            if key not in self.grids:
                errors.append(("grid", _("网格编号“%(v)s”不在该区划下或不在您的管辖范围内。") % {"v": grid}))
            data["grid"] = self.grids.get(key, "")
        return data


Progress = Callable[[int, int], None]
# A row function's answer: its problems (none: a new record went in), or another outcome (see NEW …).
RowResult = list[tuple[str, str]] | str | RowUpdate


def run_rows(
    rows: list[tuple[int, dict]],
    import_row: Callable[[int, dict], RowResult],
    titles: dict[str, str],
    valid_only: bool,
    progress: Progress | None = None,
    chunk: int | None = None,
) -> ImportReport:
    """Import each row in its own savepoint; `import_row` returns the row's problems (field, message) or its
    outcome (APPLIED, UNCHANGED, SKIPPED, or a RowUpdate awaiting confirmation).

    Unless `valid_only`, any problem rolls the whole file back, so nothing is imported until it is clean.
    `progress(done, total)` is told after each row; whatever it raises rolls the whole file back.

    With `chunk` (a background import on SQLite, where one transaction would hold the database's single
    write lock, and so every other user's save, for the whole file), the file is first checked `chunk` rows
    per transaction, each rolled back, and then, if it is clean or only its valid rows were asked for,
    imported `chunk` rows per committed transaction with a pause between them. A row that passes the check
    but fails when imported (a concurrent change to the same records) stops the import there, and the
    report says how many rows were already imported.
    """
    if chunk is None:
        report = _run_whole(rows, import_row, titles, valid_only, progress)
    else:
        report = _run_chunked(rows, import_row, titles, valid_only, progress, chunk)
    report.valid_only = valid_only
    return report


def _outcome(result: RowResult) -> str | RowUpdate:
    return NEW if isinstance(result, list) else result


def _listed(report: ImportReport, outcomes: dict[int, str | RowUpdate]) -> None:
    """What the rows are, written or not: unchanged rows and the updates awaiting confirmation."""
    report.unchanged = sum(1 for outcome in outcomes.values() if outcome == UNCHANGED)
    report.updates = [outcomes[n] for n in sorted(outcomes) if isinstance(outcomes[n], RowUpdate)]


def _run_whole(rows, import_row, titles, valid_only, progress) -> ImportReport:
    report = ImportReport(total=len(rows))
    outcomes: dict[int, str | RowUpdate] = {}
    with transaction.atomic():
        for done, (number, raw) in enumerate(rows, start=1):
            result = _try_row(report, number, raw, import_row, titles)
            if result is not None:
                report.valid += 1
                outcomes[number] = _outcome(result)
            if progress is not None:
                progress(done, report.total)
        if report.errors and not valid_only:
            transaction.set_rollback(True)
        else:
            written = list(outcomes.values())
            report.imported, report.updated = written.count(NEW), written.count(APPLIED)
    _listed(report, outcomes)
    return report


# Between two committed chunks on SQLite: long enough for a waiting writer's busy handler to get the lock.
CHUNK_PAUSE_SECONDS = 0.1


def _run_chunked(rows, import_row, titles, valid_only, progress, chunk: int) -> ImportReport:
    total = len(rows)
    report = ImportReport(total=total)
    faulty: set[int] = set()
    outcomes: dict[int, str | RowUpdate] = {}
    steps = 0  # a row checked and a row imported are half a row each of the progress bar

    def step() -> None:
        nonlocal steps
        steps += 1
        if progress is not None:
            progress(steps // 2, total)

    for start in range(0, total, chunk):
        with transaction.atomic():
            for number, raw in rows[start : start + chunk]:
                result = _try_row(report, number, raw, import_row, titles)
                if result is not None:
                    report.valid += 1
                    outcomes[number] = _outcome(result)
                else:
                    faulty.add(number)
                step()
            transaction.set_rollback(True)
        time.sleep(CHUNK_PAUSE_SECONDS)
    if report.errors and not valid_only:
        _listed(report, outcomes)
        return report
    steps = total + len(faulty)  # the faulty rows are not imported: their half is done
    for start in range(0, total, chunk):
        late = ImportReport()
        with transaction.atomic():
            written: list = []
            for number, raw in rows[start : start + chunk]:
                if number in faulty:
                    continue
                result = _try_row(late, number, raw, import_row, titles)
                if result is None:
                    transaction.set_rollback(True)
                    break
                outcomes[number] = _outcome(result)
                written.append(outcomes[number])
                step()
        if late.errors:
            for error in late.errors:
                error.message = _(
                    "导入时失败（校验后数据已有变化）：%(problem)s 此前已导入 %(n)d 行，其余未导入。"
                ) % {
                    "problem": error.message,
                    "n": report.imported + report.updated,
                }
            report.errors.extend(late.errors)
            report.valid -= len({e.row for e in late.errors})
            _listed(report, outcomes)
            return report
        report.imported += written.count(NEW)
        report.updated += written.count(APPLIED)
        time.sleep(CHUNK_PAUSE_SECONDS)
    _listed(report, outcomes)
    return report


def _try_row(report: ImportReport, number: int, raw: dict, import_row, titles) -> RowResult | None:
    """Import one row in a savepoint; its problems go to `report`. Its result when it passed, else None."""
    try:
        with transaction.atomic():
            result = import_row(number, raw)
            if isinstance(result, list) and result:
                raise _RowRefused(result)
    except _RowRefused as refused:
        _add(report, number, refused.problems, titles)
    except DomainError as exc:
        _add(report, number, [(k, m) for k, ms in exc.errors.items() for m in ms], titles)
    else:
        return result
    return None


class _RowRefused(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("row refused")
        self.problems = problems


def _add(report: ImportReport, number: int, problems: list[tuple[str, str]], titles: dict[str, str]) -> None:
    for name, message in problems:
        column = titles.get(name, str(gettext_lazy("整行")))
        report.errors.append(RowError(number, column.rstrip("*"), str(message)))


def update_outcome(
    number: int, label: str, changes: list[list[str]], confirm: dict | None, apply: Callable[[], object]
) -> str | RowUpdate:
    """A row naming a record the user may edit: UNCHANGED, or its diff for the user to confirm; when
    confirming (`confirm`: the diffs the user saw, by row number) and the diff is still the one shown, the
    update is applied. A record changed since is not overwritten: its new diff is shown again."""
    if not changes:
        return UNCHANGED
    pending = RowUpdate(number, label, changes)
    if confirm is None:
        return pending
    if confirm.get(str(number)) == changes:
        apply()
        return APPLIED
    pending.note = _("该记录在您确认前已有变化，未更新；请核对新的差异后再次确认。")
    return pending


def changed(model, titles: dict[str, str], pairs: list[tuple[str, object, object]]) -> list[list[str]]:
    """[column title, current value, value in the file] for each (field, current, new) that differs, both
    values as the user reads them (labels, names, 是/否)."""
    return [
        [titles[name].rstrip("*"), shown_value(model, name, current), shown_value(model, name, new)]
        for name, current, new in pairs
        if current != new and not (current in (None, "") and new in (None, ""))
    ]


def shown_value(model, name: str, value) -> str:
    """A value as the record's page and history show it; text typed for a relation (a name) as it is."""
    if isinstance(value, str) and value and name in {f.name for f in model._meta.fields if f.is_relation}:
        return value
    return display_value(model, name, value.pk if hasattr(value, "pk") else value)


def kept_blank(raw: dict) -> set[str]:
    """The fields a row leaves as they are when it updates a record: its blank cells (the caller adds the
    columns the sheet lacks)."""
    return {name for name, value in raw.items() if cell_text(value) == ""}


def import_enterprises(
    *,
    actor,
    handle,
    valid_only: bool,
    progress: Progress | None = None,
    chunk: int | None = None,
    confirm: dict | None = None,
) -> ImportReport:
    """Validate every row with the enterprise form and register it through the service. A row whose credit
    code is registered in the user's jurisdiction, for an enterprise the user may edit, is an update: its
    diff is listed, and applied through the edit page's form and service only when the user confirms it
    (`confirm`: the diffs shown, by row number; then new rows are skipped)."""
    try:
        rows = read_rows(handle)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))
    lookups = _Lookups(actor)
    seen: dict[str, int] = {}
    in_file = {name for _title, name in COLUMNS}

    def import_row(number: int, raw: dict) -> RowResult:
        problems: list[tuple[str, str]] = []
        data = lookups.form_data(raw, problems)
        uscc = data.get("uscc", "").upper()
        # A row checked before it is imported (SQLite chunks) is not its own twin.
        if uscc and seen.get(uscc, number) != number:
            problems.append(("uscc", _("与第 %(n)d 行的统一社会信用代码重复。") % {"n": seen[uscc]}))
        seen.setdefault(uscc, number)
        existing = None
        if uscc and "uscc" not in {name for name, _m in problems}:
            existing = Enterprise.objects.filter(uscc=uscc).first()
            if (
                existing is not None
                and not Enterprise.objects.for_user(actor).filter(pk=existing.pk).exists()
            ):
                problems.append(("uscc", _("该统一社会信用代码已由其他辖区登记，不能重复导入。")))
            elif existing is not None and not can(actor, "core.change_enterprise", existing):
                message = _("该统一社会信用代码已登记为“%(name)s”，您无权修改该单位，不能通过导入更新。")
                problems.append(("uscc", message % {"name": existing.name}))
            elif existing is not None:
                return update_row(number, raw, data, existing, problems)
        if confirm is not None and not problems:
            return SKIPPED
        form = EnterpriseForm(data, user=actor)
        if not form.is_valid() or problems:
            # one message per cell: ours is the more precise one
            problems.extend(plain_errors(form, skip={name for name, _m in problems}))
            return problems
        fields = {k: v for k, v in form.cleaned_data.items() if k != "other_industries"}
        services.create_enterprise(actor=actor, data=fields, reason=record_text(gettext_lazy("Excel 导入")))
        return []

    def update_row(number, raw, data, existing, problems) -> RowResult:
        # The edit page's form over the record's current values; the file's non-blank cells replace them.
        current_form = EnterpriseForm(instance=existing, user=actor)
        current = {name: current_form[name].value() for name in current_form.fields}
        keep = kept_blank(raw) | (set(current) - set(raw))
        label, principal = existing.name, existing.principal
        before = {name: getattr(existing, name) for name in in_file if name not in services.PRINCIPAL_INPUT}
        before["principal"] = principal.name if principal else ""
        before["principal_id_number"] = principal.id_number if principal else ""
        form_input = {**data, **{name: current[name] for name in keep if name in current}}
        form = EnterpriseForm(form_input, instance=existing, user=actor)
        if not form.is_valid() or problems:
            problems.extend(plain_errors(form, skip={name for name, _m in problems}))
            return problems
        cleaned = form.cleaned_data
        compared = [name for _title, name in COLUMNS if name != "uscc" and name not in keep]
        changes = changed(
            Enterprise, TITLE_OF, [(name, before[name], cleaned.get(name)) for name in compared]
        )

        def apply():
            services.update_enterprise(
                actor=actor,
                enterprise_pk=existing.pk,
                data={k: v for k, v in cleaned.items() if k != "other_industries"},
                reason=record_text(gettext_lazy("Excel 导入更新")),
            )

        return update_outcome(number, label, changes, confirm, apply)

    return run_rows(rows, import_row, TITLE_OF, valid_only, progress, chunk)


REGION_COLUMNS: list[tuple[str, str]] = [
    ("区划代码*", "code"),
    ("名称*", "name"),
    ("类型", "kind"),
    ("城乡分类代码", "urban_rural_code"),
]


def import_regions(
    *, actor, root: str, handle, valid_only: bool, progress: Progress | None = None, chunk: int | None = None
) -> ImportReport:
    """Towns and villages under region `root` (统计用区划代码); a village's town may come earlier in the file.

    The root is looked up again in the actor's scope, so a background job refuses a region taken away. A
    region file is always one transaction (`chunk` is not used): a village's check needs its town, which
    an earlier chunk's check would have rolled back; regions are few and quick to write."""
    root = Region.objects.for_user(actor).filter(pk=root).first()
    if root is None or not can(actor, "core.manage_region", root):
        raise DomainError("import_right_lost", _("您已无权在该区划下导入。"))
    try:
        rows = read_rows(handle, REGION_COLUMNS)
    except FileProblem as exc:
        return ImportReport(file_error=str(exc))

    def import_row(number: int, raw: dict) -> list[tuple[str, str]]:
        data = {name: cell_text(value) for name, value in raw.items()}
        code = data.get("code", "")
        if not (rules.is_ascii_digits(code) and len(code) == rules.REGION_CODE_LENGTH):
            return [("code", _("区划代码应为12位数字。"))]
        if not root.contains(code):
            return [("code", _("区划代码不在“%(name)s”范围内。") % {"name": root.name})]
        level = rules.level_of_code(code)
        if level not in (Region.Level.TOWN, Region.Level.VILLAGE):
            return [("code", _("只能导入乡镇(街道)和村(社区)两级区划。"))]
        parent_code = rules.region_prefix(code, level - 1).ljust(rules.REGION_CODE_LENGTH, "0")
        if not Region.objects.filter(pk=parent_code).exists():
            return [("code", _("上级区划 %(code)s 不存在，请先导入或新建上级区划。") % {"code": parent_code})]
        services.create_region(
            actor=actor,
            parent_pk=parent_code,
            code=code,
            name=data.get("name", ""),
            kind=data.get("kind", ""),
            urban_rural_code=data.get("urban_rural_code", ""),
        )
        return []

    return run_rows(rows, import_row, {name: title for title, name in REGION_COLUMNS}, valid_only, progress)


# ---------------------------------------------------------------- the report as a workbook

ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
ERROR_FONT = Font(color="9C0006")


def write_annotated(handle, report: ImportReport, out) -> int:
    """The uploaded first sheet again, with a 错误说明 column first and each faulty cell red (its problem as
    the cell's comment), so the clerk fixes the rows in place and uploads the file again: the importers read
    columns by title and ignore the extra one. Returns how many rows were written."""
    problems: dict[int, list[RowError]] = {}
    for error in report.errors:
        problems.setdefault(error.row, []).append(error)
    workbook = _open(handle)
    target = Workbook(write_only=True)
    try:
        source = workbook.worksheets[0]
        sheet = target.create_sheet(source.title)
        source.reset_dimensions()
        rows = source.iter_rows(values_only=True, max_row=settings.ANLAN_IMPORT_MAX_ROWS + 1)
        header = list(next(rows, ()) or ())[:MAX_COLUMNS]
        place = {}
        for index, title in enumerate(header):
            if title is not None:
                place.setdefault(str(title).strip().rstrip("*"), index)
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 48
        heading = WriteOnlyCell(sheet, value=str(_("错误说明")))
        heading.font = Font(bold=True, color="9C0006")
        sheet.append([heading, *exports.safe_row(sheet, header)])
        written = 0
        for number, values in enumerate(rows, start=2):
            values = list(values or ())[: len(header) or MAX_COLUMNS]
            faults = problems.get(number, [])
            cells = [exports.safe_cell(sheet, value) for value in values]
            for fault in faults:
                index = place.get(fault.column)
                if index is None:
                    continue
                while len(cells) <= index:
                    cells.append(WriteOnlyCell(sheet, value=None))
                cells[index].fill = ERROR_FILL
                cells[index].comment = Comment(fault.message, "Anlan")
            note = WriteOnlyCell(
                sheet, value="；".join(f"{f.column}：{f.message}" for f in faults) if faults else None
            )
            if faults:
                note.font = ERROR_FONT
                note.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.append([note, *cells])
            written += 1
    finally:
        workbook.close()
    target.save(out)
    return written


# ---------------------------------------------------------------- templates


def choose_from(sheet, column: int, source: str, rows: int | None = None) -> None:
    """A drop-down on data column `column` (1-based) of `sheet`, fed by `source` — a range such as
    "'行业领域'!$A$2:$A$40" or a quoted list such as '"是,否"' — refusing other values as they are typed."""
    last = (rows or settings.ANLAN_IMPORT_MAX_ROWS) + 1
    letter = get_column_letter(column)
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.showErrorMessage = True
    validation.errorTitle = str(_("请从下拉列表选择"))
    validation.error = str(_("该列只能填写下拉列表中的值。"))
    validation.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(validation)


def listed(sheet_title: str, column: str, count: int) -> str:
    """The range of `count` values under the header of `column` in sheet `sheet_title`."""
    return f"{quote_sheetname(sheet_title)}!${column}$2:${column}${max(count, 1) + 1}"


def notes_sheet(workbook: Workbook, columns: list[tuple[str, str]], notes: dict[str, str]) -> None:
    """The 填表说明 sheet: each column, whether it is required, and how to fill it in."""
    sheet = workbook.create_sheet(str(_("填表说明")))
    sheet.append([str(_("列名")), str(_("是否必填")), str(_("填写说明"))])
    for title, name in columns:
        required = str(_("必填")) if title.endswith("*") else ""
        sheet.append([title.rstrip("*"), required, str(notes.get(name, ""))])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["C"].width = 90


ENTERPRISE_NOTES = {
    "uscc": gettext_lazy(
        "18位统一社会信用代码（GB 32100）。代码已登记、且该单位在您的管辖范围内由您修改的，该行为更新："
        "导入后列出与系统不同的各列，您确认后才更新，留空的单元格保持原值；其他辖区已登记的代码不能导入。"
    ),
    "region": gettext_lazy(
        "12位统计用区划代码，见“区划代码”工作表（请以文本格式填写）；须在您的管辖范围内。"
    ),
    "industry": gettext_lazy("从下拉列表选择，或填写“行业领域”工作表中的名称或代码。"),
    "scale": gettext_lazy("从下拉列表选择（国家统计局大中小微型企业划分）；不填为小型。"),
    "employees": gettext_lazy("整数；不填为0。"),
    "principal_id_number": gettext_lazy("18位居民身份证号码（GB 11643），末位校验码须正确。"),
    "principal_phone": gettext_lazy(
        "手机号11位（如13800000000）；固定电话写作“区号-号码”（如0550-1234567）。"
    ),
    "safety_manager_phone": gettext_lazy("同上。"),
    "has_major_hazard_source": gettext_lazy("只能填“是”或“否”；不填为“否”。"),
    "is_crowded_place": gettext_lazy("只能填“是”或“否”；不填为“否”。"),
    "longitude": gettext_lazy("十进制度数，如118.43。"),
    "latitude": gettext_lazy("十进制度数，如32.45。"),
    "grid": gettext_lazy("该区划下的网格编号；可不填。"),
}


def template_workbook(user) -> Workbook:
    """The import template: the columns, one example row, drop-downs for every coded column, the code lists
    a user needs and the 填表说明."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("生产经营单位")
    sheet.append([title for title, _f in COLUMNS])
    sheet.append(
        [
            rules.make_uscc("9", "1", "341122", "MA2T0001"),
            "示例机械制造有限公司",
            "341122100000",
            "机械",
            "某镇某路1号",
            "小微企业",
            35,
            "张三",
            "张三",
            EXAMPLE_ID_NUMBER,
            "13800000000",
            "李四",
            "13900000000",
            "否",
            "否",
            118.43,
            32.45,
            "",
        ]
    )
    for index, (title, _f) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(12, len(title) * 2 + 2)
    codes = workbook.create_sheet(_("区划代码"))
    codes.append([_("区划代码"), _("名称"), _("层级")])
    for region in Region.objects.for_user(user).filter(level__gte=Region.Level.TOWN).order_by("code")[:5000]:
        codes.append([region.code, region.name, region.get_level_display()])
    industries = workbook.create_sheet(_("行业领域"))
    industries.append([_("名称"), _("代码")])
    for industry in Industry.objects.all():
        industries.append([industry.name, industry.code])
    scales = workbook.create_sheet(_("规模"))
    scales.append([_("规模")])
    for _value, label in Enterprise.Scale.choices:
        scales.append([str(label)])
    position = {name: index + 1 for index, (_t, name) in enumerate(COLUMNS)}
    choose_from(sheet, position["industry"], listed(industries.title, "A", industries.max_row - 1))
    choose_from(sheet, position["scale"], listed(scales.title, "A", scales.max_row - 1))
    for flag in ("has_major_hazard_source", "is_crowded_place"):
        choose_from(sheet, position[flag], '"是,否"')
    sheet.freeze_panes = "A2"
    notes_sheet(workbook, COLUMNS, ENTERPRISE_NOTES)
    return workbook
