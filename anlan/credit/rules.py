"""Credit as pure rules (no ORM): the 严重失信主体名单 situations, periods and removal (应急管理部令第11号) and the
five-colour rating. Each rule names its source (../shared/regulations.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from numbers import Real

from django.utils.translation import gettext_lazy as _

from anlan.accidents.rules import EXTRAORDINARILY_SERIOUS, GRADES, MAJOR, RELATIVELY_MAJOR
from anlan.core.rules import add_years

# ---------------------------------------------------------------- 严重失信主体名单 (regulations.md §4)


class DishonestyCode(StrEnum):
    """The rule a refusal of the dishonesty procedure applies."""

    SITUATION_INVALID = "situation_invalid"
    SUBJECT_KIND_INVALID = "subject_kind_invalid"
    SUBJECT_MISSING = "subject_missing"
    AGENCY_TYPE_REQUIRED = "agency_type_required"
    DECIDING_UNIT_INVALID = "deciding_unit_invalid"
    STATEMENT_PERIOD_OPEN = "statement_period_open"
    STATEMENT_PERIOD_CLOSED = "statement_period_closed"
    NOT_YET_ELIGIBLE = "not_yet_eligible"
    CONDITIONS_NOT_MET = "conditions_not_met"
    NOT_DECIDER = "not_decider"
    TEXT_MISSING = "text_missing"
    WORKING_DAYS_INVALID = "working_days_invalid"
    DUPLICATE_CASE = "duplicate_case"


# Who is listed (11号令 第六条/第七条 as summarised in regulations.md §4).
UNIT = "unit"
PRINCIPAL = "principal"
AGENCY = "agency"
SUBJECTS = (UNIT, PRINCIPAL, AGENCY)

ENTERPRISE = "enterprise"
AGENCY_KIND = "agency"
SUBJECT_KINDS = (ENTERPRISE, AGENCY_KIND)

# The local stricter rule (seed-map H6, S2 L575 「对发生较大以上事故的企业，一律实施联合惩戒」) is not one of the
# nine situations of 11号令: it is returned as situation 0 so it can never be mistaken for a national one.
LOCAL_RELATIVELY_MAJOR = 0
SITUATIONS = tuple(range(0, 10))
SITUATION_CHOICES = (
    (0, _("本地从严：发生较大生产安全事故（较大以上事故一律联合惩戒）")),
    (1, _("情形一：发生特别重大、重大生产安全事故")),
    (2, _("情形二：12个月内累计发生2起以上较大生产安全事故")),
    (3, _("情形三：发生生产安全事故，情节特别严重、影响特别恶劣，被处2倍以上5倍以下罚款")),
    (4, _("情形四：瞒报、谎报生产安全事故")),
    (5, _("情形五：事故发生后主要负责人不立即组织抢救，或在调查处理期间擅离职守、逃匿")),
    (6, _("情形六：未依法取得安全生产许可，或许可被暂扣、吊销期间从事生产经营活动")),
    (7, _("情形七：安全评价、认证、检测、检验机构出租出借资质、挂靠或出具虚假报告、证书")),
    (8, _("情形八：有能力履行而拒不履行、逃避应急管理部门行政处罚")),
    (9, _("情形九：其他违反安全生产法律法规受到行政处罚，性质恶劣、情节严重")),
)

# 11号令 第六条（二）: two or more 较大 accidents within 12 months.
RELATIVELY_MAJOR_ACCIDENTS_THRESHOLD = 2
# 11号令 第六条（三）and 安全生产法 第一百一十四条第二款: fined at 2 to 5 times the amounts of its first paragraph.
FINE_MULTIPLIER_LOW = Decimal(2)
FINE_MULTIPLIER_HIGH = Decimal(5)
# The management period: 3 years (regulations.md §4, likely: 山西 implementing rules quoting the national 办法).
LISTING_YEARS = 3
# Early removal (信用修复) after at least 12 months on the list (regulations.md §4, likely).
MINIMUM_LISTED_YEARS = 1

_BOOLEAN_KEYS = {
    "concealed_or_false_report": ENTERPRISE,
    "principal_failed_rescue_or_fled": ENTERPRISE,
    "operated_without_licence": ENTERPRISE,
    "evaded_penalty_while_able": ENTERPRISE,
    "issued_false_report": AGENCY_KIND,
    "rented_out_qualification": AGENCY_KIND,
    "allowed_affiliated_operation": AGENCY_KIND,
    "other_serious_violation": None,  # either kind
}
FACT_KEYS = frozenset(
    {
        "subject_kind",
        "accident_grade",
        "relatively_major_accidents_last_12_months",
        "fine_multiplier",
        *_BOOLEAN_KEYS,
    }
)

# Who each situation lists. 1: "the unit, its 主要负责人 and other units or people found responsible" — the others
# are entered by hand as further subjects; 4: "the unit and the responsible people", of whom the 主要负责人 is the
# one the data names; 5: the conduct is the 主要负责人's own (failing to organise rescue, leaving during the
# investigation, fleeing), so the principal alone is listed — the unit follows only through another situation;
# 7: the agency (its directly responsible staff are added by hand as agency staff); 9: the unit.
SITUATION_SUBJECTS: Mapping[int, tuple[str, ...]] = {
    LOCAL_RELATIVELY_MAJOR: (UNIT, PRINCIPAL),
    1: (UNIT, PRINCIPAL),
    2: (UNIT, PRINCIPAL),
    3: (UNIT, PRINCIPAL),
    4: (UNIT, PRINCIPAL),
    5: (PRINCIPAL,),
    6: (UNIT, PRINCIPAL),
    7: (AGENCY,),
    8: (UNIT, PRINCIPAL),
    9: (UNIT,),
}


def _flag(facts: Mapping, key: str) -> bool:
    value = facts.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be a bool, not {value!r}")
    return value


def _count(facts: Mapping, key: str) -> int:
    value = facts.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an int, not {value!r}")
    if value < 0:
        raise ValueError(f"{key} must not be negative, not {value!r}")
    return value


def _multiplier(facts: Mapping) -> Decimal:
    value = facts.get("fine_multiplier")
    if value is None:
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"fine_multiplier must be a number, not {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise ValueError(f"fine_multiplier must be a finite number of at least 0, not {value!r}")
    # 安全生产法 第一百一十四条第二款: at most 5 times; a higher multiple is not a lawful fine.
    if number > FINE_MULTIPLIER_HIGH:
        raise ValueError(f"fine_multiplier above {FINE_MULTIPLIER_HIGH} is not a lawful fine: {value!r}")
    return number


def dishonesty_situations(
    facts: Mapping, *, local_relatively_major_rule: bool = False
) -> list[tuple[int, tuple[str, ...]]]:
    """The situations of 应急管理部令第11号 the facts meet, in order, each with the subjects it lists.

    `facts` keys (all optional): subject_kind ("enterprise", the default, or "agency"); accident_grade (an
    accidents grade code, or None); concealed_or_false_report; relatively_major_accidents_last_12_months (int);
    fine_multiplier (number, 0–5); principal_failed_rescue_or_fled; operated_without_licence (also while suspended
    or revoked); evaded_penalty_while_able; other_serious_violation; and for agencies issued_false_report,
    rented_out_qualification, allowed_affiliated_operation (挂靠). Keys of the other kind must be false.
    With `local_relatively_major_rule`, a 较大 accident gives situation 0 (the local stricter rule, 较大以上事故一律
    联合惩戒); 重大 and worse are situation 1 anyway. Unknown keys, wrong types, negative counts, a multiplier above
    5 and unknown grades or subject kinds raise ValueError."""
    if not isinstance(facts, Mapping):
        raise ValueError(f"facts must be a mapping, not {type(facts).__name__}")
    unknown = set(facts) - FACT_KEYS
    if unknown:
        raise ValueError(f"unknown facts: {sorted(unknown)}")
    kind = facts.get("subject_kind", ENTERPRISE)
    if kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown subject_kind {kind!r}")
    grade = facts.get("accident_grade")
    if grade is not None and grade not in GRADES:
        raise ValueError(f"unknown accident_grade {grade!r}")
    flags = {key: _flag(facts, key) for key in _BOOLEAN_KEYS}
    for key, only_for in _BOOLEAN_KEYS.items():
        if flags[key] and only_for not in (None, kind):
            raise ValueError(f"{key} applies to subject_kind {only_for!r}, not {kind!r}")
    relatively_major = _count(facts, "relatively_major_accidents_last_12_months")
    multiplier = _multiplier(facts)
    if kind == AGENCY_KIND and (grade is not None or relatively_major or multiplier):
        raise ValueError("accident facts apply to subject_kind 'enterprise', not 'agency'")

    met: list[int] = []
    if kind == ENTERPRISE:
        # 11号令 第六条（一）: a 特别重大 or 重大 accident.
        if grade in (MAJOR, EXTRAORDINARILY_SERIOUS):
            met.append(1)
        # Local stricter rule (seed-map H6, S2 L575): a single 较大 accident, where the county switched it on.
        elif grade == RELATIVELY_MAJOR and local_relatively_major_rule:
            met.append(LOCAL_RELATIVELY_MAJOR)
        # 11号令 第六条（二）: 2 or more 较大 accidents within 12 months.
        if relatively_major >= RELATIVELY_MAJOR_ACCIDENTS_THRESHOLD:
            met.append(2)
        # 11号令 第六条（三）: fined at 2–5 times under 安全生产法 第一百一十四条.
        if FINE_MULTIPLIER_LOW <= multiplier <= FINE_MULTIPLIER_HIGH:
            met.append(3)
        # 11号令 第六条（四）: 瞒报 or 谎报 of an accident.
        if flags["concealed_or_false_report"]:
            met.append(4)
        # 11号令 第六条（五）: the 主要负责人 did not organise rescue, left during the investigation or fled.
        if flags["principal_failed_rescue_or_fled"]:
            met.append(5)
        # 11号令 第七条（一）: operating without the licence, or while it was suspended or revoked.
        if flags["operated_without_licence"]:
            met.append(6)
        # 11号令 第七条（三）: refusing or evading a penalty while able to pay.
        if flags["evaded_penalty_while_able"]:
            met.append(8)
    # 11号令 第七条（二）: an agency renting out its qualification, 挂靠, or issuing false reports or certificates.
    elif (
        flags["issued_false_report"]
        or flags["rented_out_qualification"]
        or flags["allowed_affiliated_operation"]
    ):
        met.append(7)
    # 11号令 第七条（四）: other violations penalised where the conduct is 性质恶劣、情节严重.
    if flags["other_serious_violation"]:
        met.append(9)
    return [(number, _subjects(number, kind)) for number in sorted(met, key=_order)]


def _order(number: int) -> int:
    # Situation 0 (local) sits where situation 1 would: it is the accident-grade situation.
    return 1 if number == LOCAL_RELATIVELY_MAJOR else number


def _subjects(number: int, kind: str) -> tuple[str, ...]:
    if number == 9 and kind == AGENCY_KIND:
        return (AGENCY,)
    return SITUATION_SUBJECTS[number]


def _check_day(value, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, not {value!r}")
    return value


def listing_expires_on(listed_on: date) -> date:
    """The last day of a listing made on `listed_on`: 3 years later on the same calendar day (民法典 第二百零一条,
    as `core.rules.add_years` counts: the listing day is not counted, the period ends on the corresponding day;
    listed on 29 February, it ends on 28 February). Removal on expiry happens the day after."""
    # 11号令 (regulations.md §4, likely): 管理期限为3年.
    return add_years(_check_day(listed_on, "listed_on"), LISTING_YEARS)


def early_removal_eligible_from(listed_on: date) -> date:
    """The first day an early-removal application may be made: the day after 12 full months on the list."""
    # 11号令 (regulations.md §4, likely): 列入满12个月 — the 12 months end on the corresponding day (民法典 第二百零一条).
    return add_years(_check_day(listed_on, "listed_on"), MINIMUM_LISTED_YEARS) + timedelta(days=1)


def early_removal_eligible(listed_on: date, apply_on: date) -> bool:
    """Whether the subject has been on the list the minimum time (12 full months) on `apply_on`; the other repair
    conditions are checked by the procedure, not here. `apply_on` before `listed_on` raises ValueError."""
    listed_on = _check_day(listed_on, "listed_on")
    apply_on = _check_day(apply_on, "apply_on")
    if apply_on < listed_on:
        raise ValueError(f"apply_on {apply_on} is before listed_on {listed_on}")
    return apply_on >= early_removal_eligible_from(listed_on)


def listing_expired(expires_on: date, today: date) -> bool:
    """Whether a listing ending on `expires_on` has run out on `today` (its last day still counts)."""
    return today > expires_on


def statement_days_valid(days: int) -> bool:
    """A county's 陈述申辩 period in working days: a whole number from 1 to 30 (an assumption; see data.py)."""
    return isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 30
