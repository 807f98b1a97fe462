"""Pure rules of governance (责任落实). No ORM, no clock.

Sources: ../shared/regulations.md and the seed-map rows the issue names (A1–A9, A11, B7, B10, B11, C12–C14,
D1–D4, H1–H5, I4–I7); each rule names its source in one short comment. Codes are English; each vocabulary is a
module constant of (code, Chinese label) pairs.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import REGION_CODE_LENGTH, RuleViolation, level_of_code, region_prefix

# ================================================================ duties: 两个清单 (责任清单 + 工作任务清单)

# Where a duty comes from. 三管三必须: 《安全生产法》第三条「管行业必须管安全、管业务必须管安全、管生产经营必须管安全」;
# 安委会成员单位职责 and 属地 (seed-map A2, A4, A7); a leader's 一岗双责 (seed-map A1).
DUTY_CATEGORIES = (
    ("industry", _("管行业必须管安全")),
    ("business", _("管业务必须管安全")),
    ("operation", _("管生产经营必须管安全")),
    ("committee", _("安委会成员单位职责")),
    ("territorial", _("属地管理责任")),
    ("leadership", _("领导一岗双责")),
)

# What a listed task's record says about an accident (照单追责 / 尽职免责, seed-map A5: S2 L191
# 「发生事故要照单追责…只要严格履行了“两个清单”，即使发生事故也可免予责任追究」).
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE_AT_ACCIDENT = "overdue_at_accident"
NOT_YET_DUE = "not_yet_due"
TASK_OUTCOMES = (
    (DONE_ON_TIME, _("事故前按期完成")),
    (DONE_LATE, _("事故前完成但超期")),
    (OVERDUE_AT_ACCIDENT, _("事故发生时已逾期未完成")),
    (NOT_YET_DUE, _("事故发生时未到期")),
)

# The task statuses a page shows: the stored ones plus 逾期, derived from the due date and never stored.
TASK_NOT_STARTED = "not_started"
TASK_IN_PROGRESS = "in_progress"
TASK_REPORTED = "reported"
TASK_DONE = "done"
TASK_OVERDUE = "overdue"
TASK_STATUS_LABELS = {
    TASK_NOT_STARTED: _("未开始"),
    TASK_IN_PROGRESS: _("进行中"),
    TASK_REPORTED: _("待确认"),
    TASK_DONE: _("已完成"),
    TASK_OVERDUE: _("逾期"),
}


def task_is_overdue(status: str, due_on: date, today: date, reported_on: date | None = None) -> bool:
    """A task is overdue from the day after its due date until it is done; a completion reported by the due
    date and awaiting the 安委办's confirmation is not (the unit did its part in time)."""
    # Source: S2 L191 「工作任务清单…由同级安委办审核督办」; the due date is the task's own.
    if status == TASK_DONE:
        return False
    if status == TASK_REPORTED and reported_on is not None and reported_on <= due_on:
        return False
    return today > due_on


def task_status(status: str, due_on: date, today: date, reported_on: date | None = None) -> str:
    """The status shown: 逾期 when `task_is_overdue`, else the stored status."""
    return TASK_OVERDUE if task_is_overdue(status, due_on, today, reported_on) else status


def task_outcome(status: str, due_on: date, completed_on: date | None, accident_on: date) -> str:
    """What a listed task's record says on the day of an accident: done (confirmed by the 安委办) before that
    day — on time (by its due date) or late; else overdue when its due date was already past, or not yet due.
    A task completed on the accident's day or after counts as not done at the accident (the accident's hour
    is not compared with a completion date). Source: seed-map A5 (照单追责 / 尽职免责)."""
    done_before = status == TASK_DONE and completed_on is not None and completed_on < accident_on
    if done_before:
        return DONE_ON_TIME if completed_on <= due_on else DONE_LATE
    return OVERDUE_AT_ACCIDENT if due_on < accident_on else NOT_YET_DUE


def region_contains(ancestor_code: str, code: str) -> bool:
    """Whether the 12-digit region `code` lies in the subtree of `ancestor_code` (the region itself included)."""
    if len(ancestor_code) != REGION_CODE_LENGTH or len(code) != REGION_CODE_LENGTH:
        return False
    return code.startswith(region_prefix(ancestor_code, level_of_code(ancestor_code)))


def duty_covers(
    item_industry_ids: frozenset[int] | set[int],
    item_region_codes: frozenset[str] | set[str],
    industry_lineage: frozenset[int] | set[int],
    region_code: str,
) -> bool:
    """Whether a listed duty covers an enterprise (照单追责, seed-map A5): its industries hold the enterprise's
    industry or an ancestor of it (`industry_lineage`: the industry and its ancestors), and its regions contain
    the enterprise's region. An empty side matches anything, but a duty with neither (a general duty such as
    attending meetings) covers no enterprise in particular. 三管三必须: 《安全生产法》第三条."""
    if not item_industry_ids and not item_region_codes:
        return False
    industry_ok = not item_industry_ids or bool(set(item_industry_ids) & set(industry_lineage))
    region_ok = not item_region_codes or any(region_contains(code, region_code) for code in item_region_codes)
    return industry_ok and region_ok


def list_is_editable(status: str) -> bool:
    """A 责任清单 is edited while a draft or after the 安委办 returned it; submitted and approved versions are
    not (approved versions are immutable: a revision is a new version). Source: S2 L191 「每年进行修订」."""
    return status in ("draft", "returned")


def report_has_evidence(evidence_count: int) -> bool:
    """A completion is reported with at least one piece of evidence (a file or a linked record): 照单履职 needs
    proof, and H4 「件件有落实、事事有印证」 (seed-map H4)."""
    return evidence_count >= 1


def duty_year_ok(year: int, today: date) -> bool:
    """A list or task year from 2000 to next year (lists are drafted ahead for the coming year)."""
    return 2000 <= year <= today.year + 1


def due_on_in_year(due_on: date, year: int) -> bool:
    """A task of the year's 工作任务清单 falls due within that year."""
    return due_on.year == year


# ================================================================ groundwork: 基础工作 as task kinds with facts
# Seed-map I4–I7 (issue: 「Groundwork as task types with evidence」): a 工作任务 has a kind (任务类型); the kinds of
# 基础工作 carry structured facts (工作数据) besides the evidence files, checked here strictly — every field named
# in its error, nothing half-saved — and required before the completion is reported.


class FactCode(StrEnum):
    REQUIRED = "task_fact_required"
    INVALID = "task_fact_invalid"
    NEGATIVE = "task_fact_negative"
    OVER_TARGET = "task_fact_over_target"
    YEARS_ORDER = "task_fact_years_order"
    YEAR_OUTSIDE = "task_fact_year_outside"
    DUPLICATE = "task_fact_duplicate"
    TOO_MANY = "task_fact_too_many"
    VENUE_EMPTY = "task_fact_venue_empty"


KIND_GENERAL = "general"
KIND_THREE_SIMULTANEITIES = "three_simul"
KIND_SAFETY_MONTH = "safety_month"
KIND_LAW_FIVE = "law_five"
KIND_SAFE_COMMUNITY = "safe_community"
KIND_RURAL_ROAD = "rural_road"
KIND_ROOT_HAZARD = "root_hazard"
TASK_KINDS = (
    (KIND_GENERAL, _("一般任务")),
    # S2 L553 「危险化学品新建、改建、扩建项目执行安全设施“三同时”制度情况」 (seed-map I4).
    (KIND_THREE_SIMULTANEITIES, _("三同时检查")),
    # S2 L573 「积极开展好安全生产宣传咨询日等“6月安全生产月”系列活动」 (seed-map I5).
    (KIND_SAFETY_MONTH, _("安全生产月/宣传咨询日")),
    # S2 L529 「全面开展了安全生产法律“五进”活动」 (seed-map I5).
    (KIND_LAW_FIVE, _("法律“五进”")),
    # S4 「关于进一步加强安全社区建设的意见」; S2 L151 「x镇建成省级安全社区」 (seed-map I6).
    (KIND_SAFE_COMMUNITY, _("安全社区建设")),
    # S4 「构建了以乡镇交管办、片区联合执法中队为核心的组织格局」 (seed-map I7).
    (KIND_RURAL_ROAD, _("农村道路交通安全组织")),
    # Multi-year 隐患根治 (issue text: 「multi-year root-hazard governance split by level」).
    (KIND_ROOT_HAZARD, _("隐患根治")),
)
TASK_KIND_LABELS = dict(TASK_KINDS)

# 三同时: the stage of the project checked and the finding (《安全生产法》第三十一条: safety facilities 「与主体工程同时设计、
# 同时施工、同时投入生产和使用」).
PROJECT_STAGES = (("design", _("设计审查")), ("construction", _("施工")), ("acceptance", _("竣工验收")))
PROJECT_RESULTS = (("compliant", _("符合")), ("non_compliant", _("不符合")))
MAX_PROJECTS = 50

# 法律“五进”: 进企业、进农村、进社区、进学校、进机关 (S2 L529).
LAW_VENUES = (
    ("enterprise", _("进企业")),
    ("village", _("进农村")),
    ("community", _("进社区")),
    ("school", _("进学校")),
    ("agency", _("进机关")),
)

# 安全社区: the level aimed at, the stage reached and where it stands (S2 L151 「建成省级安全社区」).
COMMUNITY_LEVELS = (("provincial", _("省级")), ("national", _("国家级")))
COMMUNITY_STAGES = (("create", _("创建")), ("assess", _("评定")), ("reassess", _("复评")))
COMMUNITY_STATUSES = (("in_progress", _("进行中")), ("passed", _("已通过")), ("failed", _("未通过")))

# 隐患根治 by level: the road levels (《公路法》第六条: 国道、省道、县道和乡道; 村道 as the rural roads below them), or
# a free label (`other`) for a split that is not by road level.
ROOT_LEVEL_OTHER = "other"
ROOT_LEVELS = (
    ("national", _("国道")),
    ("provincial", _("省道")),
    ("county", _("县道")),
    ("township", _("乡道")),
    ("village", _("村道")),
    (ROOT_LEVEL_OTHER, _("其他（自填层级）")),
)
MAX_ROOT_LEVELS = 20
MAX_ROOT_YEARS = 10
MAX_COUNT = 10_000_000

# The facts each kind asks for, field by field (the form and the messages name them).
FACT_LABELS = {
    "projects": _("检查项目"),
    "name": _("项目名称"),
    "enterprise": _("建设单位"),
    "stage": _("阶段"),
    "result": _("检查结果"),
    "note": _("备注"),
    "activities": _("活动场次"),
    "participants": _("参与人数"),
    "people": _("覆盖人数"),
    "target": _("目标数"),
    "reached": _("已覆盖数"),
    "community": _("社区（区域）"),
    "level": _("创建等级"),
    "status": _("状态"),
    "town_office": _("乡镇交管办"),
    "joint_squads": _("联合执法中队数"),
    "stations": _("劝导站数"),
    "persuaders": _("劝导员数"),
    "start_year": _("起始年度"),
    "end_year": _("截止年度"),
    "levels": _("分级目标"),
    "label": _("层级名称"),
    "done": _("已治理数"),
}


def kind_has_facts(kind: str) -> bool:
    """Every kind but the general task carries facts."""
    return kind != KIND_GENERAL


def _label(name: str) -> str:
    return str(FACT_LABELS.get(name, name))


def _required(field: str, label: str) -> RuleViolation:
    return RuleViolation(field, FactCode.REQUIRED, _("请填写%(f)s。") % {"f": label})


def _count(raw: Mapping, key: str, field: str, label: str | None = None) -> int:
    """A count: a whole number from 0 (a bool or a fraction is not a count)."""
    label = label or _label(key)
    value = raw.get(key)
    if value is None or value == "":
        raise _required(field, label)
    if isinstance(value, bool):
        raise RuleViolation(field, FactCode.INVALID, _("%(f)s须为整数。") % {"f": label})
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise RuleViolation(field, FactCode.INVALID, _("%(f)s须为整数。") % {"f": label})
        value = int(value)
    if not isinstance(value, int):
        raise RuleViolation(field, FactCode.INVALID, _("%(f)s须为整数。") % {"f": label})
    if value < 0:
        raise RuleViolation(field, FactCode.NEGATIVE, _("%(f)s不能为负数。") % {"f": label})
    if value > MAX_COUNT:
        raise RuleViolation(field, FactCode.INVALID, _("%(f)s过大。") % {"f": label})
    return value


def _text_fact(raw: Mapping, key: str, field: str, *, required: bool = True, max_length: int = 100) -> str:
    value = raw.get(key)
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise _required(field, _label(key))
    if len(value) > max_length:
        raise RuleViolation(
            field, FactCode.INVALID, _("%(f)s不能超过%(n)s个字。") % {"f": _label(key), "n": max_length}
        )
    return value


def _choice(raw: Mapping, key: str, field: str, choices) -> str:
    value = raw.get(key)
    if value in (None, ""):
        raise RuleViolation(field, FactCode.REQUIRED, _("请选择%(f)s。") % {"f": _label(key)})
    if value not in dict(choices):
        raise RuleViolation(field, FactCode.INVALID, _("%(f)s的取值无效。") % {"f": _label(key)})
    return value


def _coverage(raw: Mapping) -> dict:
    """覆盖对象: `target` units (enterprises, villages, schools…) to reach and `reached` of them. Reaching more than
    the target is refused: the target is the whole set to cover (应知应会全覆盖, S3), so coverage tops at 100%."""
    target = _count(raw, "target", "target")
    reached = _count(raw, "reached", "reached")
    if reached > target:
        raise RuleViolation(
            "reached",
            FactCode.OVER_TARGET,
            _("已覆盖数（%(r)s）不能大于目标数（%(t)s）。") % {"r": reached, "t": target},
        )
    return {"target": target, "reached": reached}


def _rows(raw: Mapping, key: str, limit: int) -> list:
    rows = raw.get(key)
    if not isinstance(rows, list | tuple) or not rows:
        raise RuleViolation(key, FactCode.REQUIRED, _("请至少填写一项%(f)s。") % {"f": _label(key)})
    if len(rows) > limit:
        raise RuleViolation(key, FactCode.TOO_MANY, _("%(f)s最多%(n)s项。") % {"f": _label(key), "n": limit})
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise RuleViolation(f"{key}.{index}", FactCode.INVALID, _("%(f)s格式无效。") % {"f": _label(key)})
    return list(rows)


def _three_simultaneities(raw: Mapping, year: int) -> dict:
    projects = []
    for index, row in enumerate(_rows(raw, "projects", MAX_PROJECTS)):
        at = f"projects.{index}"
        projects.append(
            {
                "name": _text_fact(row, "name", f"{at}.name"),
                "enterprise": _text_fact(row, "enterprise", f"{at}.enterprise", required=False),
                "stage": _choice(row, "stage", f"{at}.stage", PROJECT_STAGES),
                "result": _choice(row, "result", f"{at}.result", PROJECT_RESULTS),
                "note": _text_fact(row, "note", f"{at}.note", required=False, max_length=300),
            }
        )
    return {"projects": projects}


def _safety_month(raw: Mapping, year: int) -> dict:
    return {
        "activities": _count(raw, "activities", "activities"),
        "participants": _count(raw, "participants", "participants"),
        **_coverage(raw),
    }


def _law_five(raw: Mapping, year: int) -> dict:
    venues = raw.get("venues")
    venues = venues if isinstance(venues, Mapping) else {}
    checked = {}
    for code, label in LAW_VENUES:
        row = venues.get(code)
        row = row if isinstance(row, Mapping) else {}
        checked[code] = {
            "activities": _count(
                row, "activities", f"venues.{code}.activities", f"{label}{_label('activities')}"
            ),
            "people": _count(row, "people", f"venues.{code}.people", f"{label}{_label('people')}"),
        }
    return {"venues": checked, **_coverage(raw)}


def _safe_community(raw: Mapping, year: int) -> dict:
    return {
        "community": _text_fact(raw, "community", "community"),
        "level": _choice(raw, "level", "level", COMMUNITY_LEVELS),
        "stage": _choice(raw, "stage", "stage", COMMUNITY_STAGES),
        "status": _choice(raw, "status", "status", COMMUNITY_STATUSES),
    }


def _rural_road(raw: Mapping, year: int) -> dict:
    office = raw.get("town_office")
    if not isinstance(office, bool):
        raise RuleViolation("town_office", FactCode.REQUIRED, _("请选择是否已设立乡镇交管办。"))
    return {
        "town_office": office,
        "joint_squads": _count(raw, "joint_squads", "joint_squads"),
        "stations": _count(raw, "stations", "stations"),
        "persuaders": _count(raw, "persuaders", "persuaders"),
    }


def _year(raw: Mapping, key: str) -> int:
    value = _count(raw, key, key)
    if not 2000 <= value <= 2100:
        raise RuleViolation(
            key, FactCode.INVALID, _("%(f)s须在 2000 年至 2100 年之间。") % {"f": _label(key)}
        )
    return value


def _root_hazard(raw: Mapping, year: int) -> dict:
    start, end = _year(raw, "start_year"), _year(raw, "end_year")
    if end < start:
        raise RuleViolation("end_year", FactCode.YEARS_ORDER, _("截止年度不能早于起始年度。"))
    if end - start + 1 > MAX_ROOT_YEARS:
        raise RuleViolation(
            "end_year", FactCode.YEARS_ORDER, _("治理周期最长%(n)s年。") % {"n": MAX_ROOT_YEARS}
        )
    if not start <= year <= end:
        raise RuleViolation(
            "start_year",
            FactCode.YEAR_OUTSIDE,
            _("任务年度（%(y)s）须在治理周期（%(s)s—%(e)s）内。") % {"y": year, "s": start, "e": end},
        )
    levels, seen = [], set()
    for index, row in enumerate(_rows(raw, "levels", MAX_ROOT_LEVELS)):
        at = f"levels.{index}"
        level = _choice(row, "level", f"{at}.level", ROOT_LEVELS)
        entry = {"level": level}
        if level == ROOT_LEVEL_OTHER:
            entry["label"] = _text_fact(row, "label", f"{at}.label", max_length=30)
        key = entry.get("label", level)
        if key in seen:
            raise RuleViolation(f"{at}.level", FactCode.DUPLICATE, _("同一层级只能填写一次。"))
        seen.add(key)
        target = _count(row, "target", f"{at}.target")
        done = _count(row, "done", f"{at}.done")
        if done > target:
            raise RuleViolation(
                f"{at}.done",
                FactCode.OVER_TARGET,
                _("已治理数（%(d)s）不能大于目标数（%(t)s）。") % {"d": done, "t": target},
            )
        levels.append({**entry, "target": target, "done": done})
    return {"start_year": start, "end_year": end, "levels": levels}


_FACT_CHECKS = {
    KIND_THREE_SIMULTANEITIES: _three_simultaneities,
    KIND_SAFETY_MONTH: _safety_month,
    KIND_LAW_FIVE: _law_five,
    KIND_SAFE_COMMUNITY: _safe_community,
    KIND_RURAL_ROAD: _rural_road,
    KIND_ROOT_HAZARD: _root_hazard,
}


def check_task_facts(kind: str, raw: Mapping, year: int) -> dict:
    """The facts of a task of `kind` and `year`, checked whole and returned in their stored shape (unknown keys
    dropped); the first fault raises `RuleViolation` naming its field (e.g. `venues.school.people`). A general
    task has no facts."""
    if kind not in TASK_KIND_LABELS:
        raise RuleViolation("kind", FactCode.INVALID, _("任务类型无效。"))
    if not kind_has_facts(kind):
        return {}
    if not isinstance(raw, Mapping):
        raise RuleViolation("facts", FactCode.INVALID, _("工作数据格式无效。"))
    return _FACT_CHECKS[kind](raw, year)


def facts_block_report(kind: str, facts: Mapping | None, year: int) -> RuleViolation | None:
    """Why the completion of a task cannot be reported yet, or None: a 基础工作 task is reported with its facts
    filled in and valid (H4 「件件有落实、事事有印证」), and a 法律“五进” with activities in each of the five venues
    (S2 L529 「全面开展了安全生产法律“五进”活动」)."""
    if not kind_has_facts(kind):
        return None
    if not facts:
        return RuleViolation(
            "facts",
            FactCode.REQUIRED,
            _("请先填报%(kind)s的工作数据，再报告完成。") % {"kind": TASK_KIND_LABELS[kind]},
        )
    try:
        checked = check_task_facts(kind, facts, year)
    except RuleViolation as violation:
        return violation
    if kind == KIND_LAW_FIVE:
        for code, label in LAW_VENUES:
            if checked["venues"][code]["activities"] < 1:
                return RuleViolation(
                    f"venues.{code}.activities",
                    FactCode.VENUE_EMPTY,
                    _("法律“五进”须五个领域都开展活动：%(v)s尚无活动。") % {"v": label},
                )
    return None


def coverage_percent(reached: int, target: int) -> float | None:
    """覆盖率: reached over target as a percentage with one decimal; None when there is no target."""
    if target <= 0:
        return None
    return round(100.0 * reached / target, 1)


def progress_percent(done: int, target: int) -> float | None:
    """治理进度: done over target as a percentage with one decimal; None when there is no target."""
    return coverage_percent(done, target)


def root_level_label(level: str, label: str = "") -> str:
    """The name of a 隐患根治 level: the road level's, or the free label of `other`."""
    return label if level == ROOT_LEVEL_OTHER else str(dict(ROOT_LEVELS).get(level, level))


def law_five_people(facts: Mapping) -> int:
    return sum(v["people"] for v in facts.get("venues", {}).values())


def law_five_activities(facts: Mapping) -> int:
    return sum(v["activities"] for v in facts.get("venues", {}).values())


def facts_summary(kind: str, facts: Mapping | None) -> str:
    """One line for a list, a ledger cell or a notice: the facts' counts (empty when none are filled in)."""
    if not facts or not kind_has_facts(kind):
        return ""
    if kind == KIND_THREE_SIMULTANEITIES:
        projects = facts["projects"]
        bad = sum(1 for p in projects if p["result"] == "non_compliant")
        return str(_("检查项目%(n)s个，不符合%(b)s个") % {"n": len(projects), "b": bad})
    if kind in (KIND_SAFETY_MONTH, KIND_LAW_FIVE):
        rate = coverage_percent(facts["reached"], facts["target"])
        shown = "—" if rate is None else f"{rate}%"
        if kind == KIND_SAFETY_MONTH:
            activities, people = facts["activities"], facts["participants"]
        else:
            activities, people = law_five_activities(facts), law_five_people(facts)
        return str(
            _("活动%(a)s场，%(p)s人次，覆盖%(r)s/%(t)s（%(c)s）")
            % {"a": activities, "p": people, "r": facts["reached"], "t": facts["target"], "c": shown}
        )
    if kind == KIND_SAFE_COMMUNITY:
        return "{}：{}{}，{}".format(
            facts["community"],
            dict(COMMUNITY_LEVELS)[facts["level"]],
            dict(COMMUNITY_STAGES)[facts["stage"]],
            dict(COMMUNITY_STATUSES)[facts["status"]],
        )
    if kind == KIND_RURAL_ROAD:
        return str(
            _("交管办%(o)s，联合执法中队%(j)s个，劝导站%(s)s个，劝导员%(p)s名")
            % {
                "o": _("已设立") if facts["town_office"] else _("未设立"),
                "j": facts["joint_squads"],
                "s": facts["stations"],
                "p": facts["persuaders"],
            }
        )
    parts = [
        "{} {}/{}".format(root_level_label(row["level"], row.get("label", "")), row["done"], row["target"])
        for row in facts["levels"]
    ]
    return "{}—{}：{}".format(facts["start_year"], facts["end_year"], "；".join(parts))


# ================================================================ problems: 督查问题, 两书一函, 问责


class ProblemCode(StrEnum):
    DUE_BEFORE_FOUND = "problem_due_before_found"
    REPLY_BEFORE_ISSUED = "letter_reply_before_issued"
    DECIDED_IN_FUTURE = "accountability_decided_in_future"


# Where a problem came from: found in a 督查 of the county, or handed down by the city/province (seed-map B7:
# 「市安委办3月25日交办我区239项问题」).
PROBLEM_SOURCES = (("visit", _("督查检查")), ("handed_down", _("上级交办")))

# 两书一函 (seed-map C12: 「警示提醒书、安全监管行政建议书及安全隐患挂牌督办函“两书一函”制度」).
LETTER_KINDS = (
    ("warning_letter", _("警示提醒书")),
    ("advice_letter", _("安全监管行政建议书")),
    ("supervision_letter", _("督办函")),
)

# 通报、约谈、警示、问责 (seed-map C13, H5: 「要通报批评、约谈问责」).
ACCOUNTABILITY_KINDS = (
    ("summons", _("约谈")),
    ("circular", _("通报批评")),
    ("warning", _("警示")),
    ("accountability", _("问责")),
)


def check_problem_dates(found_on: date, due_on: date) -> None:
    """A problem's deadline cannot come before the day it was found (a deadline in the past is allowed: a
    handed-down list is often recorded after its dates)."""
    if due_on < found_on:
        raise RuleViolation(
            "due_on", ProblemCode.DUE_BEFORE_FOUND, _("整改时限不能早于发现日期（%(d)s）。") % {"d": found_on}
        )


# 民法典 第二百零一条 (regulations.md, conventions): a period ends at 24:00 of its last day, so the deadline
# itself is on time and a letter not answered is late from the next day on — the same rule as hazards (a
# problem's own overdue is its hazard's: anlan.hazards.rules.is_overdue).
def problem_overdue_cutoff(today: date) -> date:
    """The latest deadline that is overdue on `today` (letters due on or before it and not answered)."""
    return today - timedelta(days=1)


def problem_days_overdue(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)


def on_time_rate(closed_on_time: int, due: int) -> float | None:
    """按期整改率: problems closed out by their deadline over problems whose deadline has passed or that are
    closed, as a percentage with one decimal; None when nothing is due yet."""
    if not due:
        return None
    return round(100.0 * closed_on_time / due, 1)


def letter_reply_is_overdue(reply_due_on: date, today: date, replied_on: date | None = None) -> bool:
    """A letter's written reply is late from the day after its reply deadline (民法典 第二百零一条)."""
    return reply_due_on <= problem_overdue_cutoff(replied_on if replied_on is not None else today)


def check_decided_on(decided_on: date, today: date) -> None:
    """An accountability measure is recorded after it was taken: its date is not in the future."""
    if decided_on > today:
        raise RuleViolation("decided_on", ProblemCode.DECIDED_IN_FUTURE, _("日期不能晚于今天。"))


# ---------------------------------------------------------------- assessment (考核)
# The yearly assessment of towns and departments (seed-map H1: 「实行负面清单扣分与重点工作考核量分并行的年度工作考核机制」;
# H2: 「从严实行“一票否决”」). Default arithmetic of issue #17: start from the scheme's base (100); each 负面清单
# rule deducts `points × occurrences` up to its cap; each 重点工作量分 item adds `points × occurrences` up to its
# cap; a manual indicator (台账检查, 现场考核) deducts the confirmed amount up to its cap; the total is kept within
# [0, maximum]; a 一票否决 condition met makes the result vetoed whatever the score.


DEDUCTION = "deduction"
WORKLOAD = "workload"
MANUAL = "manual"
VETO = "veto"
INDICATOR_KINDS = (
    (DEDUCTION, _("负面清单扣分")),
    (WORKLOAD, _("重点工作量分")),
    (MANUAL, _("人工评分（台账检查、现场考核）")),
    (VETO, _("一票否决")),
)
PROCESS = "process"
RESULT = "result"
# 「坚持过程考核与结果考核相结合」 (seed-map H1, S2 L179).
INDICATOR_CATEGORIES = ((PROCESS, _("过程考核")), (RESULT, _("结果考核")))
DEFAULT_BASE = Decimal("100")
ZERO = Decimal("0")


@dataclass(frozen=True)
class AssessmentItem:
    """One indicator as the arithmetic sees it: its code, kind, points per occurrence and cap (None: no cap)."""

    code: str
    kind: str
    points: Decimal = ZERO
    cap: Decimal | None = None


@dataclass(frozen=True)
class AssessmentScheme:
    """The scheme's arithmetic: the base every unit starts from, an optional maximum, the indicators."""

    items: tuple[AssessmentItem, ...]
    base: Decimal = DEFAULT_BASE
    maximum: Decimal | None = None


@dataclass(frozen=True)
class AssessmentFacts:
    """One unit's facts: occurrences per data indicator (deduction, workload, veto) and the confirmed amount
    per manual indicator (points deducted). Missing codes count as 0."""

    occurrences: Mapping[str, int] = field(default_factory=dict)
    manual: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentLine:
    """What one indicator did to the score: `points` signed (negative deducts), `capped` when the cap bound."""

    code: str
    kind: str
    occurrences: int
    points: Decimal
    capped: bool


@dataclass(frozen=True)
class AssessmentResult:
    score: Decimal
    vetoed: bool
    deducted: Decimal
    added: Decimal
    lines: tuple[AssessmentLine, ...]
    veto_codes: tuple[str, ...] = ()


def _bounded(raw: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
    if cap is not None and raw > cap:
        return cap, True
    return raw, False


def assessment_score(scheme: AssessmentScheme, facts: AssessmentFacts) -> AssessmentResult:
    """The unit's score under the scheme (issue #17's default arithmetic, see the section comment)."""
    lines: list[AssessmentLine] = []
    deducted = added = ZERO
    vetoes: list[str] = []
    for item in scheme.items:
        if item.kind == VETO:
            count = max(int(facts.occurrences.get(item.code, 0)), 0)
            if count:
                vetoes.append(item.code)
            lines.append(AssessmentLine(item.code, item.kind, count, ZERO, False))
            continue
        if item.kind == MANUAL:
            count = 0
            raw = max(Decimal(facts.manual.get(item.code, ZERO)), ZERO)
        else:
            count = max(int(facts.occurrences.get(item.code, 0)), 0)
            raw = item.points * count
        amount, capped = _bounded(raw, item.cap)
        if item.kind == WORKLOAD:
            added += amount
            lines.append(AssessmentLine(item.code, item.kind, count, amount, capped))
        else:
            deducted += amount
            lines.append(AssessmentLine(item.code, item.kind, count, -amount, capped))
    score = scheme.base - deducted + added
    if scheme.maximum is not None:
        score = min(score, scheme.maximum)
    score = max(score, ZERO)
    return AssessmentResult(score, bool(vetoes), deducted, added, tuple(lines), tuple(vetoes))


def rank_key(name: str, result: AssessmentResult) -> tuple:
    """Order of the ranking: non-vetoed before vetoed (一票否决 ranks after every other unit), higher score first,
    ties broken by fewer points deducted (issue #17), then by the unit's name so the order is deterministic."""
    return (result.vetoed, -result.score, result.deducted, name)


def rank(results: Sequence[tuple[str, AssessmentResult]]) -> list[tuple[int, str, AssessmentResult]]:
    """(position, name, result) from 1, in `rank_key` order; every unit has its own position (no shared
    ranks: the tie-breaks make the order total)."""
    ordered = sorted(results, key=lambda pair: rank_key(*pair))
    return [(position, name, result) for position, (name, result) in enumerate(ordered, start=1)]


# ================================================================ campaigns: 安委会议定事项 and 专项整治

# seed-map A9 (S2 L711 「健全区安委会“双主任”决策议事机制…推进各专安委及办公室实体化运行」; S3 「设立十四个专业委员会」).
MEETING_PLENARY = "plenary"
MEETING_SPECIAL = "special"
MEETING_COMMITTEE = "committee"
MEETING_KINDS = (
    (MEETING_PLENARY, _("安委会全体会议")),
    (MEETING_SPECIAL, _("安委会专题会议")),
    (MEETING_COMMITTEE, _("专委会会议")),
)

# seed-map D1/I5 (S2 L105 「专项整治三年行动工作专班」; S2 L573 「6月安全生产月」) and the seasonal actions.
CAMPAIGN_THREE_YEAR = "three_year"
CAMPAIGN_SAFETY_MONTH = "safety_month"
CAMPAIGN_FLOOD = "flood_season"
CAMPAIGN_YEAR_END = "year_end"
CAMPAIGN_SPECIAL = "special"
CAMPAIGN_KINDS = (
    (CAMPAIGN_THREE_YEAR, _("专项整治三年行动")),
    (CAMPAIGN_SPECIAL, _("专项整治")),
    (CAMPAIGN_SAFETY_MONTH, _("安全生产月")),
    (CAMPAIGN_FLOOD, _("汛期安全专项行动")),
    (CAMPAIGN_YEAR_END, _("岁末年初安全专项行动")),
)

# seed-map D3 (S2 L107 「各专项整治要做到“每月一调度、每季一通报、每年一总结”」).
PERIOD_MONTH = "month"
PERIOD_QUARTER = "quarter"
PERIOD_YEAR = "year"
PERIOD_KINDS = (
    (PERIOD_MONTH, _("月度调度")),
    (PERIOD_QUARTER, _("季度通报")),
    (PERIOD_YEAR, _("年度总结")),
)
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def decision_due_ok(due_on: date, held_on: date) -> bool:
    """A decision's deadline is not before the meeting that made it (A9: decisions followed up to closure)."""
    return due_on >= held_on


def decision_is_overdue(due_on: date, is_closed: bool, today: date) -> bool:
    """An assigned decision not closed by its deadline is overdue from the next day (the due date itself is
    not overdue, as for hazards; S2 L179 「跟踪督办、限时办结」)."""
    return not is_closed and today > due_on


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """The month, quarter or calendar year containing `day`, as (first day, last day) — D3's periods."""
    if kind == PERIOD_MONTH:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    if kind == PERIOD_QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        return date(day.year, first_month, 1), date(day.year, last_month, monthrange(day.year, last_month)[1])
    if kind == PERIOD_YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(kind)


def previous_period_start(kind: str, day: date) -> date:
    """The first day of the period before the one containing `day` (the report a sweep or a user issues
    after the period closes)."""
    start, _end = period_bounds(kind, day)
    if kind == PERIOD_YEAR:
        return date(start.year - 1, 1, 1)
    months = 1 if kind == PERIOD_MONTH else 3
    month = start.month - months
    year = start.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def period_label(kind: str, start: date) -> str:
    """How a document names its period: 2026年3月 / 2026年第一季度 / 2026年度 (Chinese: it is a 公文)."""
    if kind == PERIOD_MONTH:
        return f"{start.year}年{start.month}月"
    if kind == PERIOD_QUARTER:
        return f"{start.year}年第{QUARTER_NAMES[(start.month - 1) // 3 + 1]}季度"
    return f"{start.year}年度"


def periods_overlap(start: date, end: date, other_start: date, other_end: date) -> bool:
    return start <= other_end and other_start <= end


@dataclass(frozen=True)
class TagRule:
    """Which records a campaign covers by rule (D1 大排查大整治 under its topics): the industries of its
    special areas, its region's subtree (region codes from `prefix`), its period."""

    industry_ids: frozenset[int]
    region_prefix: str
    starts_on: date
    ends_on: date


def tag_rule_matches(rule: TagRule, *, industry_id: int | None, region_code: str, on: date) -> bool:
    """Whether a record (its industry, region and date) falls under the campaign's rule: an industry of one
    of its areas, inside its region, dated within its period (both ends included)."""
    return (
        industry_id is not None
        and industry_id in rule.industry_ids
        and region_code.startswith(rule.region_prefix)
        and rule.starts_on <= on <= rule.ends_on
    )


def card_month_ok(month: date, starts_on: date, ends_on: date) -> bool:
    """A monthly card (D2 「每个月都会印发…提示卡，制定当月整治工作任务清单」) is for a month the campaign runs in."""
    first, last = period_bounds(PERIOD_MONTH, month)
    return periods_overlap(first, last, starts_on, ends_on)


def completion_rate(done: int, total: int) -> int:
    """Percentage, rounded down (a 调度 shows 完成率 without overstating it); 0 of 0 is 0."""
    return (100 * done) // total if total else 0


# ================================================================ baobao: 四级包保 (seed-map A6)

# The four levels of 包保 (S2 L711 「落实“四级”安全生产包保责任体系」): 县级领导、乡（镇）级、村（社区）级、组级 —
# the levels used for geohazard points (群测群防) and for enterprises alike.
BAOBAO_LEVELS = (
    ("county", _("县级")),
    ("town", _("乡级")),
    ("village", _("村级")),
    ("group", _("组级")),
)

# What the pairing is for: 安全生产包保 (S2 L711) or 防汛挂联 (S2 L175 「县级领导防汛挂联乡镇分工方案…实行包干到底」).
BAOBAO_KINDS = (
    ("safety", _("安全生产包保")),
    ("flood", _("防汛挂联")),
)

# What a leader is paired with: a town, an enterprise, or a geohazard point (the issue's 包保对象).
BAOBAO_TARGET_TYPES = (
    ("town", _("乡镇（街道）")),
    ("enterprise", _("企业")),
    ("point", _("地质灾害隐患点")),
)

# Default visit frequency per level, in days. Local practice defaults (县级 quarterly, 乡级 monthly, 村级 every two
# weeks, 组级 weekly), NOT a national rule: no regulation fixes a 包保 visit frequency; each assignment keeps its
# own `every_days`, which the 安委办 may change.
BAOBAO_VISIT_EVERY_DAYS = {"county": 90, "town": 30, "village": 14, "group": 7}
BAOBAO_EVERY_DAYS_MAX = 366


class BaobaoCode(StrEnum):
    EVERY_DAYS = "baobao_every_days_invalid"
    VISIT_BEFORE_START = "baobao_visit_before_start"
    VISIT_IN_FUTURE = "baobao_visit_in_future"


def baobao_default_every_days(level: str) -> int:
    """The default visit frequency of a level (local practice, see BAOBAO_VISIT_EVERY_DAYS)."""
    return BAOBAO_VISIT_EVERY_DAYS[level]


def baobao_visit_due(last_visit_on: date | None, started_on: date, every_days: int) -> date:
    """The day the next visit is due: `every_days` after the last visit, or after the pairing started when the
    leader has not visited yet. A visit on the due day is in time; the visit is overdue from the next day."""
    base = last_visit_on if last_visit_on is not None and last_visit_on >= started_on else started_on
    return base + timedelta(days=every_days)


def baobao_visit_is_overdue(due_on: date, today: date) -> bool:
    """Overdue when today is past the due day (`today > due_on`)."""
    return today > due_on


def baobao_days_overdue(due_on: date, today: date) -> int:
    """Whole days past the due day (0 on or before it)."""
    return max(0, (today - due_on).days)


def check_baobao_every_days(every_days: int) -> None:
    """A frequency of at least one day and at most a year (a pairing is set per year)."""
    if not 1 <= every_days <= BAOBAO_EVERY_DAYS_MAX:
        raise RuleViolation(
            "every_days",
            BaobaoCode.EVERY_DAYS,
            _("走访频次须在 1 至 %(n)s 天之间。") % {"n": BAOBAO_EVERY_DAYS_MAX},
        )


def check_baobao_visit_on(visited_on: date, started_on: date, today: date) -> None:
    """A visit lies between the pairing's start and today."""
    if visited_on > today:
        raise RuleViolation("visited_on", BaobaoCode.VISIT_IN_FUTURE, _("走访日期不能晚于今天。"))
    if visited_on < started_on:
        raise RuleViolation(
            "visited_on",
            BaobaoCode.VISIT_BEFORE_START,
            _("走访日期不能早于包保开始日期（%(d)s）。") % {"d": started_on},
        )


# A scheduled 通报/总结 is still issued for a campaign that ended up to a quarter ago (a sweep that missed days
# catches up); a campaign that ended earlier is not back-filled.
REPORT_CATCH_UP = timedelta(days=92)
SCHEDULED_PERIODS = (PERIOD_QUARTER, PERIOD_YEAR)


def scheduled_reports_due(today: date, starts_on: date, ends_on: date) -> list[tuple[str, date]]:
    """The 季度通报 and 年度总结 a campaign is due on `today` (D3 「每季一通报、每年一总结」), as (kind, first day
    of the period): for each kind, the latest period that overlaps the campaign and is over — its last day, or
    the campaign's end if that comes first, is before `today` (the quarter's last day itself is not over).
    Nothing before the campaign has had a whole day, nothing for a campaign ended longer than REPORT_CATCH_UP."""
    last_day = min(today - timedelta(days=1), ends_on)
    if last_day < starts_on or today - ends_on > REPORT_CATCH_UP:
        return []
    due = []
    for kind in SCHEDULED_PERIODS:
        start, end = period_bounds(kind, last_day)
        if min(end, ends_on) > last_day:  # the period containing yesterday is still running: the one before
            start = previous_period_start(kind, last_day)
            end = period_bounds(kind, start)[1]
        if periods_overlap(start, end, starts_on, ends_on):
            due.append((kind, start))
    return due


# 佐证材料 of a card report: at most this many files on one report (each bounded by the kernel's upload checks).
CARD_EVIDENCE_MAX_FILES = 10


def evidence_count_ok(existing: int, added: int) -> bool:
    """Whether a card report may hold `existing + added` evidence files (a bound, so one report is not a store)."""
    return existing + added <= CARD_EVIDENCE_MAX_FILES
