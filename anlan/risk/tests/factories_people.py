"""Staff, certificates, assessments and training for tests: recorded for the cast's enterprise X (construction, in
town A's village, supervised by the housing department) through the services, as X's user."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from anlan.core.rules import id_number_check_character
from anlan.risk.services import people as services

_serial = itertools.count(1)


def id_number(birth: date = date(1985, 6, 1)) -> str:
    """A valid 18-digit 居民身份证号码 (来安县 341122, a running sequence number, its check character)."""
    first17 = f"341122{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + id_number_check_character(first17)


def staff_data(**overrides) -> dict:
    return {
        "name": "张建国",
        "id_number": id_number(),
        "phone": "13905501234",
        "post": "电工",
        "is_principal": False,
        "is_safety_manager": False,
        "is_special_operator": True,
        "hired_on": timezone.localdate() - timedelta(days=800),
        **overrides,
    }


def staff(cast, actor=None, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    return services.add_staff(
        actor=actor or cast["enterprise_x"], enterprise_pk=enterprise.pk, data=staff_data(**overrides)
    )


def certificate_data(**overrides) -> dict:
    return {
        "kind": "special_operation",
        "category": "electrician",
        "operation_item": "低压电工作业",
        "number": f"T3411221985{next(_serial):07d}",
        "issuing_authority": "滁州市应急管理局",
        "issued_on": timezone.localdate() - timedelta(days=400),
        "continuous_years_same_trade": 0,
        "compliant": True,
        "authority_agrees": False,
        **overrides,
    }


def certificate(cast, holder=None, actor=None, **overrides):
    holder = holder or staff(cast)
    return services.record_certificate(
        actor=actor or cast["enterprise_x"], staff_pk=holder.pk, data=certificate_data(**overrides)
    )


def assessment(cast, holder=None, actor=None, **overrides):
    holder = holder or staff(
        cast, name="李安全", post="安全员", is_safety_manager=True, is_special_operator=False
    )
    data = {
        "kind": "safety_manager",
        "assessed_on": timezone.localdate() - timedelta(days=30),
        "assessor": "来安县应急管理局",
        "score": "86",
        **overrides,
    }
    return services.record_assessment(actor=actor or cast["enterprise_x"], staff_pk=holder.pk, data=data)


def training(cast, attendees=None, actor=None, enterprise=None, **overrides):
    enterprise = enterprise or cast.enterprise_x
    attendees = attendees if attendees is not None else [staff(cast)]
    data = {
        "held_on": timezone.localdate() - timedelta(days=20),
        "subject": "电气作业安全规程再培训",
        "kind": "annual",
        "hours": "8",
        "trainer": "来安县安全生产培训中心",
        "attendees": [s.pk for s in attendees],
        **overrides,
    }
    return services.record_training(
        actor=actor or cast["enterprise_x"], enterprise_pk=enterprise.pk, data=data
    )
