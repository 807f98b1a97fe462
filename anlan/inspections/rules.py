"""Pure rules of inspections and enforcement: no ORM, no clock (pass `today` in).

The 双随机 draw (regulations.md §8) is here so that anyone holding a draw's recorded seed, candidate pool,
inspector list, conflicts and method can re-run it and get the same result:

1. `rng = random.Random(seed)`; the seed is a non-negative integer recorded with the draw.
2. Enterprises: the candidate ids sorted ascending. Unweighted (`uniform`): `rng.sample(ids, n)`. Weighted by
   risk (`weighted`, 差异化抽查): for each id in ascending order draw `u = rng.random()` and give the id the
   key `u ** (1 / weight)` (Efraimidis–Spirakis); the n largest keys win, ties by the smaller id. The winners
   keep the order `sample` or the keys gave them.
3. Teams, for each drawn enterprise in that order: the eligible inspectors are the recorded ones (ascending
   ids) minus declared conflicts with that enterprise and minus pairs already used in the period; they are
   shuffled with the same `rng`, then stably sorted by how many teams each already joined in this draw (so the
   load spreads evenly while the choice stays random), and the first `team_size` form the team (ids sorted).
   Fewer eligible inspectors than `team_size` refuses the draw.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation

from .errors import ErrorCode

# 行政处罚法 (2021) 第四十二条: 执法人员不得少于两人.
MIN_TEAM_SIZE = 2

METHOD_UNIFORM = "uniform"
METHOD_WEIGHTED = "weighted"
METHODS = (METHOD_UNIFORM, METHOD_WEIGHTED)

# Risk levels (regulations.md §5 colours): 重大/红, 较大/橙, 一般/黄, 低/蓝.
RISK_MAJOR, RISK_HIGH, RISK_MEDIUM, RISK_LOW = "major", "high", "medium", "low"
RISK_LEVELS = (RISK_MAJOR, RISK_HIGH, RISK_MEDIUM, RISK_LOW)
# Weights of 差异化抽查: a higher risk is drawn more often. Platform choice, stated in the draw's method.
RISK_WEIGHTS = {RISK_MAJOR: 4, RISK_HIGH: 3, RISK_MEDIUM: 2, RISK_LOW: 1}
# Industries (root codes of core's industry tree) whose enterprises are at least 较大 risk: the 高危行业 of
# 安全生产法 (危险化学品, 烟花爆竹, 矿山, 民用爆炸物品) plus 城镇燃气.
HIGH_RISK_ROOTS = frozenset(
    {
        "hazchem",
        "fireworks",
        "coal-mine",
        "non-coal-mine",
        "civil-explosives",
        "urban-gas",
        "oil-gas-pipeline",
    }
)
MEDIUM_RISK_ROOTS = frozenset({"industry-trade", "construction", "special-equipment", "road-transport"})


def risk_level(*, has_major_hazard_source: bool, industry_root: str, is_crowded_place: bool) -> str:
    """An enterprise's risk level computed from its registry flags (there is no risk-assessment record yet):
    a 重大危险源 is 重大; a high-risk industry or a 人员密集场所 is 较大; 工贸/建筑/特种设备/道路运输 一般; else 低."""
    if has_major_hazard_source:
        return RISK_MAJOR
    if industry_root in HIGH_RISK_ROOTS or is_crowded_place:
        return RISK_HIGH
    if industry_root in MEDIUM_RISK_ROOTS:
        return RISK_MEDIUM
    return RISK_LOW


def certificate_valid(expires_on: date | None, on: date) -> bool:
    """An enforcement certificate (执法证) is valid up to and including its expiry day."""
    return expires_on is not None and on <= expires_on


@dataclass(frozen=True)
class Assignment:
    enterprise: int
    team: tuple[int, ...]


def _sample_uniform(rng: random.Random, ids: list[int], n: int) -> list[int]:
    return rng.sample(ids, n)


def _sample_weighted(rng: random.Random, ids: list[int], weights: dict[int, float], n: int) -> list[int]:
    keyed = []
    for pk in ids:
        weight = weights.get(pk, 1)
        if weight <= 0:
            raise RuleViolation("pool", ErrorCode.DRAW_WEIGHT_NOT_POSITIVE, _("权重必须大于0。"))
        keyed.append((rng.random() ** (1.0 / weight), -pk))
    keyed.sort(reverse=True)
    return [-negative for _key, negative in keyed[:n]]


def draw(
    *,
    seed: int,
    pool: Iterable[int],
    n: int,
    inspectors: Iterable[int],
    team_size: int = MIN_TEAM_SIZE,
    method: str = METHOD_UNIFORM,
    weights: dict[int, float] | None = None,
    conflicts: Iterable[tuple[int, int]] = (),
    used_pairs: Iterable[tuple[int, int]] = (),
) -> list[Assignment]:
    """The 双随机 draw described in the module docstring. Pairs are (inspector id, enterprise id)."""
    if seed < 0:
        raise RuleViolation("seed", ErrorCode.DRAW_SEED_NEGATIVE, _("随机种子必须是非负整数。"))
    if method not in METHODS:
        raise RuleViolation("method", ErrorCode.DRAW_METHOD_UNKNOWN, _("抽取方式无效。"))
    if team_size < MIN_TEAM_SIZE:
        raise RuleViolation(
            "team_size", ErrorCode.TEAM_TOO_SMALL, _("执法人员不得少于两人（行政处罚法第四十二条）。")
        )
    ids = sorted(set(pool))
    if n < 1:
        raise RuleViolation("sample_size", ErrorCode.DRAW_SAMPLE_EMPTY, _("抽取数量至少为1。"))
    if n > len(ids):
        raise RuleViolation(
            "sample_size",
            ErrorCode.DRAW_POOL_TOO_SMALL,
            _("抽取数量（%(n)s）超过了符合条件的企业数（%(pool)s）。") % {"n": n, "pool": len(ids)},
        )
    people = sorted(set(inspectors))
    if len(people) < team_size:
        raise RuleViolation(
            "inspectors", ErrorCode.DRAW_TOO_FEW_INSPECTORS, _("可参与抽取的执法人员不足一个检查组。")
        )
    blocked = set(conflicts) | set(used_pairs)
    rng = random.Random(seed)
    if method == METHOD_WEIGHTED:
        chosen = _sample_weighted(rng, ids, weights or {}, n)
    else:
        chosen = _sample_uniform(rng, ids, n)
    load = dict.fromkeys(people, 0)
    result = []
    for enterprise in chosen:
        eligible = [p for p in people if (p, enterprise) not in blocked]
        if len(eligible) < team_size:
            raise RuleViolation(
                "inspectors",
                ErrorCode.DRAW_TOO_FEW_AFTER_CONFLICTS,
                _("企业（ID %(id)s）回避后可派执法人员不足%(size)s人，请扩大执法人员库。")
                % {"id": enterprise, "size": team_size},
            )
        rng.shuffle(eligible)
        eligible.sort(key=lambda p: load[p])
        team = tuple(sorted(eligible[:team_size]))
        for person in team:
            load[person] += 1
        result.append(Assignment(enterprise, team))
    return result


def chi_square(counts: Sequence[int], expected: float) -> float:
    """Pearson's statistic of observed counts against one expected count (for the uniformity test)."""
    return sum((observed - expected) ** 2 / expected for observed in counts)


# ---------------------------------------------------------------- plans


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def check_monthly_counts(counts: Sequence[int]) -> list[int]:
    """A plan's planned inspections per month: twelve non-negative whole numbers."""
    values = list(counts)
    if len(values) != 12:
        raise RuleViolation(
            "monthly_counts", ErrorCode.PLAN_NOT_TWELVE_MONTHS, _("月度计划应为12个月的检查次数。")
        )
    if any((not isinstance(v, int)) or v < 0 for v in values):
        raise RuleViolation(
            "monthly_counts", ErrorCode.PLAN_COUNT_NOT_WHOLE, _("每月计划检查次数应为非负整数。")
        )
    return values


def quarterly(counts: Sequence[int]) -> list[int]:
    return [sum(counts[q * 3 : q * 3 + 3]) for q in range(4)]


def planned_to_date(counts: Sequence[int], today: date, year: int) -> int:
    """How many inspections the plan expects done by the end of this month (all of them after the year)."""
    if today.year > year:
        return sum(counts)
    if today.year < year:
        return 0
    return sum(counts[: today.month])


def progress(done: int, planned: int) -> int | None:
    """Percent of the plan done, rounded down; None when nothing is planned."""
    return None if planned <= 0 else done * 100 // planned


# ---------------------------------------------------------------- records


def check_period(start: date, end: date) -> None:
    if end < start:
        raise RuleViolation("period_end", ErrorCode.PERIOD_BACKWARDS, _("结束日期不能早于开始日期。"))


def check_unannounced(kind: str, escort: str, arrived_at) -> None:
    """四不两直 (regulations.md §8): no escort (不用陪同接待) and the time of arrival recorded."""
    if kind != "unannounced":
        return
    if (escort or "").strip():
        raise RuleViolation(
            "escort", ErrorCode.UNANNOUNCED_WITH_ESCORT, _("四不两直检查不用陪同接待，陪同人员应为空。")
        )
    if arrived_at is None:
        raise RuleViolation(
            "arrived_at", ErrorCode.UNANNOUNCED_ARRIVAL_MISSING, _("四不两直检查须记录到达现场的时间。")
        )


def check_team(team_ids: Sequence[int]) -> None:
    if len(set(team_ids)) < MIN_TEAM_SIZE:
        raise RuleViolation(
            "team", ErrorCode.TEAM_TOO_SMALL, _("执法人员不得少于两人（行政处罚法第四十二条）。")
        )


def check_fine(kind: str, amount) -> None:
    if kind in ("fine", "confiscation") and (amount is None or amount <= 0):
        raise RuleViolation(
            "amount", ErrorCode.FINE_AMOUNT_MISSING, _("罚款或没收违法所得须填写大于0的金额。")
        )


# ---------------------------------------------------------------- resumption (复产验收)

LEVELS = ("county", "city", "province")


def level_of_region(region_level: int) -> str:
    """Region level (1 province, 2 city, 3 county and below) → the level of government that acts there."""
    return {1: "province", 2: "city"}.get(region_level, "county")


def signoff_chain(configured: Sequence[tuple[str, str]], issuing_level: str) -> list[tuple[str, str]]:
    """The ordered sign-off steps for a resumption: the configured local steps (role, name), then a review by
    the level that issued the suspension order when it is above the county (市级/省级复核)."""
    steps = list(configured)
    if not steps:
        raise RuleViolation("chain", ErrorCode.CHAIN_NOT_CONFIGURED, _("复产验收审批链未配置。"))
    if issuing_level not in LEVELS:
        raise RuleViolation("level", ErrorCode.ISSUING_LEVEL_UNKNOWN, _("下达层级无效。"))
    if issuing_level != "county":
        name = str(_("市级复核") if issuing_level == "city" else _("省级复核"))
        steps.append((f"review_{issuing_level}", name))
    return steps


def next_step(decisions: Sequence[str | None]) -> int | None:
    """Index of the first step still to decide, or None when all approved. A rejection ends the chain."""
    for index, decision in enumerate(decisions):
        if decision == "rejected":
            return None
        if decision is None:
            return index
    return None


# ---------------------------------------------------------------- 安全生产记分

SCORE_THRESHOLD = 12  # 山西 scheme (regulations.md §9): ≥12 points in a cycle → re-assessment.


def cycle_of(day: date, cycle_start_month: int = 1) -> tuple[date, date]:
    """The 12-month scoring cycle containing `day` (by default the calendar year)."""
    year = day.year if day.month >= cycle_start_month else day.year - 1
    start = date(year, cycle_start_month, 1)
    return start, date.fromordinal(date(year + 1, cycle_start_month, 1).toordinal() - 1)


def threshold_reached(total: int, threshold: int = SCORE_THRESHOLD) -> bool:
    return total >= threshold
