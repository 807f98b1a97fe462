"""Credit as pure rules (no ORM): the 严重失信主体名单 situations, periods and removal (应急管理部令第11号) and the
five-colour rating. Each rule names its source (../shared/regulations.md)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from numbers import Real

from django.utils.translation import gettext
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


# ================================================================ the five-colour rating (四化五色)
# Seed-map B13 「通过“五色”管理，给社会指引一个好和坏的方向」. No national standard defines the five colours: the
# criteria below are issue #18's default, shipped as data (`RatingConfig`) that each county may change.


RED, ORANGE, YELLOW, BLUE, GREEN = "red", "orange", "yellow", "blue", "green"
# Worst first: the order in which colours win.
COLOURS = (RED, ORANGE, YELLOW, BLUE, GREEN)
SEVERITY = {RED: 4, ORANGE: 3, YELLOW: 2, BLUE: 1, GREEN: 0}
COLOUR_NAMES = {RED: "红", ORANGE: "橙", YELLOW: "黄", BLUE: "蓝", GREEN: "绿"}

# Risk levels (regulations.md §5; the values `risk.highest_level` gives): 重大/较大/一般/低.
RISK_MAJOR, RISK_SIGNIFICANT, RISK_GENERAL, RISK_LOW = "major", "significant", "general", "low"
RISK_LEVELS = (RISK_MAJOR, RISK_SIGNIFICANT, RISK_GENERAL, RISK_LOW)
RISK_NAMES = {
    RISK_MAJOR: "重大风险",
    RISK_SIGNIFICANT: "较大风险",
    RISK_GENERAL: "一般风险",
    RISK_LOW: "低风险",
}
# inspections.rules.risk_level (registry flags) → the four levels above.
REGISTRY_RISK = {"major": RISK_MAJOR, "high": RISK_SIGNIFICANT, "medium": RISK_GENERAL, "low": RISK_LOW}

# Accident grades (493号令 第三条, the values of accidents.rules): 较大 or worse is "serious" here.
SERIOUS_ACCIDENT_GRADES = frozenset({"relatively_major", "major", "extraordinarily_serious"})
ACCIDENT_GRADE_NAMES = {
    "ordinary": "一般事故",
    "relatively_major": "较大事故",
    "major": "重大事故",
    "extraordinarily_serious": "特别重大事故",
}

# Reason codes, each with the colour it argues for.
REASON_COLOURS = {
    "risk_major": RED,
    "dishonest": RED,
    "serious_accident": RED,
    "overdue_major_hazard": RED,
    "risk_significant": ORANGE,
    "open_major_hazard": ORANGE,
    "accident": ORANGE,
    "penalty": ORANGE,
    "risk_general": YELLOW,
    "overdue_hazards": YELLOW,
    "selfcheck_missing": YELLOW,
    "selfcheck_unrecorded": YELLOW,
    "risk_low": BLUE,
    "green": GREEN,
}


@dataclass(frozen=True)
class RatingConfig:
    """A county's criteria (issue #18's default when it has set none): which criteria are on, the windows and
    the thresholds. Anlan's configuration, not a national standard."""

    red_major_risk: bool = True
    red_dishonest: bool = True
    red_serious_accident: bool = True
    red_overdue_major_hazard: bool = True
    orange_significant_risk: bool = True
    orange_open_major_hazard: bool = True
    orange_accident: bool = True
    orange_penalty: bool = True
    yellow_general_risk: bool = True
    yellow_overdue_hazards: bool = True
    yellow_selfcheck_missing: bool = True
    # An enterprise without any self-inspection record (no checklist): yellow only if the county says so.
    yellow_selfcheck_unrecorded: bool = False
    green_enabled: bool = True
    recent_months: int = 12
    clean_years: int = 3
    overdue_hazards_threshold: int = 1
    selfcheck_missing_threshold: int = 1

    def __post_init__(self):
        if not 1 <= self.recent_months <= 60:
            raise ValueError("recent_months must be 1…60")
        if not 1 <= self.clean_years <= 10:
            raise ValueError("clean_years must be 1…10")
        if self.overdue_hazards_threshold < 1 or self.selfcheck_missing_threshold < 1:
            raise ValueError("thresholds must be at least 1")


DEFAULT_CONFIG = RatingConfig()


@dataclass(frozen=True)
class RatingFacts:
    """What the rating reads about one enterprise on `today`.

    risk_level: one of RISK_LEVELS; risk_from_register: True when it came from the risk register
    (`risk.highest_level`), False when derived from the registry flags. accidents: (day, grade, count) of the
    enterprise's accidents since the widest window; penalties: (day, count) of its administrative penalties.
    Hazard counts are on `today`; last_overdue_on is the last day any of its hazards was overdue
    (`last_overdue_day`), None when none ever was. selfcheck_missing: missed self-inspection periods, None when the
    enterprise keeps no self-inspection record. standardisation_grade: "1"|"2"|"3" when current, else None."""

    risk_level: str = RISK_LOW
    risk_from_register: bool = False
    dishonest: bool = False
    accidents: tuple[tuple[date, str, int], ...] = ()
    penalties: tuple[tuple[date, int], ...] = ()
    open_major_hazards: int = 0
    overdue_major_hazards: int = 0
    overdue_ordinary_hazards: int = 0
    last_overdue_on: date | None = None
    selfcheck_missing: int | None = None
    standardisation_grade: str | None = None

    def __post_init__(self):
        if self.risk_level not in RISK_LEVELS:
            raise ValueError(f"unknown risk level {self.risk_level!r}")


@dataclass(frozen=True)
class Reason:
    code: str
    colour: str
    text: str
    params: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"code": self.code, "colour": self.colour, "text": self.text, "params": self.params}


@dataclass(frozen=True)
class RatingResult:
    colour: str
    reasons: tuple[Reason, ...]

    def reasons_json(self) -> list[dict]:
        return [reason.as_json() for reason in self.reasons]


def add_months(day: date, months: int) -> date:
    """The same calendar day `months` later (or earlier, for a negative count); the month's last day when it
    has no such day (31 March − 1 month → 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def recent_since(today: date, config: RatingConfig = DEFAULT_CONFIG) -> date:
    """The day before the recent window opens: "近12个月" counts events on days after it, up to today (the same
    calendar day 12 months ago is outside, the day after is inside). Anlan's reading of "12 months"."""
    return add_months(today, -config.recent_months)


def clean_since(today: date, config: RatingConfig = DEFAULT_CONFIG) -> date:
    """The day before the green window ("近3年") opens, counted like `recent_since`."""
    return add_months(today, -12 * config.clean_years)


def widest_since(today: date, config: RatingConfig = DEFAULT_CONFIG) -> date:
    """The earliest `*_since` of the two windows (what a reader must fetch events after)."""
    return min(recent_since(today, config), clean_since(today, config))


def in_window(day: date, since: date, today: date) -> bool:
    """An event of `day` lies in the window (since, today]."""
    return since < day <= today


def last_overdue_day(due_on: date, closed_on: date | None, today: date) -> date | None:
    """The last day a hazard was overdue, or None if it never was: it becomes overdue the day after its due date
    (hazards.rules.is_overdue); one still open and overdue is overdue today; one closed (销号) after its due
    date was overdue up to its closing day. Voided hazards are never counted (the reader leaves them out)."""
    if due_on >= today:
        return None
    if closed_on is None:
        return today
    return closed_on if closed_on > due_on else None


def overdue_within(last_overdue_on: date | None, since: date) -> bool:
    """Some hazard was overdue in the window (since, today]."""
    return last_overdue_on is not None and last_overdue_on > since


def _iso(days) -> str:
    return "、".join(day.isoformat() for day in sorted(days, reverse=True))


def rating_reasons(facts: RatingFacts, config: RatingConfig, today: date) -> list[Reason]:
    """Every criterion that applies, worst colour first (red, orange, yellow; blue or green when none does)."""
    reasons: list[Reason] = []
    recent = recent_since(today, config)
    clean = clean_since(today, config)
    months = config.recent_months

    def add(code: str, text: str, **params) -> None:
        reasons.append(Reason(code, REASON_COLOURS[code], text, params))

    level = facts.risk_level
    source = gettext("风险分级管控台账") if facts.risk_from_register else gettext("登记信息推定")
    recent_accidents = [(d, g, n) for d, g, n in facts.accidents if in_window(d, recent, today)]
    serious = [(d, g, n) for d, g, n in recent_accidents if g in SERIOUS_ACCIDENT_GRADES]
    penalties = [(d, n) for d, n in facts.penalties if in_window(d, recent, today)]

    # 红
    if config.red_major_risk and level == RISK_MAJOR:
        add("risk_major", gettext("最高风险等级为重大风险（%(source)s）") % {"source": source}, level=level)
    if config.red_dishonest and facts.dishonest:
        add("dishonest", gettext("列入安全生产严重失信主体名单"))
    if config.red_serious_accident and serious:
        count = sum(n for _d, _g, n in serious)
        grades = {g for _d, g, _n in serious}
        what = gettext(ACCIDENT_GRADE_NAMES[grades.pop()]) if len(grades) == 1 else gettext("较大及以上事故")
        add(
            "serious_accident",
            gettext("近%(months)s个月发生%(what)s%(count)s起（%(days)s）")
            % {"months": months, "what": what, "count": count, "days": _iso({d for d, _g, _n in serious})},
            count=count,
        )
    if config.red_overdue_major_hazard and facts.overdue_major_hazards > 0:
        add(
            "overdue_major_hazard",
            gettext("重大事故隐患逾期未整改%(count)s项") % {"count": facts.overdue_major_hazards},
            count=facts.overdue_major_hazards,
        )
    # 橙
    if config.orange_significant_risk and level == RISK_SIGNIFICANT:
        add(
            "risk_significant",
            gettext("最高风险等级为较大风险（%(source)s）") % {"source": source},
            level=level,
        )
    if config.orange_open_major_hazard and facts.open_major_hazards > 0:
        add(
            "open_major_hazard",
            gettext("存在未销号的重大事故隐患%(count)s项") % {"count": facts.open_major_hazards},
            count=facts.open_major_hazards,
        )
    if config.orange_accident and recent_accidents:
        count = sum(n for _d, _g, n in recent_accidents)
        add(
            "accident",
            gettext("近%(months)s个月发生生产安全事故%(count)s起（%(days)s）")
            % {"months": months, "count": count, "days": _iso({d for d, _g, _n in recent_accidents})},
            count=count,
        )
    if config.orange_penalty and penalties:
        count = sum(n for _d, n in penalties)
        add(
            "penalty",
            gettext("近%(months)s个月受到行政处罚%(count)s次（%(days)s）")
            % {"months": months, "count": count, "days": _iso({d for d, _n in penalties})},
            count=count,
        )
    # 黄
    if config.yellow_general_risk and level == RISK_GENERAL:
        add("risk_general", gettext("最高风险等级为一般风险（%(source)s）") % {"source": source}, level=level)
    if config.yellow_overdue_hazards and facts.overdue_ordinary_hazards >= config.overdue_hazards_threshold:
        add(
            "overdue_hazards",
            gettext("一般事故隐患逾期未整改%(count)s项（标准：≥%(threshold)s项）")
            % {"count": facts.overdue_ordinary_hazards, "threshold": config.overdue_hazards_threshold},
            count=facts.overdue_ordinary_hazards,
        )
    if facts.selfcheck_missing is None:
        if config.yellow_selfcheck_unrecorded:
            add("selfcheck_unrecorded", gettext("未记录自查自改（无自查清单）"))
    elif config.yellow_selfcheck_missing and facts.selfcheck_missing >= config.selfcheck_missing_threshold:
        add(
            "selfcheck_missing",
            gettext("自查自改缺失%(count)s期（标准：≥%(threshold)s期）")
            % {"count": facts.selfcheck_missing, "threshold": config.selfcheck_missing_threshold},
            count=facts.selfcheck_missing,
        )
    if reasons:
        return reasons
    # 蓝, or 绿 when the green conditions also hold.
    years = config.clean_years
    accidents_clean = [d for d, _g, _n in facts.accidents if in_window(d, clean, today)]
    if (
        config.green_enabled
        and facts.standardisation_grade
        and not accidents_clean
        and not overdue_within(facts.last_overdue_on, clean)
    ):
        add(
            "green",
            gettext(
                "风险等级低，持有有效的安全生产标准化%(grade)s级证书，近%(years)s年无生产安全事故、无逾期未整改隐患"
            )
            % {"grade": facts.standardisation_grade, "years": years},
            grade=facts.standardisation_grade,
        )
        return reasons
    add(
        "risk_low",
        gettext("最高风险等级为%(level)s（%(source)s），无红、橙、黄色情形")
        % {"level": gettext(RISK_NAMES[level]), "source": source},
        level=level,
    )
    return reasons


def five_colour_rating(
    facts: RatingFacts, config: RatingConfig = DEFAULT_CONFIG, *, today: date
) -> RatingResult:
    """The colour and its reasons: the worst colour any applicable criterion gives wins (issue #18 default,
    configurable per county; no national standard defines the five colours)."""
    reasons = rating_reasons(facts, config, today)
    colour = max((reason.colour for reason in reasons), key=SEVERITY.__getitem__)
    return RatingResult(colour, tuple(reasons))
