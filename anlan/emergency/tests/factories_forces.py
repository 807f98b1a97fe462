"""Helpers that make the forces part's records through its services, as users do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from anlan.core.models import Membership, Role
from anlan.emergency.services import forces as services


def team_data(region, **overrides) -> dict:
    data = {
        "name": "新安镇应急救援队",
        "kind": "town",
        "region": region,
        "unit": None,
        "leader": "李队长",
        "leader_phone": "13900001111",
        "members": 25,
        "specialties": "防汛、水域救援",
        "equipment": "冲锋舟2艘、排涝泵4台",
        "latitude": Decimal("32.452100"),
        "longitude": Decimal("118.433500"),
    }
    return data | overrides


def shelter_data(region, **overrides) -> dict:
    data = {
        "name": "新安镇中心小学避难场所",
        "kind": "indoor",
        "region": region,
        "address": "新安镇人民路1号",
        "capacity": 800,
        "area_m2": Decimal("3200.0"),
        "manager": "王校长",
        "manager_phone": "13900002222",
        "facilities": "饮用水、应急照明、医疗点",
        "latitude": None,
        "longitude": None,
    }
    return data | overrides


def expert_data(region, **overrides) -> dict:
    data = {
        "name": "赵工",
        "phone": "13900003333",
        "employer": "滁州市安全生产技术服务中心",
        "title": "高级工程师",
        "specialties": ["construction", "fire"],
        "region": region,
        "is_available": True,
        "unavailable_until": None,
        "user": None,
        "note": "",
    }
    return data | overrides


def make_team(cast, actor=None, **overrides):
    return services.register_rescue_team(
        actor=actor or cast["town_a"], data=team_data(overrides.pop("region", cast.town_a), **overrides)
    )


def make_shelter(cast, actor=None, **overrides):
    return services.register_shelter(
        actor=actor or cast["town_a"], data=shelter_data(overrides.pop("region", cast.town_a), **overrides)
    )


def make_expert(cast, **overrides):
    return services.register_expert(
        actor=cast["county_office"], data=expert_data(overrides.pop("region", cast.county), **overrides)
    )


def expert_of(cast, **overrides):
    """The library entry of the cast's expert user (`zhuanjia` in the demo)."""
    return make_expert(cast, user=cast["expert"], name="钱专家", **overrides)


def make_consultation(cast, **overrides):
    data = {
        "title": "东关社区工地深基坑险情研判",
        "region": cast.county,
        "incident": None,
        "reference": "",
        "question": "基坑支护出现裂缝，是否需要立即撤离周边居民？",
    } | overrides
    return services.request_consultation(actor=cast["county_office"], data=data)


def assigned(cast, expert=None, consultation=None):
    """A consultation with `expert` (default: the cast's expert user's entry) assigned; returns the assignment."""
    consultation = consultation or make_consultation(cast)
    expert = expert or expert_of(cast)
    (assignment,) = services.assign_experts(
        actor=cast["county_office"], consultation_pk=consultation.pk, experts=[expert]
    )
    return assignment


def second_expert_user(cast):
    """Another expert account (an outsider to the cast expert's assignments)."""
    from anlan.core.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="expert_two")
    MembershipFactory(user=user, role=Role.EXPERT)
    assert Membership.objects.filter(user=user).exists()
    return user


TODAY = date(2026, 6, 15)
