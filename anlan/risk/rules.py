"""The enterprise's own safety work as pure rules (no ORM): risk grading (LEC, LS), self-inspection schedules,
standardisation and insurance periods. Each rule names its source (../shared/regulations.md)."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

# ---------------------------------------------------------------- risk grading (双重预防, regulations.md §5)

# The four levels, most severe first, and their colours (安委办〔2016〕11号: 重大/红, 较大/橙, 一般/黄, 低/蓝).
MAJOR, SIGNIFICANT, GENERAL, LOW = "major", "significant", "general", "low"
LEVELS = (MAJOR, SIGNIFICANT, GENERAL, LOW)
COLOURS = {MAJOR: "red", SIGNIFICANT: "orange", GENERAL: "yellow", LOW: "blue"}
# A level's rank: the higher, the more severe (an enterprise's highest level is the maximum).
LEVEL_RANK = {MAJOR: 4, SIGNIFICANT: 3, GENERAL: 2, LOW: 1}
LEVEL_OF_RANK = {rank: level for level, rank in LEVEL_RANK.items()}

# LEC (作业条件危险性评价法, Graham–Kinney), D = L × E × C; the allowed values (regulations.md §5, confirmed).
LEC_L = tuple(Decimal(v) for v in ("10", "6", "3", "1", "0.5", "0.2", "0.1"))
LEC_E = tuple(Decimal(v) for v in ("10", "6", "3", "2", "1", "0.5"))
LEC_C = tuple(Decimal(v) for v in ("100", "40", "15", "7", "3", "1"))
# D bands and their cut-offs (§5; which band owns a shared boundary is our convention, unconfirmed):
# D > 320 极其危险 → 重大; 160 ≤ D ≤ 320 高度危险 → 较大; 70 ≤ D < 160 显著危险 → 一般;
# 20 ≤ D < 70 一般危险 and D < 20 稍有危险 → 低.
LEC_MAJOR_ABOVE = Decimal(320)
LEC_SIGNIFICANT_FROM = Decimal(160)
LEC_GENERAL_FROM = Decimal(70)
LEC_SLIGHT_BELOW = Decimal(20)
EXTREME, HIGH, BAND_SIGNIFICANT, BAND_GENERAL, SLIGHT = "extreme", "high", "significant", "general", "slight"
BANDS = (EXTREME, HIGH, BAND_SIGNIFICANT, BAND_GENERAL, SLIGHT)

# LS (风险矩阵法), R = L × S with L, S in 1..5. No national standard fixes the cut-offs (§5): each variant lists
# (lowest R, level), most severe first. A: zgmkw.com doc-30900; B: mtoou.info 54344; C: said to be DB37/T 2882.
LS_VALUES = (1, 2, 3, 4, 5)
LS_VARIANTS: dict[str, tuple[tuple[int, str], ...]] = {
    "A": ((20, MAJOR), (9, SIGNIFICANT), (4, GENERAL), (1, LOW)),
    "B": ((20, MAJOR), (10, SIGNIFICANT), (4, GENERAL), (1, LOW)),
    "C": ((20, MAJOR), (15, SIGNIFICANT), (9, GENERAL), (1, LOW)),
}
LS_DEFAULT_VARIANT = "A"  # §5: ship variant A as the default, configurable per region

# 管控层级, highest first: who controls a risk of each level (§5, common practice, likely): 重大 — 公司/主要负责人;
# 较大 — 部门/车间; 一般 — 班组; 低 — 岗位.
COMPANY, WORKSHOP, TEAM, POST = "company", "workshop", "team", "post"
CONTROL_LEVELS = (COMPANY, WORKSHOP, TEAM, POST)
CONTROL_RANK = {COMPANY: 4, WORKSHOP: 3, TEAM: 2, POST: 1}
REQUIRED_CONTROL_LEVEL = {MAJOR: COMPANY, SIGNIFICANT: WORKSHOP, GENERAL: TEAM, LOW: POST}


class LEC(NamedTuple):
    D: Decimal
    band: str
    level: str
    colour: str


class LS(NamedTuple):
    R: int
    level: str
    colour: str


def _number(value, name: str) -> Decimal:
    """A finite number given as int, float, str or Decimal (never a bool), as a Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, not {value!r}")
        value = repr(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{name} must be a number, not {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


def _allowed(value, table: tuple[Decimal, ...], name: str) -> Decimal:
    number = _number(value, name)
    for allowed in table:
        if number == allowed:
            return allowed
    raise ValueError(f"{name}={value!r} is not one of {', '.join(str(v) for v in table)}")


def lec_band(D) -> str:
    """The band of a D (§5 D bands and our boundary convention): extreme | high | significant | general | slight."""
    D = _score(D)
    if D > LEC_MAJOR_ABOVE:
        return EXTREME
    if D >= LEC_SIGNIFICANT_FROM:
        return HIGH
    if D >= LEC_GENERAL_FROM:
        return BAND_SIGNIFICANT
    if D >= LEC_SLIGHT_BELOW:
        return BAND_GENERAL
    return SLIGHT


# Five bands onto four levels (§5, common practice): 一般危险 and 稍有危险 are both 低.
BAND_LEVEL = {EXTREME: MAJOR, HIGH: SIGNIFICANT, BAND_SIGNIFICANT: GENERAL, BAND_GENERAL: LOW, SLIGHT: LOW}


def _score(D) -> Decimal:
    D = _number(D, "D")
    if D < 0:
        raise ValueError(f"D must not be negative, not {D}")
    return D


def lec_level(D) -> str:
    """The level of a D entered directly (§5 cut-offs): major | significant | general | low."""
    return BAND_LEVEL[lec_band(D)]


def lec(L, E, C) -> LEC:
    """LEC grading (§5): D = L × E × C from the allowed values, its band, level and colour."""
    D = _allowed(L, LEC_L, "L") * _allowed(E, LEC_E, "E") * _allowed(C, LEC_C, "C")
    band = lec_band(D)
    level = BAND_LEVEL[band]
    return LEC(D, band, level, COLOURS[level])


def _ls_factor(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LS_VALUES:
        raise ValueError(f"{name} must be an integer from 1 to 5, not {value!r}")
    return value


def ls_level(R: int, variant: str = LS_DEFAULT_VARIANT) -> str:
    """The level of an LS product R under a variant of §5 (A, B or C)."""
    if variant not in LS_VARIANTS:
        raise ValueError(f"unknown LS variant {variant!r}; one of {', '.join(LS_VARIANTS)}")
    for lowest, level in LS_VARIANTS[variant]:
        if lowest <= R:
            return level
    raise ValueError(f"R must be at least 1, not {R!r}")


def ls(L, S, variant: str = LS_DEFAULT_VARIANT) -> LS:
    """LS grading (风险矩阵法, §5): R = L × S with L, S in 1..5, the level by the variant's cut-offs, its colour."""
    R = _ls_factor(L, "L") * _ls_factor(S, "S")
    level = ls_level(R, variant)
    return LS(R, level, COLOURS[level])


def required_control_level(level: str) -> str:
    """管控层级 a risk of this level needs at least (§5: 重大—公司, 较大—车间, 一般—班组, 低—岗位)."""
    if level not in REQUIRED_CONTROL_LEVEL:
        raise ValueError(f"unknown risk level {level!r}")
    return REQUIRED_CONTROL_LEVEL[level]


def control_level_sufficient(control_level: str, level: str) -> bool:
    """Whether a control at `control_level` is not below what a risk of `level` needs (§5, 分级管控)."""
    if control_level not in CONTROL_RANK:
        raise ValueError(f"unknown control level {control_level!r}")
    return CONTROL_RANK[control_level] >= CONTROL_RANK[required_control_level(level)]


def highest_level(levels) -> str | None:
    """The most severe of some levels (an enterprise's 最高风险等级), None when there are none."""
    ranks = [LEVEL_RANK[level] for level in levels if level]
    return LEVEL_OF_RANK[max(ranks)] if ranks else None


def plain(value: Decimal) -> str:
    """A score or factor as people write it: 540, 0.5, 3.5 (no exponent, no trailing zeros)."""
    return format(Decimal(value).normalize(), "f")


def plan_position_valid(x, y) -> bool:
    """A position on the site plan as fractions of its width and height (0 = left/top, 1 = right/bottom)."""
    try:
        return all(0 <= _number(v, "position") <= 1 for v in (x, y))
    except ValueError:
        return False
