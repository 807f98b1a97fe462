"""标准化, 安责险, 安全生产费用 and 责任制 for tests: recorded for the cast's enterprise X (construction, a compulsory
安责险 industry, supervised by the housing department, in town A's village) through the services."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from anlan.risk.services import standard as services


def grade_data(**overrides) -> dict:
    return {
        "grade": "3",
        "issuing_level": "",
        "issuing_authority": "来安县应急管理局",
        "certificate_no": "AQBJGIII2025001",
        "specialty": "建筑施工",
        "issued_on": timezone.localdate() - timedelta(days=200),
        **overrides,
    }


def grade(cast, actor=None, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    return services.record_grade(
        actor=actor or cast["enterprise_x"], enterprise_pk=enterprise.pk, data=grade_data(**overrides)
    )


def policy_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "insurer": "中国人民财产保险股份有限公司滁州市分公司",
        "policy_no": "PZAB2026341122000001",
        "starts_on": today - timedelta(days=100),
        "ends_on": today + timedelta(days=265),
        "insured_people": 120,
        "per_person_amount": "500000",
        "total_amount": "60000000",
        "premium": "36000",
        "technical_service": True,
        **overrides,
    }


def policy(cast, actor=None, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    return services.record_policy(
        actor=actor or cast["enterprise_x"], enterprise_pk=enterprise.pk, data=policy_data(**overrides)
    )


def service_data(**overrides) -> dict:
    return {
        "served_on": timezone.localdate(),
        "provider": "安徽某安全技术服务有限公司",
        "content": "现场风险辨识和隐患排查，出具技术服务报告。",
        "findings": "脚手架连墙件缺失 2 处。",
        **overrides,
    }


def service(cast, the_policy=None, actor=None, **overrides):
    the_policy = the_policy or policy(cast)
    return services.record_policy_service(
        actor=actor or cast["enterprise_x"], policy_pk=the_policy.pk, data=service_data(**overrides)
    )


def spending_data(**overrides) -> dict:
    return {
        "year": timezone.localdate().year,
        "extracted": "850000",
        "used_facilities": "300000",
        "used_training": "50000",
        "note": "",
        **overrides,
    }


def spending(cast, actor=None, **overrides):
    return services.record_spending(
        actor=actor or cast["enterprise_x"],
        enterprise_pk=cast.enterprise_x.pk,
        data=spending_data(**overrides),
    )


def responsibility(cast, actor=None, **overrides):
    data = {
        "title": "全员安全生产责任制（2026 年修订）",
        "document_no": "建工安〔2026〕1号",
        "adopted_on": timezone.localdate() - timedelta(days=30),
        **overrides,
    }
    return services.record_responsibility(
        actor=actor or cast["enterprise_x"], enterprise_pk=cast.enterprise_x.pk, data=data
    )


def accident(cast, *, deaths=1, grade="ordinary", occurred_on: date | None = None, enterprise=None, pk=9001):
    """An accident as the `accidents.reported` payload carries it (the handler reads only these attributes)."""
    occurred_on = occurred_on or timezone.localdate()
    occurred_at = timezone.make_aware(
        timezone.datetime(occurred_on.year, occurred_on.month, occurred_on.day, 10)
    )
    return SimpleNamespace(
        pk=pk,
        enterprise_id=(enterprise or cast.enterprise_x).pk,
        occurred_at=occurred_at,
        deaths=deaths,
        grade=grade,
        title="来安县建工集团有限公司高处坠落事故",
    )


def flagged_grade(cast, **overrides):
    """A 一级 grade of enterprise X flagged 待撤销审查 by a fatal accident."""
    the_grade = grade(
        cast, actor=cast["enterprise_x"], grade="1", certificate_no="AQBJGI2025009", **overrides
    )
    services.on_accident_reported(accident(cast))
    the_grade.refresh_from_db()
    return the_grade
