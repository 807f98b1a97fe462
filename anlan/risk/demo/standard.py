"""Demo step `risk_standard`: 标准化 grades, 安责险 policies, 安全生产费用 and 责任制 for the demo county.

qiye's enterprise (建筑施工, compulsory 安责险) holds a current 三级 grade, keeps its spending and its responsibility
system, and its policy lapsed 20 days ago (the 待办, the 应投未投 list, and the browser flow's new policy). Of the
other operating enterprises in compulsory industries, most hold a current policy (one ends within 30 days), some hold
grades (one ends within 90 days, one expired), and one with a fatal demo accident inside its grade's validity has its
一级 grade flagged 待撤销审查 by the same handler a reported accident calls. Deterministic (its own random stream)
and written through the services, so every row has its history; skipped when grades exist already."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from anlan.core.models import Enterprise

from ..models import StandardisationGrade
from ..selectors import standard as selectors
from ..services import standard as services

INSURERS = (
    "中国人民财产保险股份有限公司滁州市分公司",
    "中国平安财产保险股份有限公司滁州中心支公司",
    "中国太平洋财产保险股份有限公司滁州中心支公司",
)


def _grade(actor, enterprise, grade, issued_on, number, authority="滁州市应急管理局"):
    return services.record_grade(
        actor=actor,
        enterprise_pk=enterprise.pk,
        data={
            "grade": grade,
            "issuing_level": "",
            "issuing_authority": {"1": "应急管理部", "2": "安徽省应急管理厅"}.get(grade, authority),
            "certificate_no": number,
            "specialty": enterprise.industry.name,
            "issued_on": issued_on,
        },
    )


def _policy(actor, enterprise, rng, starts_on, ends_on, number, service=True):
    people = max(enterprise.employees, 5)
    return services.record_policy(
        actor=actor,
        enterprise_pk=enterprise.pk,
        data={
            "insurer": rng.choice(INSURERS),
            "policy_no": number,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "insured_people": people,
            "per_person_amount": Decimal(rng.choice((400_000, 500_000, 600_000))),
            "total_amount": Decimal(people * 500_000),
            "premium": Decimal(people * rng.randint(180, 420)),
            "technical_service": service,
        },
    )


def _spending(actor, enterprise, rng, year):
    extracted = Decimal(rng.randint(20, 300) * 1000)
    return services.record_spending(
        actor=actor,
        enterprise_pk=enterprise.pk,
        data={
            "year": year,
            "extracted": extracted,
            "used_facilities": (extracted * Decimal("0.35")).quantize(Decimal("1")),
            "used_emergency": (extracted * Decimal("0.10")).quantize(Decimal("1")),
            "used_training": (extracted * Decimal("0.08")).quantize(Decimal("1")),
            "used_protective": (extracted * Decimal("0.12")).quantize(Decimal("1")),
            "used_insurance": Decimal(rng.randint(5, 40) * 1000),
            "note": "",
        },
    )


def step(demo) -> None:
    if StandardisationGrade.objects.exists():
        return
    rng = demo.random("risk_standard")
    today = min(demo.today, timezone.localdate())
    office = demo.users["anweiban"]
    housing = demo.users.get("zhujian", office)
    # The other demo enterprises have no accounts: their own records are entered as an import by the system
    # administrator (a supervisor may not keep an enterprise's records for it).
    importer = demo.users["admin"]
    qiye = demo.users["qiye"]
    ours = demo.demo_enterprise

    # qiye's enterprise: a current 三级 grade confirmed by the 住建局, its spending and responsibility system, and a
    # policy that lapsed 20 days ago.
    grade = _grade(qiye, ours, "3", today - timedelta(days=400), "AQBJGIII(皖滁)2025018")
    services.confirm_grade(actor=housing, grade_pk=grade.pk)
    _policy(qiye, ours, rng, today - timedelta(days=385), today - timedelta(days=20), "PZAB2025341122000318")
    _spending(qiye, ours, rng, today.year)
    services.record_responsibility(
        actor=qiye,
        enterprise_pk=ours.pk,
        data={
            "title": "全员安全生产责任制（2026 年修订）",
            "document_no": "建工安〔2026〕1号",
            "adopted_on": today - timedelta(days=90),
        },
    )

    compulsory = selectors.compulsory_industry_ids()
    others = list(
        Enterprise.objects.filter(
            pk__in=[e.pk for e in demo.enterprises if e != ours],
            status=Enterprise.Status.OPERATING,
            industry_id__in=compulsory,
        )
        .select_related("industry")
        .order_by("pk")
    )
    insured = others[: max(len(others) * 2 // 3, 1)]
    for index, enterprise in enumerate(insured):
        starts_on = today - timedelta(days=rng.randint(30, 300))
        ends_on = starts_on + timedelta(days=364)
        if index == 0:  # one ends within 30 days
            ends_on = today + timedelta(days=12)
            starts_on = ends_on - timedelta(days=364)
        policy = _policy(
            importer, enterprise, rng, starts_on, ends_on, f"PDEMO{today.year}{index:05d}", index % 3 != 2
        )
        if policy.technical_service and index % 2 == 0:
            services.record_policy_service(
                actor=importer,
                policy_pk=policy.pk,
                data={
                    "served_on": min(today, starts_on + timedelta(days=45)),
                    "provider": "安徽安泰安全技术服务有限公司",
                    "content": "开展现场风险辨识、隐患排查和从业人员安全培训，出具服务报告。",
                    "findings": rng.choice(("消防器材过期 2 具。", "临时用电线路私拉乱接。", "")),
                },
            )
    for index, enterprise in enumerate(others[:12]):
        if index % 3 == 0:
            continue
        grade_value = "2" if index % 4 == 1 else "3"
        issued_on = today - timedelta(days=rng.randint(60, 900))
        if index == 1:  # ends within 90 days
            issued_on = today - timedelta(days=3 * 365 - 40)
        if index == 2:  # expired
            issued_on = today - timedelta(days=3 * 365 + 60)
        _grade(importer, enterprise, grade_value, issued_on, f"AQBJ-DEMO-{index:03d}")
    for enterprise in others[:20]:
        _spending(importer, enterprise, rng, today.year)

    # A 一级 grade flagged after a fatal demo accident of its enterprise (the accidents module's public list).
    from anlan.accidents.selectors import accident_list

    accident = (
        accident_list(office)
        .filter(enterprise__isnull=False, deaths__gte=1, occurred_at__date__gte=today - timedelta(days=700))
        .order_by("-occurred_at")
        .first()
    )
    if accident is not None:
        occurred_on = timezone.localtime(accident.occurred_at).date()
        enterprise = Enterprise.objects.get(pk=accident.enterprise_id)
        _grade(importer, enterprise, "1", occurred_on - timedelta(days=300), "AQBJGI(2024)0107")
        services.on_accident_reported(accident)

    services.sweep(today=today)
    demo.counts["标准化等级"] = StandardisationGrade.objects.count()
