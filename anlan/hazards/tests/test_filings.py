"""隐患排查治理统计分析表 (16号令 第十四条): figures from the ledger, the province's deadline, only the 主要负责人
confirms, a confirmed filing never changes, one per enterprise and period, late on the day after the due date,
the missing sweep (idempotent), the filing rates, the enterprise's to-do and the pages."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from anlan.core.errors import Code, DomainError
from anlan.core.models import Enterprise, Region, Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.hazards import rules, selectors, services, sweeps
from anlan.hazards.models import FilingRuleSetting, Hazard, RectificationPlan, StatisticsFiling
from anlan.hazards.rules import ErrorCode
from anlan.notifications.models import Notification

from .factories import HazardFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = "2026-Q1"  # 1 January – 31 March 2026, due 15 April 2026 by default
DUE = date(2026, 4, 15)
ANHUI = "340000000000"


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def registered(cast):
    """The cast's enterprises entered the registry on 1 February 2026: they file for 2026-Q1, not for 2025."""
    Enterprise.objects.update(created_at=datetime(2026, 2, 1, tzinfo=SHANGHAI))
    cast.enterprise_x.refresh_from_db()
    return cast


@pytest.fixture
def principal_x(registered):
    """Enterprise X's 主要负责人 with an account of their own (Person.user), an enterprise user of X."""
    user = UserFactory(username="principal_x", real_name="王主任")
    MembershipFactory(user=user, role=Role.ENTERPRISE, enterprise=registered.enterprise_x, title="主要负责人")
    person = registered.enterprise_x.principal
    person.user = user
    person.save()
    return user


def generate(cast, period=PERIOD, who="enterprise_x"):
    return services.generate_filing(actor=cast[who], enterprise_pk=cast.enterprise_x.pk, period=period)


def analyse(cast, filing):
    """The enterprise writes the 分析说明 the principal then signs."""
    services.write_filing_analysis(actor=cast["enterprise_x"], filing_pk=filing.pk, analysis="本季度排查到位")


def _hazard(cast, found_on, *, due_on=None, closed_on=None, status=None, grade=Hazard.Grade.ORDINARY):
    status = status or (Hazard.Status.CLOSED if closed_on else Hazard.Status.RECTIFYING)
    return HazardFactory(
        enterprise=cast.enterprise_x,
        found_on=found_on,
        due_on=due_on or found_on.replace(day=min(found_on.day + 10, 28)),
        closed_on=closed_on,
        status=status,
        grade=grade,
    )


# ---------------------------------------------------------------- figures from the ledger


def test_the_figures_count_the_ledger_of_the_period_with_its_boundaries(registered):
    cast = registered
    _hazard(cast, date(2025, 12, 31), due_on=date(2026, 4, 30))  # before the period, open at its end
    first = _hazard(cast, date(2026, 1, 1), due_on=date(2026, 1, 20), closed_on=date(2026, 1, 15))  # on time
    _hazard(cast, date(2026, 2, 1), due_on=date(2026, 2, 10), closed_on=date(2026, 2, 20))  # closed late
    _hazard(
        cast, date(2026, 3, 31), due_on=date(2026, 4, 10), closed_on=date(2026, 4, 2)
    )  # closed after the end
    major = _hazard(
        cast, date(2026, 3, 1), due_on=date(2026, 3, 20), grade=Hazard.Grade.MAJOR
    )  # overdue at end
    _hazard(cast, date(2026, 4, 1))  # after the period
    _hazard(cast, date(2026, 2, 5), status=Hazard.Status.VOIDED)  # voided: not counted
    HazardFactory(enterprise=cast.enterprise_y, found_on=date(2026, 2, 1))  # another enterprise's
    user = cast["enterprise_x"]
    RectificationPlan.objects.create(
        hazard=major,
        responsible_person="张三",
        measures="停产整改",
        due_on=major.due_on,
        funds=Decimal("3.5"),
        recorded_by=user,
    )
    RectificationPlan.objects.create(
        hazard=major,
        responsible_person="张三",
        measures="修订方案",
        due_on=major.due_on,
        funds=Decimal("12.5"),
        recorded_by=user,
    )
    RectificationPlan.objects.create(
        hazard=first,
        responsible_person="李四",
        measures="更换",
        due_on=first.due_on,
        funds=Decimal("1"),
        recorded_by=user,
    )

    figures = selectors.ledger_figures(cast.enterprise_x.pk, PERIOD)

    assert figures == {
        "found": 4,
        "found_ordinary": 3,
        "found_major": 1,
        "rectified": 2,
        "rectified_major": 0,
        "rectified_on_time": 1,
        "open_at_end": 3,  # the carried-over one, the major one and the one closed in April
        "open_major_at_end": 1,
        "overdue_at_end": 1,
        "rectification_rate": 50.0,
        "funds": "13.50",  # the current (latest) plans only
    }


def test_generating_makes_a_draft_due_by_the_national_rule(registered):
    filing = generate(registered)
    assert filing.status == StatisticsFiling.Status.DRAFT
    assert filing.due_on == DUE
    assert filing.figures["found"] == 0
    assert filing.prepared_by == registered["enterprise_x"]
    assert filing.history.count() == 1


def test_the_provinces_own_deadline_is_used(registered):
    FilingRuleSetting.objects.create(province_id=ANHUI, quarter_day=10, annual_month=2, annual_day=15)
    assert generate(registered).due_on == date(2026, 4, 10)
    assert generate(registered, period="2025").due_on == date(2026, 2, 15)


def test_a_later_provincial_setting_applies_from_its_date(registered):
    FilingRuleSetting.objects.create(province_id=ANHUI, quarter_day=10)
    FilingRuleSetting.objects.create(province_id=ANHUI, quarter_day=5, effective_from=date(2026, 6, 1))
    assert selectors.filing_due_on(registered.enterprise_x.region_id, "2026-Q1") == date(2026, 4, 10)
    assert selectors.filing_due_on(registered.enterprise_x.region_id, "2026-Q2") == date(2026, 7, 5)
    assert selectors.filing_due_on("110101000000", "2026-Q2") == date(2026, 7, 15)  # another province


def test_a_period_not_yet_ended_cannot_be_generated(registered):
    with at(date(2026, 3, 31)), pytest.raises(DomainError) as refused:
        generate(registered)
    assert refused.value.code == ErrorCode.PERIOD_NOT_ENDED
    assert not StatisticsFiling.objects.exists()


def test_a_supervisor_does_not_prepare_an_enterprises_filing(registered):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        generate(registered, who="dept_housing")
    assert not StatisticsFiling.objects.exists()


# ---------------------------------------------------------------- only the 主要负责人 confirms


def test_only_the_principal_confirms_and_anyone_else_is_told_the_rule(registered, principal_x):
    filing = generate(registered)
    for who in ("enterprise_x", "dept_housing", "county_office"):
        with pytest.raises(DomainError) as refused:
            services.confirm_filing(actor=registered[who], filing_pk=filing.pk)
        assert refused.value.code == ErrorCode.NOT_PRINCIPAL
        assert "第十四条" in str(refused.value.message)
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.DRAFT and filing.history.count() == 1

    analyse(registered, filing)
    with at(date(2026, 4, 12)):
        services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.CONFIRMED
    assert filing.confirmed_by == principal_x
    assert filing.filed_on == date(2026, 4, 12) and not filing.is_late
    assert filing.history.order_by("-history_id").first().history_user == principal_x


def test_the_principal_signs_an_analysis_not_a_bare_table(registered, principal_x):
    filing = generate(registered)
    with pytest.raises(DomainError) as refused:
        services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    assert (refused.value.code, refused.value.field) == (ErrorCode.FILING_ANALYSIS_MISSING, "analysis")
    assert "分析说明" in str(refused.value.message)
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.DRAFT and filing.confirmed_at is None
    analyse(registered, filing)
    services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.CONFIRMED


def test_an_enterprise_without_a_principal_account_cannot_confirm(registered):
    filing = generate(registered)
    with pytest.raises(DomainError) as refused:
        services.confirm_filing(actor=registered["enterprise_x"], filing_pk=filing.pk)
    assert refused.value.code == ErrorCode.NOT_PRINCIPAL


def test_another_enterprises_filing_is_not_found(registered, principal_x):
    from django.http import Http404

    filing = generate(registered)
    with pytest.raises(Http404):
        services.confirm_filing(actor=registered["town_b"], filing_pk=filing.pk)


@pytest.mark.parametrize(
    ("filed", "late"), [(DUE, False), (date(2026, 4, 16), True)], ids=["on the due date", "the day after"]
)
def test_a_filing_is_late_only_after_its_due_date(registered, principal_x, filed, late):
    filing = generate(registered)
    analyse(registered, filing)
    with at(filed, 23):
        services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    filing.refresh_from_db()
    assert (filing.filed_on, filing.is_late) == (filed, late)


def test_a_confirmed_filing_never_changes(registered, principal_x):
    filing = generate(registered)
    services.write_filing_analysis(
        actor=registered["enterprise_x"], filing_pk=filing.pk, analysis="本季度共排查…"
    )
    services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    rows = filing.history.count()
    for attempt in (
        lambda: generate(registered),
        lambda: services.write_filing_analysis(
            actor=registered["enterprise_x"], filing_pk=filing.pk, analysis="改"
        ),
        lambda: services.confirm_filing(actor=principal_x, filing_pk=filing.pk),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == ErrorCode.FILING_CONFIRMED
    filing.refresh_from_db()
    assert filing.analysis == "本季度共排查…" and filing.history.count() == rows


def test_one_filing_per_enterprise_and_period(registered):
    filing = generate(registered)
    assert generate(registered).pk == filing.pk  # regenerated, not duplicated
    with pytest.raises(IntegrityError):
        StatisticsFiling.objects.create(
            enterprise=filing.enterprise,
            region=filing.region,
            industry=filing.industry,
            period=PERIOD,
            due_on=DUE,
        )


# ---------------------------------------------------------------- the missing sweep


def test_the_sweep_flags_a_missing_filing_the_day_after_its_due_date_once(registered):
    assert sweeps.flag_missing_filings(DUE) == (0, 0)
    assert not StatisticsFiling.objects.exists()

    flagged, notified = sweeps.flag_missing_filings(date(2026, 4, 16))

    assert flagged == 2  # enterprises X and Y; 2025 was before they were registered
    missing = StatisticsFiling.objects.get(enterprise=registered.enterprise_x)
    assert (missing.status, missing.flagged_on, missing.due_on) == ("missing", date(2026, 4, 16), DUE)
    assert missing.is_missing and missing.history.count() == 1
    # the housing department supervises X; nobody of the cast supervises Y's chemicals
    assert list(Notification.objects.values_list("kind", "recipient__username")) == [
        ("hazard_filing_missing", "dept_housing")
    ]
    assert notified == 1
    assert sweeps.flag_missing_filings(date(2026, 4, 16)) == (0, 0)
    assert sweeps.flag_missing_filings(date(2026, 4, 17)) == (0, 0)
    assert StatisticsFiling.objects.count() == 2 and Notification.objects.count() == 1


def test_the_sweep_leaves_a_confirmed_filing_alone(registered, principal_x):
    filing = generate(registered)
    analyse(registered, filing)
    services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    sweeps.flag_missing_filings(date(2026, 4, 16))
    filing.refresh_from_db()
    assert filing.flagged_on is None
    assert list(
        StatisticsFiling.objects.filter(flagged_on__isnull=False).values_list("enterprise", flat=True)
    ) == [registered.enterprise_y.pk]


def test_the_sweep_flags_a_draft_not_confirmed_by_the_due_date(registered):
    filing = generate(registered)
    sweeps.flag_missing_filings(date(2026, 4, 16))
    filing.refresh_from_db()
    assert (filing.status, filing.flagged_on) == ("draft", date(2026, 4, 16))


def test_a_late_filing_clears_the_flag_and_stays_late(registered, principal_x):
    sweeps.flag_missing_filings(date(2026, 4, 16))
    filing = generate(registered)
    assert filing.status == StatisticsFiling.Status.DRAFT and filing.is_missing
    analyse(registered, filing)
    with at(date(2026, 4, 20)):
        services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    filing.refresh_from_db()
    assert not filing.is_missing and filing.is_late
    assert filing.state_label == "逾期上报"
    assert sweeps.flag_missing_filings(date(2026, 4, 21)) == (0, 0)


def test_the_sweep_runs_with_the_hazard_sweep(registered):
    assert sweeps.run(today=date(2026, 4, 16))["filings_flagged"] == 2


# ---------------------------------------------------------------- filing rates


def test_the_filing_rate_counts_required_filed_late_and_missing_in_scope(registered, principal_x):
    with at(date(2026, 4, 10)):
        filing = generate(registered)
        analyse(registered, filing)
        services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    sweeps.flag_missing_filings(date(2026, 4, 16))  # Y is missing
    Enterprise.objects.filter(pk=registered.enterprise_y.pk).update(status=Enterprise.Status.OPERATING)

    totals, towns = selectors.filing_rates(registered["county_office"], PERIOD, "town")
    assert {k: totals[k] for k in ("required", "filed", "late", "missing", "unfiled", "rate")} == {
        "required": 2,
        "filed": 1,
        "late": 0,
        "missing": 1,
        "unfiled": 1,
        "rate": 50.0,
    }
    assert [(row["name"], row["required"], row["filed"], row["missing"]) for row in towns] == [
        ("新安镇", 1, 1, 0),
        ("半塔镇", 1, 0, 1),
    ]
    totals, industries = selectors.filing_rates(registered["dept_housing"], PERIOD, "industry")
    assert (totals["required"], totals["filed"]) == (1, 1)
    assert [row["required"] for row in industries] == [1]
    totals, _rows = selectors.filing_rates(registered["town_b"], PERIOD, "town")
    assert (totals["required"], totals["missing"]) == (1, 1)


def test_an_enterprise_registered_after_the_period_or_closed_is_not_required(registered):
    Enterprise.objects.filter(pk=registered.enterprise_y.pk).update(
        created_at=datetime(2026, 4, 1, tzinfo=SHANGHAI)
    )
    Enterprise.objects.filter(pk=registered.enterprise_x.pk).update(status=Enterprise.Status.CLOSED)
    totals, _rows = selectors.filing_rates(registered["county_office"], PERIOD, "town")
    assert totals["required"] == 0
    assert sweeps.flag_missing_filings(date(2026, 4, 16)) == (0, 0)


# ---------------------------------------------------------------- the enterprise's to-do


def test_the_enterprise_sees_its_filing_in_its_todos_from_fifteen_days_before_until_confirmed(
    registered, principal_x
):
    user = registered["enterprise_x"]
    with at(date(2026, 3, 31)):
        assert selectors.filings_due(user).count() == 0  # 2026-Q1 not ended
    with at(date(2026, 4, 1)):
        assert list(selectors.filings_due(user)) == [registered.enterprise_x]
        [item] = selectors.filing_todo_items(selectors.filings_due(user), 5)
        assert item.due == DUE and "2026年第1季度" in item.title
        assert item.url == reverse("hazards:filing-list", args=[registered.enterprise_x.pk])
        assert selectors.filings_due(registered["county_office"]).count() == 0
    filing = generate(registered)
    analyse(registered, filing)
    services.confirm_filing(actor=principal_x, filing_pk=filing.pk)
    with at(date(2026, 4, 1)):
        assert selectors.filings_due(user).count() == 0


def test_a_flagged_filing_stays_in_the_todos(registered):
    sweeps.flag_missing_filings(date(2026, 4, 16))
    with at(date(2026, 9, 1)):
        assert list(selectors.filings_due(registered["enterprise_x"])) == [registered.enterprise_x]


# ---------------------------------------------------------------- provincial settings


def test_only_a_provinces_office_sets_its_deadlines(registered):
    with pytest.raises(DomainError) as refused:
        services.add_filing_rule(
            actor=registered["county_office"],
            province_code=ANHUI,
            quarter_day=10,
            annual_month=2,
            annual_day=15,
        )
    assert refused.value.code == Code.OUT_OF_SCOPE
    office = UserFactory(username="province_office")
    MembershipFactory(user=office, role=Role.COMMITTEE_OFFICE, region=Region.objects.get(pk=ANHUI))
    with pytest.raises(DomainError) as refused:
        services.add_filing_rule(
            actor=office, province_code=ANHUI, quarter_day=30, annual_month=2, annual_day=15
        )
    assert refused.value.code == ErrorCode.FILING_RULE_DATE
    setting = services.add_filing_rule(
        actor=office, province_code=ANHUI, quarter_day=10, annual_month=2, annual_day=15
    )
    assert setting.history.count() == 1
    assert selectors.filing_rule_for(registered.enterprise_x.region_id, PERIOD) == rules.FilingRule(10, 2, 15)


# ---------------------------------------------------------------- pages


def test_the_enterprise_generates_writes_and_the_principal_confirms_through_the_pages(
    registered, principal_x, as_user
):
    client = as_user(registered["enterprise_x"])
    enterprise = registered.enterprise_x
    page = client.get(reverse("hazards:filing-list", args=[enterprise.pk]))
    assert page.status_code == 200 and "2026年第1季度" in page.content.decode()
    # the enterprise files under its hazards; the supervisors' 上报情况 is not its way in
    crumbs = [label for label, _url in page.context["breadcrumbs"]]
    assert crumbs == ["隐患排查治理", enterprise.name]
    response = client.post(reverse("hazards:filing-generate", args=[enterprise.pk]), {"period": PERIOD})
    filing = StatisticsFiling.objects.get()
    assert response.status_code == 302 and response.url == reverse("hazards:filing-detail", args=[filing.pk])
    client.post(reverse("hazards:filing-analysis", args=[filing.pk]), {"analysis": "排查到位"})
    detail = client.get(reverse("hazards:filing-detail", args=[filing.pk])).content.decode()
    assert "排查到位" in detail and 'data-testid="confirm-filing"' not in detail
    client.post(reverse("hazards:filing-confirm", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.DRAFT  # refused: not the principal

    client = as_user(principal_x)
    assert (
        'data-testid="confirm-filing"'
        in client.get(reverse("hazards:filing-detail", args=[filing.pk])).content.decode()
    )
    client.post(reverse("hazards:filing-confirm", args=[filing.pk]))
    filing.refresh_from_db()
    assert filing.status == StatisticsFiling.Status.CONFIRMED
    export = client.get(reverse("hazards:filing-export", args=[filing.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == f"{enterprise.name} 2026年第1季度隐患排查治理统计分析表"
    assert cells[2] == ("序号", "项目", "数值")
    assert cells[3] == (1, "本期排查发现隐患", 0)
    assert ["主要负责人签字", "王主任"] in [list(row[1:]) for row in cells]


def test_the_supervisors_pages_show_rates_the_missing_list_and_its_export(registered, as_user):
    sweeps.flag_missing_filings(date(2026, 4, 16))
    client = as_user(registered["county_office"])
    report = client.get(reverse("hazards:filing-report"), {"period": PERIOD})
    assert report.status_code == 200 and report.context["totals"]["missing"] == 2
    by_industry = client.get(reverse("hazards:filing-report"), {"period": PERIOD, "by": "industry"})
    assert len(by_industry.context["rows"]) == 2
    missing = client.get(reverse("hazards:filing-missing"), {"period": PERIOD, "q": "建工"})
    assert [f.enterprise for f in missing.context["page"]] == [registered.enterprise_x]
    export = client.get(reverse("hazards:filing-missing-export"), {"period": PERIOD})
    assert export.status_code == 200
    rules_page = client.get(reverse("hazards:filing-rules"))
    assert rules_page.status_code == 200 and rules_page.context["may_set"]
    listed = client.get(reverse("hazards:filing-list", args=[registered.enterprise_x.pk]))
    assert listed.context["breadcrumbs"][0] == ("隐患统计分析表上报情况", reverse("hazards:filing-report"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_flag_and_notify_each_enterprise_once(cast):
    import threading
    import time as clock

    from django.db import connection

    from anlan.core.tests.factories import EnterpriseFactory

    for _index in range(20):
        EnterpriseFactory(region=cast.village_a, industry=cast.enterprise_x.industry)
    Enterprise.objects.update(created_at=datetime(2026, 2, 1, tzinfo=SHANGHAI))
    errors: list[BaseException] = []

    def worker():
        try:
            for attempt in range(100):
                try:
                    sweeps.flag_missing_filings(date(2026, 4, 16))
                    return
                except Exception as exc:  # SQLite's shared test cache reports a busy table instead of waiting
                    if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 99:
                        raise
                    clock.sleep(0.02)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert StatisticsFiling.objects.count() == 22  # one per enterprise, X and Y included
    assert StatisticsFiling.objects.filter(flagged_on=date(2026, 4, 16)).count() == 22
    assert StatisticsFiling.history.filter(history_type="~").count() == 22
    assert (
        Notification.objects.filter(kind="hazard_filing_missing", recipient=cast["dept_housing"]).count()
        == 21
    )
