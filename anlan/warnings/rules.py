"""Pure rules of warnings (预警). No ORM, no clock.

Sources: ../shared/regulations.md §6 — 突发事件应对法 (2024 revision, in force 2024-11-01) 第六十三条至第七十条,
and 中国气象局《气象灾害预警信号发布与传播办法》 for the weather signals. Levels are ints 1–4, 一级 = 1, the
highest. Codes are English; each vocabulary is a module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- levels and colours (第六十三条)

LEVELS = ((1, _("一级")), (2, _("二级")), (3, _("三级")), (4, _("四级")))
LEVEL_LABELS = dict(LEVELS)
RED, ORANGE, YELLOW, BLUE = "red", "orange", "yellow", "blue"
COLOURS = ((RED, _("红色")), (ORANGE, _("橙色")), (YELLOW, _("黄色")), (BLUE, _("蓝色")))
COLOUR_LABELS = dict(COLOURS)
_COLOUR_OF_LEVEL = {1: RED, 2: ORANGE, 3: YELLOW, 4: BLUE}


def warning_colour(level: int) -> str:
    """突发事件应对法 第六十三条: 一级、二级、三级、四级 are shown 红、橙、黄、蓝 (一级 highest)."""
    if level not in _COLOUR_OF_LEVEL:
        raise ValueError(f"warning level must be 1–4, not {level!r}")
    return _COLOUR_OF_LEVEL[level]


def level_of_colour(colour: str) -> int:
    """The level a colour stands for (the inverse of `warning_colour`)."""
    for level, each in _COLOUR_OF_LEVEL.items():
        if each == colour:
            return level
    raise ValueError(f"unknown warning colour {colour!r}")


def level_label(level: int) -> str:
    """ "橙色（二级）" — how a level is shown."""
    return f"{COLOUR_LABELS[warning_colour(level)]}（{LEVEL_LABELS[level]}）"


# ---------------------------------------------------------------- weather signals (气象灾害预警信号发布与传播办法)

_WEATHER_GRADES = {
    "Ⅰ": (RED, _("特别严重")),
    "Ⅱ": (ORANGE, _("严重")),
    "Ⅲ": (YELLOW, _("较重")),
    "Ⅳ": (BLUE, _("一般")),
}
_ASCII_GRADES = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}


def weather_signal(grade: str) -> tuple[str, str]:
    """气象灾害预警信号发布与传播办法: Ⅰ 特别严重 红 · Ⅱ 严重 橙 · Ⅲ 较重 黄 · Ⅳ 一般 蓝 → (colour, meaning)."""
    grade = _ASCII_GRADES.get(grade.strip().upper(), grade.strip())
    if grade not in _WEATHER_GRADES:
        raise ValueError(f"weather signal grade must be Ⅰ–Ⅳ, not {grade!r}")
    colour, meaning = _WEATHER_GRADES[grade]
    return colour, str(meaning)


# ---------------------------------------------------------------- kinds, categories and hazard types

EMERGENCY, SIGNAL = "emergency", "signal"
KINDS = ((EMERGENCY, _("突发事件预警")), (SIGNAL, _("气象灾害预警信号")))

# 突发事件应对法 第三条、第六十三条: 社会安全事件 have no warning levels, so they are not a category here.
NATURAL_DISASTER, ACCIDENT_DISASTER, PUBLIC_HEALTH = "natural_disaster", "accident_disaster", "public_health"
CATEGORIES = (
    (NATURAL_DISASTER, _("自然灾害")),
    (ACCIDENT_DISASTER, _("事故灾难")),
    (PUBLIC_HEALTH, _("公共卫生事件")),
)

ALL_COLOURS = (RED, ORANGE, YELLOW, BLUE)
# Hazard (signal) types and the colours each may use. The scheme is 气象灾害预警信号发布与传播办法's; the colours
# per type are recalled, not checked against the annex (regulations.md §6, "unconfirmed per type").
HAZARD_TYPES = (
    ("rainstorm", _("暴雨"), ALL_COLOURS),
    ("typhoon", _("台风"), ALL_COLOURS),
    ("geohazard", _("地质灾害"), ALL_COLOURS),
    ("flash_flood", _("山洪"), ALL_COLOURS),
    ("flood", _("洪水"), ALL_COLOURS),
    ("forest_fire", _("森林火险"), ALL_COLOURS),
    ("heat", _("高温"), (RED, ORANGE, YELLOW)),
    ("cold_wave", _("寒潮"), ALL_COLOURS),
    ("gale", _("大风"), ALL_COLOURS),
    ("snowstorm", _("暴雪"), ALL_COLOURS),
    ("hail", _("冰雹"), (RED, ORANGE)),
    ("lightning", _("雷电"), (RED, ORANGE, YELLOW)),
    ("fog", _("大雾"), (RED, ORANGE, YELLOW)),
    ("haze", _("霾"), (RED, ORANGE, YELLOW)),
    ("road_icing", _("道路结冰"), (RED, ORANGE, YELLOW)),
    ("frost", _("霜冻"), (ORANGE, YELLOW, BLUE)),
    ("drought", _("干旱"), (RED, ORANGE)),
    ("sandstorm", _("沙尘暴"), (RED, ORANGE, YELLOW)),
    ("other", _("其他"), ALL_COLOURS),
)
HAZARD_CHOICES = tuple((code, label) for code, label, _colours in HAZARD_TYPES)
HAZARD_LABELS = dict(HAZARD_CHOICES)
HAZARD_COLOURS = {code: colours for code, _label, colours in HAZARD_TYPES}


def colour_allowed(hazard: str, level: int) -> bool:
    """Whether a signal of this type may be issued at this level's colour (an unknown type allows none)."""
    return warning_colour(level) in HAZARD_COLOURS.get(hazard, ())


# ---------------------------------------------------------------- the fields a warning must state (第六十四条)

# 突发事件应对法 第六十四条: 预警类别、级别、起始时间、可能影响的范围、警示事项、应当采取的措施、发布单位和发布时间.
REQUIRED_FIELDS = {
    "category": "预警类别",
    "level": "级别",
    "starts_at": "起始时间",
    "area": "可能影响的范围",
    "matters": "警示事项",
    "measures": "应当采取的措施",
    "issuer": "发布单位",
    "issued_at": "发布时间",
}


def missing_fields(values: dict) -> list[str]:
    """The names of REQUIRED_FIELDS that are empty in `values` (None, "" or whitespace), in the law's order."""
    missing = []
    for name in REQUIRED_FIELDS:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


# ---------------------------------------------------------------- measures by level (第六十六条、第六十七条)

ART_66, ART_67 = "第六十六条", "第六十七条"
MEASURES = (
    # 第六十六条: 三级、四级 — and, through 第六十七条's "除采取本法第六十六条规定的措施外", 一级、二级 too.
    ("plan", ART_66, _("启动应急预案")),
    ("monitor", ART_66, _("加强监测、预报和预警工作，随时掌握事态发展")),
    ("assess", ART_66, _("组织会商研判，评估突发事件发生的可能性、影响范围和强度")),
    ("inform", ART_66, _("及时发布预测信息，宣传避免、减轻危害的常识，公布咨询电话")),
    # 第六十七条: 一级、二级 only.
    ("standby", ART_67, _("应急救援队伍和人员进入待命状态")),
    ("materials", ART_67, _("调集应急救援物资、设备、工具，准备避难场所")),
    ("guard", ART_67, _("加强对重点单位、重要部位和重要基础设施的安全保卫")),
    ("utilities", ART_67, _("确保交通、通信、供水、排水、供电、供气、供热等公共设施安全和正常运行")),
    ("evacuate", ART_67, _("转移、疏散或者撤离易受危害的人员并予以妥善安置，转移重要财产")),
    ("close", ART_67, _("关闭或者限制使用易受危害的场所，控制或者限制容易导致危害扩大的公共场所的活动")),
)
MEASURE_LABELS = {code: label for code, _article, label in MEASURES}


def required_measure_articles(level: int) -> list[str]:
    """突发事件应对法 第六十六条 (三级、四级) and 第六十七条 (一级、二级, in addition to 第六十六条)."""
    warning_colour(level)  # refuses a level outside 1–4
    return [ART_66, ART_67] if level <= 2 else [ART_66]


def checklist(level: int) -> list[tuple[str, str, str]]:
    """The measures each recipient reports against at this level: (code, article, label)."""
    articles = required_measure_articles(level)
    return [(code, article, str(label)) for code, article, label in MEASURES if article in articles]


# ---------------------------------------------------------------- lifecycle

DRAFT, ISSUED, LIFTED, WITHDRAWN = "draft", "issued", "lifted", "withdrawn"
STATUSES = ((DRAFT, _("草稿")), (ISSUED, _("预警中")), (LIFTED, _("已解除")), (WITHDRAWN, _("已撤销")))

# How long a recipient has to confirm before the first escalation, by level (a setting may override it):
# the law sets no number; the county's 预警信息发布 practice asks for minutes at red, hours at blue.
DEFAULT_CONFIRM_MINUTES = {1: 15, 2: 30, 3: 60, 4: 120}
# A recipient's confirmation link stays valid this long after the warning ends (issue #16).
TOKEN_GRACE = timedelta(hours=24)


def confirm_within(level: int, overrides: dict | None = None) -> timedelta:
    """The confirmation period at this level: `overrides` (settings, keyed by level) first, else the default."""
    warning_colour(level)
    minutes = (overrides or {}).get(level, DEFAULT_CONFIRM_MINUTES[level])
    if int(minutes) <= 0:
        raise ValueError("a confirmation period must be positive")
    return timedelta(minutes=int(minutes))


def token_valid_until(starts_at: datetime, ends_at: datetime | None, lifted_at: datetime | None) -> datetime:
    """A confirmation link lasts until the warning ends — its lifting, else its stated end, else seven days
    after it starts — plus TOKEN_GRACE."""
    end = lifted_at or ends_at or (starts_at + timedelta(days=7))
    return end + TOKEN_GRACE


def is_level_change(old: int, new: int) -> str:
    """ "raise", "lower" or "" (第七十条: the level is adjusted as the situation develops; 一级 is highest)."""
    if new < old:
        return "raise"
    if new > old:
        return "lower"
    return ""


# ---------------------------------------------------------------- targeting

# Whom a warning may go to (突发事件应对法 第六十四条、第六十五条; issue #16 "Targeting"), in the order of the form.
TARGET_GROUPS = (
    ("committee", _("安委办/应急管理局")),
    ("towns", _("乡镇（街道）")),
    ("departments", _("指定的行业部门")),
    ("enterprises", _("企业（按行业或标记）")),
    ("places", _("人员密集场所预警信息接收人")),
    ("monitors", _("群测群防员")),
    ("grid", _("网格员")),
    ("shelters", _("避难场所管理人")),
    ("duty", _("值班人员")),
)
TARGET_GROUP_LABELS = dict(TARGET_GROUPS)
ENTERPRISE_FLAGS = (("major_hazard", _("重大危险源企业")), ("crowded_place", _("人员密集场所")))


def clean_targets(targets: dict | None) -> dict:
    """Targets as stored: known groups only, in the form's order; ids as sorted unique ints; known flags."""
    targets = targets or {}
    groups = [code for code, _label in TARGET_GROUPS if code in set(targets.get("groups") or ())]
    flags = [code for code, _label in ENTERPRISE_FLAGS if code in set(targets.get("flags") or ())]

    def ids(name):
        out = set()
        for value in targets.get(name) or ():
            try:
                out.add(int(value))
            except (TypeError, ValueError):
                continue
        return sorted(out)

    return {
        "groups": groups,
        "departments": ids("departments"),
        "industries": ids("industries"),
        "flags": flags,
    }


# ---------------------------------------------------------------- points (地质灾害隐患点、防汛重点部位)

GEOHAZARD, DIKE, RESERVOIR, POND, WORKS, FLASH_FLOOD_AREA = (
    "geohazard",
    "dike",
    "reservoir",
    "pond",
    "works",
    "flash_flood_area",
)
POINT_KINDS = (
    (GEOHAZARD, _("地质灾害隐患点")),
    (DIKE, _("险工险段")),
    (RESERVOIR, _("水库")),
    (POND, _("山坪塘")),
    (WORKS, _("在建涉水工程")),
    (FLASH_FLOOD_AREA, _("山洪灾害危险区")),
)
FLOOD_POINT_KINDS = frozenset({DIKE, RESERVOIR, POND, WORKS, FLASH_FLOOD_AREA})
# Which points a hazard threatens (issue #16: geohazard points for rain, typhoons, geohazards and flash floods;
# flood-control points for rain, typhoons, floods and flash floods).
_THREATENS = {
    "rainstorm": {GEOHAZARD, *FLOOD_POINT_KINDS},
    "typhoon": {GEOHAZARD, *FLOOD_POINT_KINDS},
    "geohazard": {GEOHAZARD},
    "flash_flood": {GEOHAZARD, *FLOOD_POINT_KINDS},
    "flood": set(FLOOD_POINT_KINDS),
}


def point_kinds_threatened(hazard: str) -> frozenset[str]:
    """The kinds of points a warning of this hazard puts at risk (none for, say, 高温)."""
    return frozenset(_THREATENS.get(hazard, ()))


def monitor_required(kind: str) -> bool:
    """Every geohazard point has a named 群测群防员 (issue #16, "monitor (群测群防员)"; no statute checked)."""
    return kind == GEOHAZARD


def plan_required(kind: str) -> bool:
    """在建涉水工程 keep a 度汛方案 (seed-map F9: S2 L685 「高质量编制在建工程度汛方案」)."""
    return kind == WORKS


def threatened_ok(households: int, people: int) -> bool:
    """A threatened household is at least one person: people ≥ households, and no people without households."""
    return people >= households and (households > 0 or people == 0)


# ---------------------------------------------------------------- patrols (雨前排查、雨中巡查、雨后核查)

BEFORE, DURING, AFTER = "before", "during", "after"
PATROL_STAGES = ((BEFORE, _("雨前排查")), (DURING, _("雨中巡查")), (AFTER, _("雨后核查")))
# Hours a patrol has (issue #16 names the three patrols, not their deadlines; these defaults are Anlan's): the
# 雨前排查 before the warning starts (at least 2 hours from issue), the 雨中巡查 within 12 hours of the start, the
# 雨后核查 within 24 hours of the lifting.
PATROL_HOURS = {BEFORE: 2, DURING: 12, AFTER: 24}


def patrol_due(
    stage: str, *, issued_at: datetime, starts_at: datetime | None, lifted_at: datetime | None = None
):
    """When a patrol of `stage` is due (see PATROL_HOURS)."""
    if stage == BEFORE:
        return max(starts_at or issued_at, issued_at + timedelta(hours=PATROL_HOURS[BEFORE]))
    if stage == DURING:
        return max(starts_at or issued_at, issued_at) + timedelta(hours=PATROL_HOURS[DURING])
    return (lifted_at or issued_at) + timedelta(hours=PATROL_HOURS[AFTER])


# ---------------------------------------------------------------- evacuation (转移避险) — the evacuation part

# A household's way: 待转移 → 已转移 → 已返回 (the speeches' 「应转必转、应转尽转、应安必安」; 突发事件应对法
# 第六十七条: 转移、疏散或者撤离易受危害的人员并予以妥善安置).
TO_MOVE, MOVED, RETURNED = "to_move", "moved", "returned"
HOUSEHOLD_STATUSES = ((TO_MOVE, _("待转移")), (MOVED, _("已转移")), (RETURNED, _("已返回")))
# Where a moved household stays (应安必安): a 避难场所 of the emergency module, 投亲靠友, or another place named.
IN_SHELTER, WITH_RELATIVES, ELSEWHERE = "shelter", "relatives", "other"
SHELTER_KINDS = ((IN_SHELTER, _("避难场所")), (WITH_RELATIVES, _("投亲靠友")), (ELSEWHERE, _("其他")))


def counts_as_moved(status: str) -> bool:
    """已转移 and 已返回 both count as moved: a household back home after the lifting was moved (应转必转)."""
    return status in (MOVED, RETURNED)


def evacuation_rate(moved: int, to_move: int) -> Decimal | None:
    """应转必转率 in per cent, one decimal, rounded down (99.95 % is not shown as 100 % while someone is left):
    people moved ÷ people to move. None when nobody is to be moved — no rate, neither 0 % nor 100 %."""
    if moved < 0 or to_move < 0 or moved > to_move:
        raise ValueError(f"moved {moved} of {to_move}")
    if to_move == 0:
        return None
    return (Decimal(moved) * 100 / Decimal(to_move)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def shelter_missing(kind: str, *, has_shelter: bool, note: str) -> str | None:
    """The field a move lacks (应安必安: where the household stays is known), or None: a kind; a 避难场所 named
    when sheltered there; a description when elsewhere."""
    if kind not in {code for code, _label in SHELTER_KINDS}:
        return "shelter_kind"
    if kind == IN_SHELTER and not has_shelter:
        return "shelter"
    if kind == ELSEWHERE and not (note or "").strip():
        return "shelter_note"
    return None


def may_return(warning_status: str) -> bool:
    """Households go home only once the warning is over (第七十条: 危险已经解除 … 解除警报); while it stands,
    「三个紧急撤离」 keeps them out."""
    return warning_status in (LIFTED, WITHDRAWN)


# ---------------------------------------------------------------- 会商研判 and 安全风险提示单 (consult)
# Issue text: 「应急、自然资源、水利、气象等部门要密切沟通联系，定期会商研判」; 「及时掌握《安全生产风险防控预警信息》风险研判信息」.

REGULAR, SPECIAL = "regular", "special"
CONSULTATION_KINDS = ((REGULAR, _("定期会商")), (SPECIAL, _("专题会商")))

# 风险分级 红/橙/黄/蓝 (安委办〔2016〕11号 构建双重预防机制的意见: 重大、较大、一般、低风险).
RISK_MAJOR, RISK_HIGH, RISK_MEDIUM, RISK_LOW = "major", "high", "medium", "low"
RISK_LEVELS = (
    (RISK_MAJOR, _("重大风险（红）")),
    (RISK_HIGH, _("较大风险（橙）")),
    (RISK_MEDIUM, _("一般风险（黄）")),
    (RISK_LOW, _("低风险（蓝）")),
)
RISK_LEVEL_LABELS = dict(RISK_LEVELS)

# A consultation is joint: at least two departments at the table (issue text: 「应急、自然资源、水利、气象等部门 …
# 会商研判」).
MIN_CONSULTING_DEPARTMENTS = 2


def consultation_is_joint(department_count: int) -> bool:
    """会商 is between departments: at least MIN_CONSULTING_DEPARTMENTS of them (issue text, above)."""
    return department_count >= MIN_CONSULTING_DEPARTMENTS


def held_at_ok(held_at: datetime, now: datetime) -> bool:
    """A meeting is recorded once held: its time is not in the future (Anlan's rule: minutes follow the meeting)."""
    return held_at <= now


# Hours a recipient unit has to confirm a bulletin, by risk level (Anlan's defaults; no statute sets them): the
# graver the risk, the shorter; the sender may set 1–72 hours.
BULLETIN_CONFIRM_HOURS = {RISK_MAJOR: 2, RISK_HIGH: 4, RISK_MEDIUM: 12, RISK_LOW: 24}
BULLETIN_CONFIRM_BOUNDS = (1, 72)


def bulletin_confirm_within(risk_level: str, hours: int | None = None) -> timedelta:
    """The confirmation period of a 安全风险提示单: `hours` when given (within BULLETIN_CONFIRM_BOUNDS), else the
    default of its risk level (BULLETIN_CONFIRM_HOURS)."""
    if risk_level not in BULLETIN_CONFIRM_HOURS:
        raise ValueError(f"unknown risk level {risk_level!r}")
    if hours is None:
        return timedelta(hours=BULLETIN_CONFIRM_HOURS[risk_level])
    low, high = BULLETIN_CONFIRM_BOUNDS
    if not low <= hours <= high:
        raise ValueError(f"confirmation hours must be {low}–{high}, not {hours!r}")
    return timedelta(hours=hours)


def confirm_hours_ok(hours: int) -> bool:
    """Whether a sender's confirmation period lies within BULLETIN_CONFIRM_BOUNDS."""
    low, high = BULLETIN_CONFIRM_BOUNDS
    return low <= hours <= high


def measure_lines(text: str) -> list[str]:
    """The required measures of a bulletin, one per non-empty line (numbering such as “1.” or “（1）” kept as typed)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def measure_report_complete(done: bool, note: str) -> bool:
    """A measure reported as not (yet) carried out says why: the note is required then (Anlan's rule: a
    receipt that only says “no” closes nothing)."""
    return done or bool((note or "").strip())


# ---------------------------------------------------------------- monitoring alarms (两重点一重大 监测报警)
# The alarms of the monitoring systems of 两重点一重大 enterprises (重点监管危险化工工艺, 重点监管危险化学品,
# 重大危险源): what they are, and how a sending system proves itself. Source of the vocabulary and the handling
# loop: the issue text ("monitoring alarms"); no statute sets these values, they are Anlan's.

ALARM_TEMPERATURE = "temperature"
ALARM_PRESSURE = "pressure"
ALARM_LEVEL = "level"
ALARM_COMBUSTIBLE_GAS = "combustible_gas"
ALARM_TOXIC_GAS = "toxic_gas"
ALARM_FLOW = "flow"
ALARM_OTHER = "other"
ALARM_KINDS = (
    (ALARM_TEMPERATURE, _("温度超限")),
    (ALARM_PRESSURE, _("压力超限")),
    (ALARM_LEVEL, _("液位超限")),
    (ALARM_COMBUSTIBLE_GAS, _("可燃气体浓度超限")),
    (ALARM_TOXIC_GAS, _("有毒气体浓度超限")),
    (ALARM_FLOW, _("流量超限")),
    (ALARM_OTHER, _("其他报警")),
)
# An alarm may be stamped this far ahead of the platform's clock (the sender's clock drifts); later is refused.
ALARM_CLOCK_SKEW = timedelta(minutes=5)
# A signed webhook call is accepted this many seconds either side of its X-Anlan-Timestamp (replay window).
ALARM_WEBHOOK_WINDOW_SECONDS = 300


def alarm_kind(value: str) -> str | None:
    """The kind an import cell or a webhook field names — its code (`toxic_gas`) or its label (有毒气体浓度超限),
    also the label's short form without 浓度 (有毒气体超限); None when it names none."""
    value = (value or "").strip()
    for code, label in ALARM_KINDS:
        if value in (code, str(label), str(label).replace("浓度", "")):
            return code
    return None


def alarm_raised_in_time(raised_at: datetime, now: datetime, skew: timedelta = ALARM_CLOCK_SKEW) -> bool:
    """An alarm cannot be raised after it arrives: at most `skew` ahead of the receiving clock."""
    return raised_at <= now + skew


def alarm_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" with the source's secret, as `sha256=<hex>` (the scheme Anlan's own
    outgoing webhooks use, services/webhooks.py): the timestamp is signed, so it cannot be replaced."""
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def alarm_signature_valid(secret: str, timestamp: str, body: bytes, given: str) -> bool:
    """Whether `given` is the body's signature; compared in constant time. No secret, no valid signature."""
    import hmac

    if not secret or not given:
        return False
    return hmac.compare_digest(alarm_signature(secret, timestamp, body), given.strip())


def alarm_timestamp_fresh(timestamp: str, now: float, window: int = ALARM_WEBHOOK_WINDOW_SECONDS) -> bool:
    """A call's Unix timestamp (whole seconds) lies within `window` seconds of now, either side — a captured call
    replayed later is refused (a repeat inside the window is caught by the alarm's unique source id)."""
    if not (timestamp or "").isascii() or not timestamp.isdigit():
        return False
    return abs(int(timestamp) - now) <= window


def alarm_handling_minutes(raised_at: datetime, closed_at: datetime) -> int:
    """Whole minutes from the alarm to its closure (处置或误报判定) — the handling time the statistics average."""
    return max(0, int((closed_at - raised_at).total_seconds() // 60))
