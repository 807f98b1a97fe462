"""Credit as pure rules (no ORM): the 严重失信主体名单 situations, periods and removal (应急管理部令第11号) and the
five-colour rating. Each rule names its source (../shared/regulations.md)."""


# ================================================================ the five-colour rating (四化五色)
# Seed-map B13 「通过“五色”管理，给社会指引一个好和坏的方向」. No national standard defines the five colours: the
# criteria below are issue #18's default, shipped as data (`RatingConfig`) that each county may change.

from calendar import monthrange  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date  # noqa: E402

from django.utils.translation import gettext as _  # noqa: E402

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
    source = _("风险分级管控台账") if facts.risk_from_register else _("登记信息推定")
    recent_accidents = [(d, g, n) for d, g, n in facts.accidents if in_window(d, recent, today)]
    serious = [(d, g, n) for d, g, n in recent_accidents if g in SERIOUS_ACCIDENT_GRADES]
    penalties = [(d, n) for d, n in facts.penalties if in_window(d, recent, today)]

    # 红
    if config.red_major_risk and level == RISK_MAJOR:
        add("risk_major", _("最高风险等级为重大风险（%(source)s）") % {"source": source}, level=level)
    if config.red_dishonest and facts.dishonest:
        add("dishonest", _("列入安全生产严重失信主体名单"))
    if config.red_serious_accident and serious:
        count = sum(n for _d, _g, n in serious)
        grades = {g for _d, g, _n in serious}
        what = _(ACCIDENT_GRADE_NAMES[grades.pop()]) if len(grades) == 1 else _("较大及以上事故")
        add(
            "serious_accident",
            _("近%(months)s个月发生%(what)s%(count)s起（%(days)s）")
            % {"months": months, "what": what, "count": count, "days": _iso({d for d, _g, _n in serious})},
            count=count,
        )
    if config.red_overdue_major_hazard and facts.overdue_major_hazards > 0:
        add(
            "overdue_major_hazard",
            _("重大事故隐患逾期未整改%(count)s项") % {"count": facts.overdue_major_hazards},
            count=facts.overdue_major_hazards,
        )
    # 橙
    if config.orange_significant_risk and level == RISK_SIGNIFICANT:
        add("risk_significant", _("最高风险等级为较大风险（%(source)s）") % {"source": source}, level=level)
    if config.orange_open_major_hazard and facts.open_major_hazards > 0:
        add(
            "open_major_hazard",
            _("存在未销号的重大事故隐患%(count)s项") % {"count": facts.open_major_hazards},
            count=facts.open_major_hazards,
        )
    if config.orange_accident and recent_accidents:
        count = sum(n for _d, _g, n in recent_accidents)
        add(
            "accident",
            _("近%(months)s个月发生生产安全事故%(count)s起（%(days)s）")
            % {"months": months, "count": count, "days": _iso({d for d, _g, _n in recent_accidents})},
            count=count,
        )
    if config.orange_penalty and penalties:
        count = sum(n for _d, n in penalties)
        add(
            "penalty",
            _("近%(months)s个月受到行政处罚%(count)s次（%(days)s）")
            % {"months": months, "count": count, "days": _iso({d for d, _n in penalties})},
            count=count,
        )
    # 黄
    if config.yellow_general_risk and level == RISK_GENERAL:
        add("risk_general", _("最高风险等级为一般风险（%(source)s）") % {"source": source}, level=level)
    if config.yellow_overdue_hazards and facts.overdue_ordinary_hazards >= config.overdue_hazards_threshold:
        add(
            "overdue_hazards",
            _("一般事故隐患逾期未整改%(count)s项（标准：≥%(threshold)s项）")
            % {"count": facts.overdue_ordinary_hazards, "threshold": config.overdue_hazards_threshold},
            count=facts.overdue_ordinary_hazards,
        )
    if facts.selfcheck_missing is None:
        if config.yellow_selfcheck_unrecorded:
            add("selfcheck_unrecorded", _("未记录自查自改（无自查清单）"))
    elif config.yellow_selfcheck_missing and facts.selfcheck_missing >= config.selfcheck_missing_threshold:
        add(
            "selfcheck_missing",
            _("自查自改缺失%(count)s期（标准：≥%(threshold)s期）")
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
            _(
                "风险等级低，持有有效的安全生产标准化%(grade)s级证书，近%(years)s年无生产安全事故、无逾期未整改隐患"
            )
            % {"grade": facts.standardisation_grade, "years": years},
            grade=facts.standardisation_grade,
        )
        return reasons
    add(
        "risk_low",
        _("最高风险等级为%(level)s（%(source)s），无红、橙、黄色情形")
        % {"level": _(RISK_NAMES[level]), "source": source},
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
