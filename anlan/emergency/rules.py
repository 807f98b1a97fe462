"""Pure rules of emergency preparedness and duty. No ORM, no clock.

Sources are in ../shared/regulations.md §6 (突发事件应对法 2024, 生产安全事故应急条例 国务院令第708号) and §7
(生产安全事故应急预案管理办法, 原总局令第88号 as amended by 应急管理部令第2号). Codes are English; each
vocabulary is a module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- plan kinds (预案管理办法 第六条)

COMPREHENSIVE = "comprehensive"
SPECIAL = "special"
ON_SITE = "on_site"
# 应急处置卡: a card for a key post; it hangs off a plan and has no drill or filing duty of its own.
CARD = "card"

PLAN_KINDS = (
    (COMPREHENSIVE, _("综合应急预案")),
    (SPECIAL, _("专项应急预案")),
    (ON_SITE, _("现场处置方案")),
)
PLAN_KINDS_WITH_CARD = (*PLAN_KINDS, (CARD, _("应急处置卡")))

# ---------------------------------------------------------------- unit categories

# 预案管理办法 第二十一条 (评审, 三年评估) and 生产安全事故应急条例 第八条 (演练频次).
HAZARDOUS_CHEMICALS = "hazardous_chemicals"  # 易燃易爆物品、危险化学品的生产、经营（带储存）、储存、运输单位
MINING = "mining"  # 矿山
METAL_SMELTING = "metal_smelting"  # 金属冶炼
CONSTRUCTION = "construction"  # 建筑施工
URBAN_RAIL = "urban_rail"  # 城市轨道交通运营
CROWDED_PLACE = "crowded_place"  # 宾馆、商场、娱乐场所、旅游景区等人员密集场所经营单位
CHEMICAL_USER = "chemical_user"  # 使用危险化学品达到国家规定数量的化工企业
FIREWORKS = "fireworks"  # 烟花爆竹生产、批发经营企业
GOVERNMENT = "government"  # 县级以上人民政府及其负有安全生产监督管理职责的部门
TOWN = "town"  # 乡、镇人民政府以及街道办事处等地方人民政府派出机关
OTHER_ENTERPRISE = "other_enterprise"  # 其他生产经营单位

UNIT_CATEGORIES = (
    (HAZARDOUS_CHEMICALS, _("易燃易爆物品、危险化学品生产经营储存运输单位")),
    (MINING, _("矿山企业")),
    (METAL_SMELTING, _("金属冶炼企业")),
    (CONSTRUCTION, _("建筑施工单位")),
    (URBAN_RAIL, _("城市轨道交通运营单位")),
    (CROWDED_PLACE, _("宾馆、商场、娱乐场所、旅游景区等人员密集场所经营单位")),
    (CHEMICAL_USER, _("使用危险化学品达到国家规定数量的化工企业")),
    (FIREWORKS, _("烟花爆竹生产、批发经营企业")),
    (GOVERNMENT, _("县级以上人民政府及其有关部门")),
    (TOWN, _("乡镇人民政府、街道办事处")),
    (OTHER_ENTERPRISE, _("其他生产经营单位")),
)
UNIT_CATEGORY_LABELS = dict(UNIT_CATEGORIES)

# 生产安全事故应急条例 第八条第二款: drill every half year and report each drill to the county department.
HALF_YEARLY_DRILL_CATEGORIES = frozenset(
    {HAZARDOUS_CHEMICALS, MINING, METAL_SMELTING, URBAN_RAIL, CONSTRUCTION, CROWDED_PLACE}
)
# 预案管理办法 第二十一条: these units 评审 their plans (the others 论证) and evaluate them every 3 years (第三十五条).
REVIEW_CATEGORIES = frozenset(
    {MINING, METAL_SMELTING, CONSTRUCTION, HAZARDOUS_CHEMICALS, CHEMICAL_USER, FIREWORKS}
)
# 生产安全事故应急条例 第十四条: units at high risk keep an 应急值班. The regulation's list; what the software
# applies is the DutyCategory table seeded from it (a county corrects it in the admin), given to duty_required.
DUTY_CATEGORIES = frozenset(
    {HAZARDOUS_CHEMICALS, MINING, METAL_SMELTING, URBAN_RAIL, CONSTRUCTION, CROWDED_PLACE, FIREWORKS}
)
# The categories an enterprise can have (the government ones are offices, not enterprises).
ENTERPRISE_CATEGORIES = tuple(
    (code, label) for code, label in UNIT_CATEGORIES if code not in {GOVERNMENT, TOWN}
)

# ---------------------------------------------------------------- enterprise size (国家统计局 大中小微型企业划分办法)

LARGE = "large"
MEDIUM = "medium"
SMALL = "small"
MICRO = "micro"
INDIVIDUAL = "individual"
MEDIUM_OR_LARGER = frozenset({LARGE, MEDIUM})

# ---------------------------------------------------------------- drills


YEAR = "year"
HALF_YEAR = "half_year"
TWO_YEARS = "two_years"
PERIOD_MONTHS = {HALF_YEAR: 6, YEAR: 12, TWO_YEARS: 24}
PERIOD_LABELS = {HALF_YEAR: _("每半年"), YEAR: _("每年"), TWO_YEARS: _("每两年")}
COUNTY_DEPARTMENT = "county_department"  # a drill is reported to the county-level department (条例 第八条)


@dataclass(frozen=True)
class DrillRequirement:
    """At least `count` drills every `period`; `per_plan`: each plan of the kind is drilled (not the unit as a
    whole); `report_to`: whom each drill is reported to (a Unit kind) or None."""

    count: int
    period: str
    per_plan: bool = False
    report_to: str | None = None

    @property
    def months(self) -> int:
        return PERIOD_MONTHS[self.period]


def drill_requirement(
    *, plan_kind: str | None = None, unit_category: str | None = None
) -> DrillRequirement | None:
    """The minimum drill frequency for a plan kind, a unit category or both; the stricter (shorter) wins.

    None when nothing applies (an 应急处置卡 alone, or an ordinary enterprise without a plan kind)."""
    found: list[DrillRequirement] = []
    # 预案管理办法 第三十三条: 综合或专项 at least once a year; 现场处置方案 at least every half year (each one).
    if plan_kind in (COMPREHENSIVE, SPECIAL):
        found.append(DrillRequirement(1, YEAR))
    elif plan_kind == ON_SITE:
        found.append(DrillRequirement(1, HALF_YEAR, per_plan=True))
    elif plan_kind not in (None, CARD):
        raise ValueError(f"unknown plan kind {plan_kind!r}")
    # 生产安全事故应急条例 第八条: governments and towns every 2 years; listed high-risk units every half year,
    # each drill reported to the county-level department.
    if unit_category in HALF_YEARLY_DRILL_CATEGORIES:
        found.append(DrillRequirement(1, HALF_YEAR, report_to=COUNTY_DEPARTMENT))
    elif unit_category in (GOVERNMENT, TOWN):
        found.append(DrillRequirement(1, TWO_YEARS))
    elif unit_category not in (None, CHEMICAL_USER, FIREWORKS, OTHER_ENTERPRISE):
        raise ValueError(f"unknown unit category {unit_category!r}")
    if not found:
        return None
    strictest = min(found, key=lambda r: r.months)
    return DrillRequirement(
        count=max(r.count for r in found if r.months == strictest.months),
        period=strictest.period,
        per_plan=any(r.per_plan for r in found if r.months == strictest.months),
        report_to=next((r.report_to for r in found if r.report_to), None),
    )


def drill_status(
    last_drilled_on: date | None,
    *,
    requirement: DrillRequirement,
    today: date,
    since: date,
    soon_days: int = 30,
) -> str:
    """ "on_time" | "due_soon" | "overdue" for a unit or plan drilled last on `last_drilled_on` (None: never,
    counted from `since`, e.g. the plan's publication), against `requirement`."""
    start = last_drilled_on or since
    due = add_months(start, requirement.months)
    if today > due:
        return OVERDUE
    if (due - today).days <= soon_days:
        return DUE_SOON
    return ON_TIME


ON_TIME = "on_time"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
COMPLIANCE_LABELS = {ON_TIME: _("按时"), DUE_SOON: _("即将到期"), OVERDUE: _("已逾期")}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (31 Aug + 6 months → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- plan review, filing, evaluation

REVIEW = "review"  # 评审
ARGUMENT = "argument"  # 论证
REVIEW_KIND_LABELS = {REVIEW: _("评审"), ARGUMENT: _("论证")}


def plan_review_kind(*, unit_category: str | None, scale: str | None) -> str:
    """评审 for the units of 预案管理办法 第二十一条 (listed categories, or any enterprise of 中型规模以上),
    论证 for the others."""
    if unit_category in REVIEW_CATEGORIES:
        return REVIEW
    if scale in MEDIUM_OR_LARGER and unit_category not in (GOVERNMENT, TOWN):
        return REVIEW
    return ARGUMENT


# 预案管理办法 第二十六条: filed within 20 working days of publication.
PLAN_FILING_WORKING_DAYS = 20
# The receiving department checks within 5 working days; no answer in time counts as filed.
PLAN_FILING_CHECK_WORKING_DAYS = 5


def plan_filing_due(published_on: date, calendar) -> date:
    """The last day to file a plan: 20 working days after its publication (`calendar`: an object with
    `add_working_days(start, n)`, such as core.calendar.Calendar)."""
    return calendar.add_working_days(published_on, PLAN_FILING_WORKING_DAYS)


def plan_filing_check_due(submitted_on: date, calendar) -> date:
    """The last day for the receiving department to check a filing (5 working days after submission)."""
    return calendar.add_working_days(submitted_on, PLAN_FILING_CHECK_WORKING_DAYS)


def filing_deemed_accepted(*, submitted_on: date, answered: bool, today: date, calendar) -> bool:
    """A filing neither accepted nor returned within the check period counts as filed (预案管理办法 第二十六条)."""
    return not answered and today > plan_filing_check_due(submitted_on, calendar)


def plan_evaluation_years(*, unit_category: str | None) -> int | None:
    """Years between evaluations: 3 for the units of 第二十一条 (预案管理办法 第三十五条), None otherwise (the
    owner still evaluates regularly, at an interval it sets)."""
    return 3 if unit_category in REVIEW_CATEGORIES else None


# 预案管理办法 第三十六条: what obliges a revision (after a major one the plan is filed again).
REVISION_TRIGGERS = (
    ("law_changed", _("依据的法律、法规、规章、标准发生重大变化")),
    ("command_changed", _("应急指挥机构及其职责发生调整")),
    ("hazards_changed", _("安全生产面临的风险发生重大变化")),
    ("resources_changed", _("重要应急资源发生重大变化")),
    ("response_lessons", _("在应急演练和事故应急救援中发现需要修订预案的重大问题")),
    ("other", _("编制单位认为应当修订的其他情况")),
)

# 预案管理办法 第三十六条 asks for a revision 及时 and gives no number: Anlan expects it started within this many days
# of the evaluation that found a trigger (a setting of Anlan's, not the regulation's).
REVISION_START_DAYS = 30


def revision_due(found_on: date) -> date:
    """The day by which a revision found necessary on `found_on` should have been started."""
    return found_on + timedelta(days=REVISION_START_DAYS)


# ---------------------------------------------------------------- response levels (突发事件应对法 第七十一条)

RESPONSE_LEVELS = (
    (1, _("一级")),
    (2, _("二级")),
    (3, _("三级")),
    (4, _("四级")),
)


# ---------------------------------------------------------------- a unit's category

# The industry domains (core's 行业领域 codes) whose units fall in a category of 第二十一条/条例第八条; a domain
# not listed inherits its parent's. First match wins in the order of `CATEGORY_PRECEDENCE`.
INDUSTRY_CATEGORIES = {
    "hazchem": HAZARDOUS_CHEMICALS,
    "hazchem-production": HAZARDOUS_CHEMICALS,
    "hazchem-trade": HAZARDOUS_CHEMICALS,
    "hazchem-use": CHEMICAL_USER,
    "commerce-oil": HAZARDOUS_CHEMICALS,  # 成品油经营 (易燃易爆物品)
    "urban-gas": HAZARDOUS_CHEMICALS,  # 燃气经营 (易燃易爆物品)
    "civil-explosives": HAZARDOUS_CHEMICALS,  # 民用爆炸物品 (易燃易爆物品)
    "fireworks": FIREWORKS,
    "coal-mine": MINING,
    "non-coal-mine": MINING,
    "metallurgy": METAL_SMELTING,
    "nonferrous": METAL_SMELTING,
    "construction": CONSTRUCTION,
    "fire-key": CROWDED_PLACE,
    "culture-tourism": CROWDED_PLACE,
}
# When a unit's domains give several categories, the one with the heaviest duties counts.
CATEGORY_PRECEDENCE = (
    HAZARDOUS_CHEMICALS,
    MINING,
    METAL_SMELTING,
    URBAN_RAIL,
    CONSTRUCTION,
    FIREWORKS,
    CROWDED_PLACE,
    CHEMICAL_USER,
)


def enterprise_category(industry_paths: list[list[str]], *, is_crowded_place: bool = False) -> str:
    """The unit category of an enterprise from its industry domains, each given as its path of codes from the
    root (["hazchem", "hazchem-trade"]), and its 人员密集场所 flag; OTHER_ENTERPRISE when nothing matches."""
    found = set()
    for path in industry_paths:
        for code in reversed(path):
            if code in INDUSTRY_CATEGORIES:
                found.add(INDUSTRY_CATEGORIES[code])
                break
    if is_crowded_place:
        found.add(CROWDED_PLACE)
    return next((category for category in CATEGORY_PRECEDENCE if category in found), OTHER_ENTERPRISE)


# ---------------------------------------------------------------- duty (值班值守)

# 生产安全事故应急条例 第十四条 (regulations.md §6): the 县级以上人民政府及其有关部门、乡镇人民政府 and the units of
# DUTY_CATEGORIES keep an emergency duty; county 安委办, departments and towns are the government offices here.
DUTY_UNIT_KINDS = frozenset({"committee_office", "department", "town"})
# A shift is at most a day long (24小时值班); day/night shifts are shorter.
MAX_SHIFT_HOURS = 24


def duty_required(
    *, unit_kind: str, enterprise_category: str | None = None, duty_categories=DUTY_CATEGORIES
) -> bool:
    """Whether a unit must keep a duty roster: government offices always; an enterprise when its category is
    one of `duty_categories` (the DutyCategory table's; the regulation's list by default)."""
    if unit_kind in DUTY_UNIT_KINDS:
        return True
    if unit_kind == "enterprise":
        return enterprise_category in duty_categories
    return False


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return add_months(month_start(day), 1)


def overlapping(spans: list[tuple]) -> tuple | None:
    """The first pair of (start, end) spans that overlap (touching ends do not), or None."""
    ordered = sorted(spans)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after[0] < before[1]:
            return before, after
    return None


# 生产安全事故报告和调查处理条例 第十三条 (regulations.md §1.2): changes are reported within 30 days of the accident;
# daily 续报 are tracked for that long unless the incident is closed first.
FOLLOW_UP_DAYS = 30


def follow_ups_missing(*, required: int, received: int) -> int:
    """How many 续报 of a day are missing: the day's requirement less those received (never below 0)."""
    if required < 0 or received < 0:
        raise ValueError("counts are never negative")
    return max(0, required - received)


# ---------------------------------------------------------------- materials (应急物资)

# 应急保障重点物资分类目录 (国家发展改革委 2015) groups, kept as the item categories.
MATERIAL_CATEGORIES = (
    ("flood_control", _("防汛抗旱")),
    ("forest_fire", _("森林防灭火")),
    ("rescue", _("抢险救援")),
    ("hazchem", _("危险化学品事故处置")),
    ("medical", _("医疗救护")),
    ("living", _("生活保障")),
    ("communication", _("通信照明")),
    ("protection", _("个体防护")),
    ("other", _("其他")),
)
# Not regulatory: how early the ledger warns (a county may change them in settings of its own later).
EXPIRY_SOON_DAYS = 30
MAINTENANCE_SOON_DAYS = 7
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km between two points in decimal degrees."""
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    dlat, dlng = p2 - p1, radians(lng2 - lng1)
    a = sin(dlat / 2) ** 2 + cos(p1) * cos(p2) * sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def bounding_box(lat: float, lng: float, km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lng, max lng) of a box holding every point within `km` of (lat, lng)."""
    from math import cos, degrees, radians

    dlat = degrees(km / EARTH_RADIUS_KM)
    shrink = max(cos(radians(lat)), 1e-6)
    dlng = min(180.0, degrees(km / (EARTH_RADIUS_KM * shrink)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def stock_after(quantity, direction: str, amount):
    """The quantity after a movement: in adds, out takes (never below zero), adjust sets the counted amount."""
    if amount < 0:
        raise ValueError("a movement's amount is never negative")
    if direction == "in":
        return quantity + amount
    if direction == "out":
        if amount > quantity:
            raise ValueError("out of stock")
        return quantity - amount
    if direction == "adjust":
        return amount
    raise ValueError(f"unknown direction {direction!r}")


# ---------------------------------------------------------------- forces: teams, shelters, experts, 四有

# 专家库 specialties: the fields the county's 应急管理专家库 is organised by (the list, #15).
EXPERT_SPECIALTIES = (
    ("hazchem", _("危险化学品")),
    ("mining", _("矿山")),
    ("construction", _("建筑施工")),
    ("fire", _("消防")),
    ("transport", _("交通运输")),
    ("geology", _("地质灾害")),
    ("flood", _("防汛抗旱")),
    ("forest_fire", _("森林防火")),
    ("special_equipment", _("特种设备")),
    ("medical", _("医疗救护")),
    ("metallurgy", _("冶金工贸")),
    ("gas", _("城镇燃气")),
    ("electricity", _("电力")),
    ("law", _("法律")),
)
EXPERT_SPECIALTY_LABELS = dict(EXPERT_SPECIALTIES)

# 乡镇（街道）应急能力“四有”: 有场所、有机构、有专人、有经费 (the list, #15; the national text it
# comes from is not confirmed in regulations.md, so the four items are the only thing this rule fixes).
CAPACITY_ITEMS = (
    ("site", _("有场所")),
    ("organization", _("有机构")),
    ("staff", _("有专人")),
    ("funding", _("有经费")),
)
CAPACITY_ITEM_LABELS = dict(CAPACITY_ITEMS)


def expert_is_available(*, is_available: bool, unavailable_until: date | None, today: date) -> bool:
    """An expert may be assigned when listed as available and not away: away up to and including
    `unavailable_until`, back the day after (专家库 availability, the issue #15)."""
    if not is_available:
        return False
    return unavailable_until is None or today > unavailable_until


def capacity_is_complete(flags: dict[str, bool]) -> bool:
    """A town meets 四有 when every one of the four items is present (CAPACITY_ITEMS)."""
    return all(flags.get(code, False) for code, _label in CAPACITY_ITEMS)


def joined_codes(codes) -> str:
    """Specialty codes stored as one delimited text (",fire,flood,"), so a filter is a plain LIKE on any
    database: `specialty_pattern(code)` is what it contains."""
    ordered = [code for code, _label in EXPERT_SPECIALTIES if code in set(codes)]
    return f",{','.join(ordered)}," if ordered else ""


def split_codes(text: str) -> list[str]:
    return [code for code in (text or "").split(",") if code]


def specialty_pattern(code: str) -> str:
    return f",{code},"


# ---------------------------------------------------------------- response (应急响应, the response part)

RESPONSE_LEVEL_LABELS = dict(RESPONSE_LEVELS)


def valid_response_level(level) -> bool:
    """突发事件应对法 第七十一条 (regulations.md §6): response levels are 一级 to 四级 (1 highest, 4 lowest)."""
    return isinstance(level, int) and not isinstance(level, bool) and level in RESPONSE_LEVEL_LABELS


def level_change_kind(from_level: int, to_level: int) -> str:
    """ "raise" (toward 一级) or "lower" (toward 四级); the same level is no change (ValueError)."""
    if from_level == to_level:
        raise ValueError("same level")
    return "raise" if to_level < from_level else "lower"


def incident_closes_with_response(*, is_accident: bool, accident_closed: bool) -> bool:
    """Ending the response ends the incident, except an accident whose investigation is still open: it stays
    open (its 续报 count on until the accident is closed — 生产安全事故报告和调查处理条例 第十三条)."""
    return not is_accident or accident_closed


def in_order(*stamps) -> bool:
    """Whether the given times (None skipped) never go backwards: 接警 ≤ 出动 ≤ 到达 ≤ 移交."""
    present = [stamp for stamp in stamps if stamp is not None]
    return all(a <= b for a, b in zip(present, present[1:], strict=False))


# How long a tasked unit has to confirm receipt of a response task (local practice of the command, not a
# statutory period): half an hour, or the task's own deadline when that is sooner.
RESPONSE_TASK_CONFIRM_MINUTES = 30
