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
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation
from anlan.hazards import rules as hazard_rules

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
# The five-colour rating's weights (四化五色, the approved colour read through the kernel attribute
# `credit.colour`): Anlan's default, not a national figure. An unrated enterprise keeps its RISK_WEIGHTS weight.
COLOUR_WEIGHTS = {"red": 4, "orange": 3, "yellow": 2, "blue": 1, "green": 0.5}
# Inspections a year that the colour asks for (差异化监管频次): Anlan's default, shown beside the coverage.
COLOUR_INSPECTIONS_PER_YEAR = {"red": 4, "orange": 2, "yellow": 1, "blue": 0.5, "green": 0.3}
COLOURS = tuple(COLOUR_WEIGHTS)

COLOUR_LABELS = {
    "red": _("红色"),
    "orange": _("橙色"),
    "yellow": _("黄色"),
    "blue": _("蓝色"),
    "green": _("绿色"),
    "": _("未评定"),
}

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


# seed-map S2 L273: 「报市和县应急局进行复产验收」 — an order from above the county is accepted by the city too.
def signoff_chain(configured: Sequence[tuple[str, str]], issuing_level: str) -> list[tuple[str, str]]:
    """The ordered sign-off steps for a resumption: the configured local steps (role, name), then the city's
    acceptance (市级复核) when the order came from the city or the province, then the province's review
    (省级复核) when it came from the province."""
    steps = list(configured)
    if not steps:
        raise RuleViolation("chain", ErrorCode.CHAIN_NOT_CONFIGURED, _("复产验收审批链未配置。"))
    if issuing_level not in LEVELS:
        raise RuleViolation("level", ErrorCode.ISSUING_LEVEL_UNKNOWN, _("下达层级无效。"))
    if issuing_level in ("city", "province"):
        steps.append(("review_city", str(_("市级复核"))))
    if issuing_level == "province":
        steps.append(("review_province", str(_("省级复核"))))
    return steps


# 安全生产法 (2021) 第六十五条: supervision is carried out by the department's own law-enforcement staff.
def check_recorder(*, department_check: bool, signs_for_department: bool) -> None:
    """A department's inspection is recorded (or cancelled) only by whoever signs for that department; a town's
    or a leader's own check by its own body (its scope)."""
    if department_check and not signs_for_department:
        raise RuleViolation(
            "__all__",
            ErrorCode.RECORDER_NOT_OF_DEPARTMENT,
            _("部门的检查只能由该部门的执法人员记录或取消。"),
        )


# design.md §3 "Closed loops cannot be faked": every step of the 复产验收 chain is signed by a different person.
def check_distinct_signer(signer: int, earlier_signers: Iterable[int]) -> None:
    if signer in set(earlier_signers):
        raise RuleViolation(
            "__all__",
            ErrorCode.SIGNER_SIGNED_EARLIER_STEP,
            _("复产验收的每个环节须由不同的人签署：您已签署过本申请的其他环节。"),
        )


# 安全生产法 (2021) 第六十五条第一款第（三）项: 重大事故隐患排除后，经审查同意，方可恢复生产经营.
def check_resumption_clear(*, open_major_hazards: int, open_orders: int) -> None:
    """The last step of 复产验收 cannot pass while a major hazard (of the suspending inspection or any other of
    the enterprise) or an enforcement order of the suspending inspection is still open."""
    if open_major_hazards:
        raise RuleViolation(
            "__all__",
            ErrorCode.RESUMPTION_MAJOR_HAZARD_OPEN,
            _("重大事故隐患排除后方可同意复产：该单位仍有%(n)s项重大事故隐患未销号。")
            % {"n": open_major_hazards},
        )
    if open_orders:
        raise RuleViolation(
            "__all__",
            ErrorCode.RESUMPTION_ORDER_OPEN,
            _("停产整顿所依据检查的执法指令尚未执行完毕（%(n)s项），不能同意复产。") % {"n": open_orders},
        )


# ---------------------------------------------------------------- the 双随机 window

# 国办发〔2015〕58号 (双随机、一公开): a drawn inspection is carried out in the period the draw fixed.
WINDOW_EARLY, WINDOW_ON_TIME, WINDOW_LATE = "early", "on_time", "late"


def window_position(day: date, start: date, end: date) -> str:
    """Where the day of a visit falls against a draw's planned period (both ends inclusive)."""
    if day < start:
        return WINDOW_EARLY
    if day > end:
        return WINDOW_LATE
    return WINDOW_ON_TIME


def check_window(day: date, start: date, end: date, early_reason: str) -> bool:
    """A 双随机 inspection recorded before its window needs a reason (audited); one after it is allowed and
    flagged late. Returns whether it is late."""
    position = window_position(day, start, end)
    if position == WINDOW_EARLY and not (early_reason or "").strip():
        raise RuleViolation(
            "early_reason",
            ErrorCode.RANDOM_RECORDED_EARLY,
            _("双随机抽查应在计划检查期间（%(start)s至%(end)s）内实施，提前检查须说明原因。")
            % {"start": start, "end": end},
        )
    return position == WINDOW_LATE


# ---------------------------------------------------------------- who inspects, who enforces


# 行政处罚法 (2021) 第四十二条: 行政处罚应当由具有行政执法资格的执法人员实施.
def check_enforcer(*, certified: bool, own_check: bool) -> None:
    """Only a certified inspector (a valid 执法证) takes an enforcement measure, and never on a town's or a
    leader's own check (属地/领导检查 record and refer, they do not enforce)."""
    if own_check:
        raise RuleViolation(
            "__all__",
            ErrorCode.OWN_CHECK_NO_ENFORCEMENT,
            _("乡镇和领导的检查不能采取执法措施：行政执法由持有执法证的执法人员实施。"),
        )
    if not certified:
        raise RuleViolation(
            "__all__",
            ErrorCode.ENFORCER_NOT_CERTIFIED,
            _("只有持有效执法证的执法人员才能采取执法措施（行政处罚法第四十二条）。"),
        )


# 安全生产法 (2021) 第六十九条: 负有安全生产监督管理职责的部门…应当互相配合，实行联合检查.
def check_joint_team(*, joint: bool, lead_department: int, members: Sequence[tuple[str, int, bool]]) -> None:
    """A team: (name, department id, certified in that department) per member. Every member is certified in
    their own department; a 联合执法 team includes the lead department and at least one other; any other
    kind of inspection is one department's."""
    for name, _department, certified in members:
        if not certified:
            raise RuleViolation(
                "team",
                ErrorCode.INSPECTOR_NOT_CERTIFIED,
                _("%(name)s 未持有所属部门有效的执法证，不能派出执法。") % {"name": name},
            )
    departments = {department for _name, department, _certified in members}
    if joint:
        if lead_department not in departments:
            raise RuleViolation(
                "team", ErrorCode.JOINT_LEAD_MISSING, _("联合执法检查组须包含牵头部门的执法人员。")
            )
        if len(departments) < 2:
            raise RuleViolation(
                "team", ErrorCode.JOINT_ONE_DEPARTMENT, _("联合执法检查组须由两个以上部门的执法人员组成。")
            )
        return
    for name, department, _certified in members:
        if department != lead_department:
            raise RuleViolation(
                "team",
                ErrorCode.INSPECTOR_NOT_IN_POOL,
                _("%(name)s 不在本部门执法人员库中（多部门检查请选择联合执法）。") % {"name": name},
            )


# seed-map S2 L83, L55: 镇、行业主管部门下去检查都要做到“四不两直”; leaders check too (督查).
OWN_CHECK_KINDS = ("unannounced", "supervision")


def check_own_check_kind(kind: str) -> None:
    if kind not in OWN_CHECK_KINDS:
        raise RuleViolation("kind", ErrorCode.OWN_CHECK_KIND, _("乡镇和领导自行开展的检查为四不两直或督查。"))


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
# seed-map S2 L273: 「一经发现未履行审核手续擅自复产的煤矿，一次给煤矿的矿长记x分」 — the scheme's rule a 擅自复产
# finding proposes (its points are the configured scheme's).
UNAUTHORISED_RESUMPTION_RULE = "resumed-without-approval"


def cycle_of(day: date, cycle_start_month: int = 1) -> tuple[date, date]:
    """The 12-month scoring cycle containing `day` (by default the calendar year)."""
    year = day.year if day.month >= cycle_start_month else day.year - 1
    start = date(year, cycle_start_month, 1)
    return start, date.fromordinal(date(year + 1, cycle_start_month, 1).toordinal() - 1)


def threshold_reached(total: int, threshold: int = SCORE_THRESHOLD) -> bool:
    return total >= threshold


# ---------------------------------------------------------------- 复产 after a 挂牌督办 halt (issue #14)

RESUMPTION_REVIEW_DAYS = 10


def resumption_review_due(application_received_on: date) -> date:
    """The on-site review of a written application to resume after a 挂牌督办 halt is due by this date."""
    # 16号令 第二十三条 (regulations.md §2.3): 收到申请报告之日起10日内进行现场审查.
    return application_received_on + timedelta(days=RESUMPTION_REVIEW_DAYS)


# ---------------------------------------------------------------- 提请关闭 after repeated penalties (issue #14)

# 安全生产法 (2021) 第一百一十三条: 存在重大事故隐患，一百八十日内三次或者一年内四次受到本法规定的行政处罚的 →
# 提请予以关闭. Its penalties (本法规定的行政处罚, 行政处罚法 第九条): 罚款, 没收违法所得, 责令停产停业整顿, 暂扣或
# 吊销许可证. A 责令限期整改 is an order, not a penalty; a 移送 decides nothing; 关闭 is the outcome itself.
PENALTY_KINDS = frozenset({"fine", "confiscation", "suspension", "licence_suspension", "licence_revocation"})


# The fewest penalties any window of 第一百一十三条 counts (3 within 180 days).
MIN_CLOSURE_PENALTIES = min(count for count, _days in hazard_rules.CLOSURE_WINDOWS)


def is_penalty(kind: str) -> bool:
    """Whether an enforcement action of this kind is an administrative penalty counted by 第一百一十三条."""
    return kind in PENALTY_KINDS


@dataclass(frozen=True)
class ClosureWindow:
    """A run of penalties that makes closure due: `count` penalties from `first` to `last`, within `days`."""

    first: date
    last: date
    days: int
    ids: tuple[int, ...]


def closure_windows(penalties: Iterable[tuple[date, int]]) -> list[ClosureWindow]:
    """Every qualifying run of consecutive penalties ((issued_on, id) pairs, taken in date then id order) by the
    runs of `hazards.rules.closure_runs` (3 within 180 days, 4 within 365, both ends counted); the
    latest last penalty first, the shorter rule first on a tie. Empty exactly when that rule says not due."""
    found = [
        ClosureWindow(run[0][0], run[-1][0], window, tuple(pk for _day, pk in run))
        for window, run in hazard_rules.closure_runs(penalties)
    ]
    return sorted(found, key=lambda w: (w.last, -w.days, w.ids), reverse=True)


# ---------------------------------------------------------------- 双随机: publishing the results (issue #14)


def inspection_ended_on(recorded_on: Sequence[date | None], period_end: date) -> date:
    """The day a draw's inspection ends: the day its last drawn inspection was recorded when every one was
    recorded by the end of the planned period; otherwise the period's end (a visit recorded late does not push
    the publication deadline back). A draw with no inspection ends with its period."""
    days = list(recorded_on)
    if days and all(day is not None for day in days):
        return min(max(days), period_end)  # type: ignore[type-var]
    return period_end


# regulations.md §8 (国办发〔2015〕58号): 抽查结果自检查结束之日起20个工作日内录入、公开 (working days unconfirmed).
def publication_due(ended_on: date, *, days: int, working_days: bool, calendar) -> date:
    """The last day to publish a draw's results: `days` working days (counted by `calendar`, an object with
    `add_working_days(start, n)` such as core.calendar.Calendar) or calendar days after the inspection ended.
    The end day itself does not count."""
    if days < 0:
        raise RuleViolation("days", ErrorCode.PUBLISH_DAYS_NEGATIVE, _("公开期限天数不能为负数。"))
    if working_days:
        return calendar.add_working_days(ended_on, days)
    return ended_on + timedelta(days=days)


def published_late(published_on: date, due_on: date | None) -> bool:
    """Published after the due day (the due day itself is on time)."""
    return due_on is not None and published_on > due_on


def is_past_due(due_on: date | None, today: date) -> bool:
    """A deadline is missed from the day after its due day."""
    return due_on is not None and today > due_on


# 16号令 第二十三条 (regulations.md §2.3): the department (负有安全生产监督管理职责的部门) reviews on site.
def review_step_index(approvers: Sequence[str]) -> int:
    """Which step of a 复产验收 chain is the on-site review: the first department step (its 现场验收), else the
    first step."""
    return next((index for index, approver in enumerate(approvers) if approver == "department"), 0)


# ---------------------------------------------------------------- 盯守 and 跟踪问效 (issue #14, seed-map C8–C10)

# 盯守 of a suspended unit (S2: 「没有严格落实盯守措施监督该矿停产整顿」): a visit every week unless the plan says.
WATCH_EVERY_DAYS = 7
# 跟踪问效 of closed and exited units (S4: 「对已经关闭退出的企业实行跟踪问效，防止私自恢复生产」): each quarter.
REVISIT_EVERY_DAYS = 90
MAX_EVERY_DAYS = 366


def check_every_days(every_days: int) -> None:
    """A plan's interval (S4 「明确时间节点」): whole days, 1 to 366."""
    if not 1 <= every_days <= MAX_EVERY_DAYS:
        raise RuleViolation("every_days", ErrorCode.WATCH_INTERVAL_INVALID, _("巡查间隔应为 1 至 366 天。"))


def next_watch_due(last_visit_on: date | None, started_on: date, every_days: int) -> date:
    """The day the next 盯守/回头看 visit is due: `every_days` after the last visit, or after the plan started
    when there has been none. A visit is overdue from the day after (`watch_overdue`)."""
    check_every_days(every_days)
    return (last_visit_on or started_on) + timedelta(days=every_days)


def watch_overdue(due_on: date, today: date) -> bool:
    """A visit due on `due_on` is overdue once that day has passed."""
    return today > due_on
