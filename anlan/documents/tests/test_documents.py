"""Document numbers: formatted per GB/T 9704, gap-free and never given twice; the DOCX opens and says what it should."""

from __future__ import annotations

import io
import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from docx import Document

from anlan.core.tests.factories import DepartmentFactory
from anlan.documents import rules, services
from anlan.documents.docx import OfficialDocument, build_docx, chinese_date
from anlan.documents.models import DocumentKind, DocumentNumber, IssuedDocument

KIND = DocumentKind.HAZARD_SUPERVISION


@pytest.mark.parametrize(
    ("region", "short", "prefix"),
    [
        ("来安县", "应急管理局", "来安应急"),
        ("来安县", "县安委办", "来安安委"),
        ("滁州市", "住建局", "滁州住建"),
    ],
)
def test_the_issuer_prefix_drops_the_level_and_organ_words(region, short, prefix):
    assert rules.issuer_prefix(region, short) == prefix


def test_a_number_has_the_year_in_hexagonal_brackets_and_no_leading_zeros():
    assert rules.format_number("来安应急", KIND, 2026, 3) == "来安应急督〔2026〕3号"


@pytest.fixture
def issuer(cast):
    return DepartmentFactory(
        name="来安县应急管理局", short_name="应急管理局", region=cast.county, kind="comprehensive"
    )


def test_numbers_follow_each_other_per_issuer_kind_and_year(cast, issuer):
    assert [services.next_number(issuer, KIND, 2026) for _ in range(3)] == [1, 2, 3]
    assert services.next_number(issuer, KIND, 2027) == 1
    assert services.next_number(issuer, DocumentKind.CIRCULAR, 2026) == 1
    assert services.next_number(cast.dept_housing, KIND, 2026) == 1


def test_a_number_taken_in_a_transaction_that_fails_is_given_again(cast, issuer):
    services.next_number(issuer, KIND, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.next_number(issuer, KIND, 2026)
        raise RuntimeError("rendering failed")
    assert services.next_number(issuer, KIND, 2026) == 2  # no gap


def test_issuing_keeps_the_file_under_its_number_with_one_history_row(cast, issuer):
    user = cast["county_office"]
    document = services.issue_document(
        actor=user,
        issuer=issuer,
        kind=KIND,
        title="督办函",
        render=lambda number: number.encode(),
        target=cast.enterprise_x,
    )
    assert document.number.startswith("来安应急督〔") and document.serial == 1
    assert document.file.read() == document.number.encode()
    assert document.target == cast.enterprise_x
    assert [r.history_type for r in document.history.all()] == ["+"]
    assert services.documents_for(cast.enterprise_x) == [document]


def test_a_failed_render_issues_nothing_and_leaves_no_gap(cast, issuer):
    def broken(number):
        raise ValueError("template missing")

    with pytest.raises(ValueError):
        services.issue_document(
            actor=cast["county_office"], issuer=issuer, kind=KIND, title="x", render=broken
        )
    assert IssuedDocument.objects.count() == 0
    assert services.next_number(issuer, KIND, date.today().year) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuers_get_distinct_consecutive_numbers():
    """Eight threads take numbers at once. PostgreSQL: the row lock queues them. SQLite: the IMMEDIATE
    transactions serialise the writers (the in-memory test database shares one cache, so the lock is the
    database's); either way no number repeats and none is skipped."""
    from anlan.core.models import Region

    county = Region.objects.get(pk="341122000000")
    issuer = DepartmentFactory(
        name="来安县应急管理局", short_name="应急管理局", region=county, kind="comprehensive"
    )
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    threads_n, each = 8, 5

    def worker():
        try:
            for _ in range(each):
                for attempt in range(50):
                    try:
                        with transaction.atomic():
                            value = services.next_number(issuer, KIND, 2026)
                        break
                    except Exception as exc:  # SQLite shared-cache: "database table is locked" → retry
                        if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 49:
                            raise
                        time.sleep(0.01)
                with lock:
                    results.append(value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, threads_n * each + 1))
    assert DocumentNumber.objects.get(issuer=issuer).last == threads_n * each


def test_the_docx_opens_and_carries_the_official_parts():
    content = build_docx(
        OfficialDocument(
            issuer_mark="来安县安全生产委员会办公室",
            number="来安安委督〔2026〕3号",
            title="隐患挂牌督办函",
            addressee="来安县建工集团有限公司",
            paragraphs=["经检查发现你单位存在重大事故隐患。"],
            items=[("整改期限", "2026年7月31日")],
            basis="逾期未完成整改的，将依法依规严肃处理。",
            signature="来安县安全生产委员会办公室",
            signed_on=date(2026, 7, 1),
            cc="来安县住房和城乡建设局",
        )
    )
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert "隐患挂牌督办函" in texts
    assert "来安安委督〔2026〕3号" in texts
    assert "来安县建工集团有限公司：" in texts
    assert "整改期限：2026年7月31日" in texts
    assert texts[-1] == "抄送：来安县住房和城乡建设局。"
    assert "2026年7月1日" in texts
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    title = next(p for p in document.paragraphs if p.text == "隐患挂牌督办函")
    assert title.alignment == 1  # centred
    run = title.runs[0]
    assert run.font.size.pt == 22
    assert (
        run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )


def test_the_date_is_written_without_leading_zeros():
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"


def test_every_kind_a_module_issues_is_a_documents_kind_with_a_number_code():
    """Modules declare the kinds they issue; the documents app must know each one (label, 文种 code)."""
    from anlan.documents.models import DocumentKind
    from anlan.documents.rules import KIND_CODES
    from anlan.inspections.models import DocumentKind as InspectionKind

    for value, label in InspectionKind.choices:
        assert DocumentKind(value).label == label
        assert value in KIND_CODES
    assert set(DocumentKind.values) <= set(KIND_CODES)
