"""The 严重失信主体名单's pages: the list (公示 filter, search, the enterprise's own told cases only), the case page
(the buttons each side may use now, and none it would then be refused), the documents, manual entry with its
errors, the county settings, the XLSX ledger and the enterprise page's banner."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django.urls import reverse

from anlan.credit.models import DishonestyCase, DishonestySettings
from anlan.credit.tests import factories_dishonesty as f

Status = DishonestyCase.Status


def _detail(client, case):
    return client.get(reverse("credit:dishonesty-detail", args=[case.pk])).content.decode()


def test_the_public_filter_lists_the_subjects_on_the_list_now(cast, as_user):
    listed = f.listed(cast)
    f.candidate(cast, enterprise=cast.enterprise_y)
    client = as_user(cast["county_office"])
    everything = client.get(reverse("credit:dishonesty-list"))
    assert len(everything.context["page"]) == 2
    public = client.get(reverse("credit:dishonesty-list") + "?status=public")
    assert [case.pk for case in public.context["page"]] == [listed.pk]
    assert "加大执法检查频次" in public.content.decode()  # the measures are shown beside the list


def test_the_list_is_searched_by_name_or_credit_code(cast, as_user):
    f.candidate(cast)
    f.candidate(cast, enterprise=cast.enterprise_y)
    client = as_user(cast["county_office"])
    by_code = client.get(reverse("credit:dishonesty-list"), {"q": cast.enterprise_y.uscc[-6:]})
    assert [case.enterprise for case in by_code.context["page"]] == [cast.enterprise_y]
    nothing = client.get(reverse("credit:dishonesty-list"), {"q": "不存在的单位"})
    assert list(nothing.context["page"]) == []
    assert "没有" in nothing.content.decode()  # an empty state, not a bare table


def test_the_enterprise_lists_only_its_own_cases_and_only_once_told(cast, as_user):
    candidate = f.candidate(cast)
    client = as_user(cast["enterprise_x"])
    assert list(client.get(reverse("credit:dishonesty-list")).context["page"]) == []
    assert client.get(reverse("credit:dishonesty-detail", args=[candidate.pk])).status_code == 404
    told = f.notified(cast, enterprise=cast.enterprise_x, situation=8)
    assert [c.pk for c in client.get(reverse("credit:dishonesty-list")).context["page"]] == [told.pk]


def test_the_decider_sees_the_notice_button_and_a_department_in_scope_sees_none(cast, as_user):
    case = f.candidate(cast)
    office = _detail(as_user(cast["county_office"]), case)
    assert reverse("credit:dishonesty-notify", args=[case.pk]) in office
    housing = _detail(as_user(cast["dept_housing"]), case)  # sees X's case, is not the deciding unit
    assert reverse("credit:dishonesty-notify", args=[case.pk]) not in housing
    assert reverse("credit:dishonesty-dismiss", args=[case.pk]) not in housing


def test_the_party_may_state_its_case_in_the_period_and_then_no_longer(cast, as_user):
    case = f.notified(cast)  # told 2026-03-02, the period runs to 2026-03-09
    client = as_user(cast["enterprise_x"])
    statement_url = reverse("credit:dishonesty-file-statement", args=[case.pk])
    with f.at(date(2026, 3, 9)):
        assert statement_url in _detail(client, case)
        assert reverse("credit:dishonesty-decide-list", args=[case.pk]) not in _detail(client, case)
        response = client.post(statement_url, {"statement": "我单位已整改到位。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.statement, case.stated_on) == (
        Status.STATED,
        "我单位已整改到位。",
        date(2026, 3, 9),
    )


def test_after_the_period_the_party_has_no_statement_button(cast, as_user):
    case = f.notified(cast)
    client = as_user(cast["enterprise_x"])
    with f.at(date(2026, 3, 10)):
        assert reverse("credit:dishonesty-file-statement", args=[case.pk]) not in _detail(client, case)
        client.post(reverse("credit:dishonesty-file-statement", args=[case.pk]), {"statement": "迟到的申辩"})
    case.refresh_from_db()
    assert (case.status, case.statement) == (Status.NOTIFIED, "")


def test_an_empty_statement_is_refused_naming_the_field(cast, as_user):
    case = f.notified(cast)
    with f.at(date(2026, 3, 5)):
        response = as_user(cast["enterprise_x"]).post(
            reverse("credit:dishonesty-file-statement", args=[case.pk]), {"statement": "  "}
        )
    assert response.status_code == 200
    assert "statement" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == Status.NOTIFIED


def test_the_removal_button_appears_only_after_twelve_months(cast, as_user):
    case = f.listed(cast)  # listed 2026-03-16
    url = reverse("credit:dishonesty-apply-removal", args=[case.pk])
    with f.at(date(2027, 3, 16)):  # signed in on the day (a session does not last a year)
        page = _detail(as_user(cast["enterprise_x"]), case)
        assert url not in page
        assert "2027-03-17" in page  # when it becomes possible
    with f.at(date(2027, 3, 17)):
        assert url in _detail(as_user(cast["enterprise_x"]), case)


def test_the_documents_download_as_docx_for_the_party(cast, as_user):
    case = f.listed(cast)
    client = as_user(cast["enterprise_x"])
    for kind in ("notice", "decision"):
        response = client.get(reverse("credit:dishonesty-document", args=[case.pk, kind]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client.get(reverse("credit:dishonesty-document", args=[case.pk, "other"])).status_code == 404


def test_manual_entry_names_the_missing_agency_type(cast, as_user):
    from anlan.core import units

    response = as_user(cast["county_office"]).post(
        reverse("credit:dishonesty-create"),
        {
            "subject_kind": "agency",
            "agency_name": "某安全评价公司",
            "region": cast.county.code,
            "situation": "7",
            "basis": "出具虚假评价报告。",
            "deciding_unit": units.committee_office_for(cast.county).pk,
        },
    )
    assert response.status_code == 200
    assert "agency_type" in response.context["form"].errors
    assert not DishonestyCase.objects.exists()


def test_manual_entry_of_an_agency_creates_a_candidate(cast, as_user):
    from anlan.core import units

    response = as_user(cast["county_office"]).post(
        reverse("credit:dishonesty-create"),
        {
            "subject_kind": "agency",
            "agency_name": "某安全评价公司",
            "agency_type": "evaluation",
            "region": cast.county.code,
            "situation": "7",
            "basis": "出具虚假评价报告。",
            "deciding_unit": units.committee_office_for(cast.county).pk,
        },
    )
    case = DishonestyCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credit:dishonesty-detail", args=[case.pk])
    assert (case.status, case.subject.kind, case.subject.agency_type) == (
        Status.CANDIDATE,
        "agency",
        "evaluation",
    )


def test_the_county_office_changes_the_statement_period(cast, as_user):
    client = as_user(cast["county_office"])
    url = reverse("credit:dishonesty-settings-edit", args=[cast.county.code])
    assert client.post(url, {"statement_working_days": "0"}).status_code == 200  # 1–30
    assert not DishonestySettings.objects.exists()
    assert (
        client.post(url, {"statement_working_days": "7", "local_relatively_major_rule": "on"}).status_code
        == 302
    )
    saved = DishonestySettings.objects.get(region=cast.county)
    assert (saved.statement_working_days, saved.local_relatively_major_rule) == (7, True)
    assert "7" in client.get(reverse("credit:dishonesty-settings")).content.decode()


def test_the_ledger_has_a_row_per_case_in_scope(cast, as_user):
    f.listed(cast)
    f.candidate(cast, enterprise=cast.enterprise_y)
    response = as_user(cast["town_a"]).get(reverse("credit:dishonesty-export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1]
    assert cast.enterprise_x.name in names
    assert cast.enterprise_y.name not in names  # town A does not see Y


def test_the_enterprise_page_banner_shows_the_listing_to_whoever_sees_the_enterprise(cast, as_user):
    f.listed(cast)
    url = reverse("credit:dishonesty-enterprise-panel", args=[cast.enterprise_x.pk])
    for who in ("county_office", "enterprise_x", "grid_worker"):
        text = as_user(cast[who]).get(url).content.decode()
        assert "列入严重失信主体名单（至 2029-03-16）" in text, who
    grid = as_user(cast["grid_worker"]).get(url).content.decode()
    assert reverse("credit:dishonesty-list") not in grid  # the grid worker reads no case


def test_the_banner_is_empty_when_nothing_is_listed(cast, as_user):
    f.removed(cast)
    text = as_user(cast["county_office"]).get(
        reverse("credit:dishonesty-enterprise-panel", args=[cast.enterprise_x.pk])
    )
    assert 'data-testid="dishonesty-banner"' not in text.content.decode()


def test_the_party_has_a_to_do_in_its_statement_period_and_the_decider_after_it(cast):
    from anlan.credit.selectors import dishonesty as selectors

    case = f.notified(cast)  # the period runs to 2026-03-09
    with f.at(date(2026, 3, 9)):
        assert list(selectors.awaiting_statement(cast["enterprise_x"])) == [case]
        assert case not in selectors.awaiting_decision(cast["county_office"])
    with f.at(date(2026, 3, 10)):
        assert list(selectors.awaiting_statement(cast["enterprise_x"])) == []
        assert case in selectors.awaiting_decision(cast["county_office"])
    assert list(selectors.awaiting_statement(cast["county_office"])) == []  # the office files no statement
