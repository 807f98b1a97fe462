"""XLSX imports are bounded before and while they are read (issue #12: a 5 KB workbook declaring A1:XFD1048576
held a worker for five minutes): rows, columns and unpacked size, each refusal naming its limit."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from anlan.core import imports
from anlan.core.models import Enterprise

pytestmark = pytest.mark.django_db


HEADER = [title for title, _name in imports.COLUMNS]
FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def workbook(rows: list[list], *, dimension: bytes = b"", extra_rows: bytes = b"") -> bytes:
    """An .xlsx of `rows`, its sheet's declared dimension replaced and raw `<row>` XML appended."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if dimension:
                    data = re.sub(
                        rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + dimension + b'"/>', data
                    )
                data = data.replace(b"</sheetData>", extra_rows + b"</sheetData>")
            target.writestr(info, data)
    return out.getvalue()


def read(data: bytes) -> list:
    return imports.read_rows(io.BytesIO(data))


def test_a_5_kb_workbook_declaring_the_whole_sheet_is_refused_in_well_under_a_second():
    data = workbook([HEADER, ["x"] * 3], dimension=b"A1:XFD1048576", extra_rows=FAR_CELL)
    assert len(data) < 6 * 1024
    started = time.monotonic()
    with pytest.raises(imports.FileProblem) as refused:
        read(data)
    assert time.monotonic() - started < 0.5
    assert str(refused.value) == "行数超过上限 20000 行，请分批导入。"


def test_a_declared_dimension_larger_than_the_data_is_ignored():
    data = workbook([HEADER, ["x"] * 3], dimension=b"A1:XFD1048576")
    started = time.monotonic()
    rows = read(data)
    assert time.monotonic() - started < 0.5
    assert [(number, row["uscc"], row["name"]) for number, row in rows] == [(2, "x", "x")]


def test_rows_up_to_the_limit_are_read_and_one_more_is_refused_naming_the_limit(settings):
    settings.ANLAN_IMPORT_MAX_ROWS = 3
    assert len(read(workbook([HEADER] + [["x"] * 3] * 3))) == 3
    with pytest.raises(imports.FileProblem) as refused:
        read(workbook([HEADER] + [["x"] * 3] * 4))
    assert "3 行" in str(refused.value)


def test_blank_rows_count_towards_the_row_limit(settings):
    settings.ANLAN_IMPORT_MAX_ROWS = 3
    with pytest.raises(imports.FileProblem):
        read(workbook([HEADER, ["x"] * 3, [], [], ["x"] * 3]))


def test_a_value_past_the_column_limit_is_refused_naming_the_limit():
    assert len(read(workbook([HEADER, ["x"] * imports.MAX_COLUMNS]))) == 1
    with pytest.raises(imports.FileProblem) as refused:
        read(workbook([HEADER, ["x"] * (imports.MAX_COLUMNS + 1)]))
    assert str(refused.value) == f"列数超过上限 {imports.MAX_COLUMNS} 列，请使用导入模板。"
    with pytest.raises(imports.FileProblem):
        read(workbook([HEADER + [""] * 100 + ["extra"], ["x"] * 3]))


def test_a_workbook_that_unpacks_beyond_its_bound_is_refused_before_it_is_read(settings):
    settings.ANLAN_IMPORT_MAX_BYTES = 1024
    with pytest.raises(imports.FileProblem) as refused:
        read(workbook([HEADER, ["x" * 20_000] * 3]))
    assert "解压后过大" in str(refused.value)


def test_the_import_page_reports_the_declared_whole_sheet_workbook_as_a_file_problem(cast, as_user):
    data = workbook([HEADER, ["x"] * 3], dimension=b"A1:XFD1048576", extra_rows=FAR_CELL)
    before = Enterprise.objects.count()
    client = as_user(cast["county_office"])
    assert client.get(reverse("core:enterprise-import")).status_code == 200  # templates loaded once
    started = time.monotonic()
    response = client.post(reverse("core:enterprise-import"), {"file": SimpleUploadedFile("bomb.xlsx", data)})
    assert time.monotonic() - started < 1
    assert response.status_code == 200
    assert response.context["report"].file_error == "行数超过上限 20000 行，请分批导入。"
    assert Enterprise.objects.count() == before
