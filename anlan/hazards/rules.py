"""Pure rules of hazard investigation and rectification (regulations.md §2). No ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from anlan.core.rules import RuleViolation, ancestor_code

from .data.major_criteria import BY_KEY, STANDARDS

ORDINARY = "ordinary"
MAJOR = "major"


# Region level of a county (GB/T 2260): hazards are numbered per county.
COUNTY_LEVEL = 3


class ErrorCode(StrEnum):
    """Why a hazard service refuses: one code per rule (core's `Code` covers scope, duplicates, stale pages,
    illegal states and plain input errors)."""

    DUE_BEFORE_FOUND = "due_before_found"
    FOUND_IN_FUTURE = "found_in_future"
    PLAN_INCOMPLETE = "plan_incomplete"
    PLAN_AFTER_DEADLINE = "plan_after_deadline"
    MAJOR_BASIS = "major_basis"
    MAJOR_CRITERION = "major_criterion"
    ON_THE_SPOT_MAJOR = "on_the_spot_major"
    SAME_PERSON = "same_person"
    VERIFIER_ROLE = "verifier_role"
    EXTENSION_LATE = "extension_late"
    EXTENSION_NOT_LATER = "extension_not_later"
    NOT_AN_IMAGE = "not_an_image"
    TOO_LARGE = "too_large"
    NO_PLACE = "no_place"
    EVIDENCE_MISSING = "evidence_missing"
    AFTER_PHOTOS_MISSING = "after_photos_missing"
    REASON_REQUIRED = "reason_required"
    OWN_EXTENSION = "own_extension"
    EXTENSION_DECIDER = "extension_decider"
    NOT_AN_EXPERT = "not_an_expert"
    NO_ISSUER = "no_issuer"
    NOT_ISSUER = "not_issuer"
    HAZARD_NOT_CLOSED = "hazard_not_closed"
    SUPERVISION_DUE_PAST = "supervision_due_past"
    CHECKED_IN_FUTURE = "checked_in_future"
    RECHECK_DUE_MISSING = "recheck_due_missing"
    NO_PROXY_RECTIFICATION = "no_proxy_rectification"
    NOT_RESPONSIBLE = "not_responsible"
    WITNESS_OFFICIAL = "witness_official"
    ENTERPRISE_VERIFIER = "enterprise_verifier"
    SINGLE_ACCOUNT = "single_account"
    FINDING_VERIFIER = "finding_verifier"
    RECTIFYING_UNIT_VERIFIER = "rectifying_unit_verifier"
    RECTIFYING_UNIT_OVERSIGHT = "rectifying_unit_oversight"
    RECHECK_OPINION = "recheck_opinion"
    OPINION_REQUIRED = "opinion_required"
    METHOD_REQUIRED = "method_required"
    VOIDER = "voider"
    VOID_MAJOR = "void_major"
    VOID_SUPERVISED = "void_supervised"
    DUE_PAST_SUPERVISION = "due_past_supervision"
    SUPERVISED_EXTENSION = "supervised_extension"
    SECOND_SUPERVISION = "second_supervision"
    CRITERION_INDUSTRY = "criterion_industry"
    RESPONSIBLE_UNIT_KIND = "responsible_unit_kind"
    COORDINATES_INCOMPLETE = "coordinates_incomplete"
    COORDINATES_OUTSIDE = "coordinates_outside"
    REGISTRATION_SETTLED = "registration_settled"
    NOT_PRINCIPAL = "not_principal"
    FILING_CONFIRMED = "filing_confirmed"
    FILING_ANALYSIS_MISSING = "filing_analysis_missing"
    PERIOD_NOT_ENDED = "period_not_ended"
    FILING_RULE_DATE = "filing_rule_date"


# ---------------------------------------------------------------- dates and deadlines


def check_dates(found_on: date, due_on: date | None, today: date) -> None:
    """A hazard cannot be found in the future, and its deadline cannot come before it was found."""
    if found_on > today:
        raise RuleViolation("found_on", ErrorCode.FOUND_IN_FUTURE, _("发现日期不能晚于今天。"))
    if due_on is not None and due_on < found_on:
        raise RuleViolation(
            "due_on", ErrorCode.DUE_BEFORE_FOUND, _("整改期限不能早于发现日期（%(d)s）。") % {"d": found_on}
        )


# 民法典 第二百零一条 (regulations.md, conventions): a period ends at 24:00 of its last day, so the due date
# itself is still on time and the hazard is overdue from the next day on. Every "overdue" in the app (the
# sweep, the filter, the statistics, the badges) is this rule: `overdue_cutoff` is its form for a query.
def overdue_cutoff(today: date) -> date:
    """The latest due date that is overdue on `today` (hazards due on or before it are overdue)."""
    return today - timedelta(days=1)


def is_overdue(due_on: date | None, today: date, closed_on: date | None = None) -> bool:
    """Whether a hazard is overdue: not closed by the end of its due date (closed late counts too)."""
    if due_on is None:
        return False
    return due_on <= overdue_cutoff(closed_on if closed_on is not None else today)


def overdue_from(due_on: date) -> date:
    """The first day on which a hazard still open is overdue."""
    return due_on + timedelta(days=1)


def days_overdue(due_on: date | None, today: date) -> int:
    return max((today - due_on).days, 0) if due_on else 0


def closed_on_time(due_on: date | None, closed_on: date | None) -> bool:
    return due_on is not None and closed_on is not None and not is_overdue(due_on, closed_on, closed_on)


# No law or standard sets a default rectification deadline: 16号令 leaves it to whoever orders the
# rectification, case by case. Forms propose this many days after the finding (local practice); the
# `ANLAN_RECTIFICATION_DAYS` setting overrides it and the person registering may change it.
DEFAULT_RECTIFICATION_DAYS = 15


def default_rectification_due_on(found_on: date, days: int = DEFAULT_RECTIFICATION_DAYS) -> date:
    """The rectification deadline proposed for a hazard found on `found_on`."""
    return found_on + timedelta(days=days)


def reminder_window(due_on: date, today: date, days_before: int) -> bool:
    """Whether today falls in the reminder window: the last `days_before` days up to and including the due date."""
    return due_on - timedelta(days=days_before) <= today <= due_on


# ---------------------------------------------------------------- grade and basis


def check_major_basis(grade: str, criterion_key: str, basis: str) -> None:
    """A major hazard names the item of the applicable 判定标准 it matches (regulations.md §3), or, for a
    standard whose items are not listed yet, the standard and article in words."""
    if grade != MAJOR:
        return
    if criterion_key:
        if criterion_key not in BY_KEY:
            raise RuleViolation("major_criterion", ErrorCode.MAJOR_CRITERION, _("判定标准条款不存在。"))
        return
    if not (basis or "").strip():
        raise RuleViolation(
            "major_criterion",
            ErrorCode.MAJOR_BASIS,
            _("重大事故隐患必须注明判定依据：选择判定标准条款，或填写所依据的标准及条款。"),
        )


def standards_for(industry_codes: tuple[str, ...] | list[str]) -> list:
    """The 判定标准 that apply to an industry, given its code and its ancestors' codes (each standard names the
    core industry codes it covers, with their sub-industries)."""
    codes = set(industry_codes)
    return [standard for standard in STANDARDS if codes & set(standard.industries)]


def check_criterion_industry(criterion_key: str, industry_codes, industry_name: str) -> None:
    """A major hazard is judged under the standard of its own industry (each 判定标准's 适用范围 clause, e.g.
    工贸企业重大事故隐患判定标准 第二条): a construction site's blocked hydrant is not a chemicals item."""
    if not criterion_key or criterion_key not in BY_KEY:
        return
    standard = BY_KEY[criterion_key].standard
    if standard not in standards_for(industry_codes):
        raise RuleViolation(
            "major_criterion",
            ErrorCode.CRITERION_INDUSTRY,
            _("判定标准不适用：所选条款属于《%(standard)s》，不适用于“%(industry)s”行业。")
            % {"standard": standard.name, "industry": industry_name},
        )


def check_place(has_enterprise: bool, place: str) -> None:
    if not has_enterprise and not (place or "").strip():
        raise RuleViolation(
            "place", ErrorCode.NO_PLACE, _("没有生产经营单位的隐患（如路段、公共场所）必须填写隐患场所。")
        )


# ---------------------------------------------------------------- where it is (经纬度)

# China's extreme points, rounded outwards to whole degrees: 73°33′E (Pamirs) to 135°05′E (the Heilong and
# Wusuli confluence), 3°51′N (Zengmu Ansha) to 53°33′N (Mohe). The same bounds as an enterprise's
# coordinates (core.models.Enterprise): a point outside them is a typing or a positioning error.
CHINA_LONGITUDE = (Decimal("73"), Decimal("136"))
CHINA_LATITUDE = (Decimal("3"), Decimal("54"))


def check_coordinates(longitude: Decimal | None, latitude: Decimal | None) -> None:
    """Longitude and latitude come as a pair (WGS 84 decimal degrees, as a phone reports them) and lie within
    China's bounds; both empty is fine (the point is optional)."""
    if longitude is None and latitude is None:
        return
    if longitude is None or latitude is None:
        missing = "longitude" if longitude is None else "latitude"
        raise RuleViolation(
            missing, ErrorCode.COORDINATES_INCOMPLETE, _("经度和纬度须同时填写（或都不填）。")
        )
    if not CHINA_LONGITUDE[0] <= longitude <= CHINA_LONGITUDE[1]:
        raise RuleViolation(
            "longitude", ErrorCode.COORDINATES_OUTSIDE, _("经度须在东经73°至136°之间（中国境内）。")
        )
    if not CHINA_LATITUDE[0] <= latitude <= CHINA_LATITUDE[1]:
        raise RuleViolation(
            "latitude", ErrorCode.COORDINATES_OUTSIDE, _("纬度须在北纬3°至54°之间（中国境内）。")
        )


# Registration details that may be corrected (by an import) while nobody has acted on the hazard yet: what
# it is and where. Grade, criterion, deadline, enterprise, place and jurisdiction decide how it is handled
# and by whom, and the deadline moves only by the workflow's decisions (延期): those are never amended.
AMENDABLE_FIELDS = ("location", "description", "category", "source", "finder")


def check_registration_amendable(status: str, status_label: str) -> None:
    """A hazard's registration may be corrected only while it is 待整改 (no plan, rectification or decision
    recorded yet); after that the record is the workflow's (docs/workflows.md)."""
    if status != "registered":
        raise RuleViolation(
            "__all__",
            ErrorCode.REGISTRATION_SETTLED,
            _("该隐患已进入整改流程（当前状态：%(status)s），登记信息不能再修改。")
            % {"status": status_label},
        )


# ---------------------------------------------------------------- the plan (五落实)


@dataclass(frozen=True)
class PlanFields:
    """What a rectification plan says. 五落实: 责任、措施、资金、时限、预案 (regulations.md §2.3)."""

    responsible_person: str = ""
    measures: str = ""
    due_on: date | None = None
    funds: Decimal | None = None  # 万元
    interim_measures: str = ""  # 安全措施和应急预案
    goals: str = ""  # 治理的目标和任务
    organisation: str = ""  # 负责治理的机构


ORDINARY_PLAN = (("responsible_person", _("责任人")), ("measures", _("整改措施")), ("due_on", _("整改时限")))
# 五落实 for a major hazard, plus the 第十五条 items that are not already among them.
MAJOR_PLAN = (
    *ORDINARY_PLAN,
    ("funds", _("整改资金")),
    ("interim_measures", _("安全措施和应急预案")),
    ("goals", _("治理的目标和任务")),
    ("organisation", _("负责治理的机构")),
)


def plan_problems(grade: str, plan: PlanFields, found_on: date, deadline: date | None) -> list[RuleViolation]:
    """Everything missing or wrong in a plan: an ordinary hazard needs 责任人, 措施, 时限; a major hazard the
    full 五落实 (16号令 第十五条). The plan's date cannot pass the deadline set at registration (extend it
    through an approved extension instead)."""
    problems = []
    required = MAJOR_PLAN if grade == MAJOR else ORDINARY_PLAN
    for name, label in required:
        value = getattr(plan, name)
        empty = value is None or (isinstance(value, str) and not value.strip())
        if name == "funds" and value is not None and value <= 0:
            empty = True
        if empty:
            message = (
                _("重大事故隐患的治理方案须做到“五落实”，请填写%(label)s。")
                if grade == MAJOR
                else _("请填写%(label)s。")
            )
            problems.append(RuleViolation(name, ErrorCode.PLAN_INCOMPLETE, message % {"label": label}))
    if plan.due_on is not None:
        if plan.due_on < found_on:
            problems.append(
                RuleViolation(
                    "due_on",
                    ErrorCode.DUE_BEFORE_FOUND,
                    _("整改时限不能早于发现日期（%(d)s）。") % {"d": found_on},
                )
            )
        elif deadline is not None and plan.due_on > deadline:
            problems.append(
                RuleViolation(
                    "due_on",
                    ErrorCode.PLAN_AFTER_DEADLINE,
                    _("整改时限不能晚于规定的整改期限（%(d)s）；如需延期，请申请延期。") % {"d": deadline},
                )
            )
    return problems


def check_on_the_spot(grade: str) -> None:
    """立即整改 is for ordinary hazards only (16号令 第三条: 一般隐患 can be removed at once)."""
    if grade == MAJOR:
        raise RuleViolation(
            "__all__", ErrorCode.ON_THE_SPOT_MAJOR, _("重大事故隐患不能立即整改销号，须制定治理方案。")
        )


# ---------------------------------------------------------------- who rectifies (no 代管)


def check_rectifier(*, enterprise_hazard: bool, is_responsible_member: bool) -> None:
    """The responsible unit rectifies; a supervisor never plans, submits or fixes on the enterprise's behalf
    (seed S2 L205: 「决不能越俎代庖，把监管变成包管和代管，代替企业履行主体责任」)."""
    if is_responsible_member:
        return
    if enterprise_hazard:
        raise RuleViolation(
            "__all__",
            ErrorCode.NO_PROXY_RECTIFICATION,
            _("不得代替企业整改：整改方案、整改情况和立即整改由生产经营单位自行填报，监管人员只督促。"),
        )
    raise RuleViolation("__all__", ErrorCode.NOT_RESPONSIBLE, _("只有隐患责任单位的人员才能整改该隐患。"))


def check_witness(*, is_official: bool) -> None:
    """当场整改 is recorded by the official who witnessed the fix, never by the enterprise itself (seed S2
    L205: the supervisor supervises; a witnessed fix is still verified by another official)."""
    if not is_official:
        raise RuleViolation(
            "__all__", ErrorCode.WITNESS_OFFICIAL, _("当场整改由在场见证的监管人员记录；企业请使用立即整改。")
        )


# ---------------------------------------------------------------- verification

SELF_INSPECTION = "self_inspection"


@dataclass(frozen=True)
class Verifier:
    """What the verifying rules need to know of a verifier and the hazard (guards.verifier_facts)."""

    verifier_id: int
    submitter_id: int | None = None
    grade: str = ORDINARY
    source: str = SELF_INSPECTION
    is_supervising: bool = False  # acts for a supervising department (or 安委办) of the hazard
    is_assigned_expert: bool = False
    is_enterprise_member: bool = False  # a user of the hazard's enterprise
    is_finding_member: bool = False  # a member of the unit that found it (not the enterprise)
    enterprise_accounts: int = 0  # active accounts of the hazard's enterprise
    witnessed: bool = False  # the rectification was a 当场整改 an official witnessed
    # a member of the government unit that rectifies a place hazard another body found (a 督查 problem)
    is_rectifying_unit_member: bool = False


def check_verifier(v: Verifier) -> None:
    """Who may 销号 (seed-map "Where Anlan contradicts the texts" 2; S2 L113, L115):
    - never the person who submitted the rectification (design.md §3, closed loops);
    - a major hazard: the supervising department or the assigned expert (16号令 第十五条);
    - a 当场整改 an official witnessed: another official, never the enterprise;
    - 企业自查: another user of the enterprise, or the supervising department; an enterprise with one account
      hands verification to the supervising department;
    - any other source (检查、督查、暗查暗访、专家、网格、举报、回头看): the finding unit or the supervising
      department, never the enterprise;
    - a place hazard found by one body and assigned to another government unit (a 督查 problem): never a
      member of that responsible unit."""
    if v.submitter_id is not None and v.verifier_id == v.submitter_id:
        raise RuleViolation(
            "__all__", ErrorCode.SAME_PERSON, _("验收人不能是提交整改的人，请由其他人员验收。")
        )
    if v.is_rectifying_unit_member:
        # A unit does not close out its own rectification of what another body found (issue #17: 督查问题
        # are closed out by the issuer, never by the assignee), even where it also supervises the industry.
        raise RuleViolation(
            "__all__",
            ErrorCode.RECTIFYING_UNIT_VERIFIER,
            _("整改责任单位不能验收销号本单位整改的隐患，由发现（交办）单位或负有监管职责的其他部门验收。"),
        )
    if v.grade == MAJOR:
        if not (v.is_supervising or v.is_assigned_expert):
            raise RuleViolation(
                "__all__",
                ErrorCode.VERIFIER_ROLE,
                _("重大事故隐患须由负有监管职责的部门（或指派的专家）验收。"),
            )
        return
    if v.is_supervising:
        return
    if v.witnessed:
        if v.is_enterprise_member or not v.is_finding_member:
            raise RuleViolation(
                "__all__",
                ErrorCode.ENTERPRISE_VERIFIER,
                _("当场整改须由另一名监管人员（发现单位或监管部门）验收，企业不能验收。"),
            )
        return
    if v.source == SELF_INSPECTION:
        if not v.is_enterprise_member:
            raise RuleViolation(
                "__all__",
                ErrorCode.VERIFIER_ROLE,
                _("企业自查隐患由企业其他人员或负有监管职责的部门验收。"),
            )
        if v.enterprise_accounts <= 1:
            raise RuleViolation(
                "__all__",
                ErrorCode.SINGLE_ACCOUNT,
                _("企业只有一个账号，不能自行验收：自查隐患由负有监管职责的部门验收。"),
            )
        return
    if v.is_enterprise_member or not v.is_finding_member:
        raise RuleViolation(
            "__all__",
            ErrorCode.FINDING_VERIFIER,
            _("政府部门发现的隐患由发现单位或负有监管职责的部门验收销号，企业不能自行销号。"),
        )


def check_not_inspection_finding(inspection_finding: bool) -> None:
    """An inspection's finding is closed by the inspecting department's 整改复查意见书 (seed-map "Where Anlan
    contradicts the texts" 2, S2 L113/L115: closed against the issuing body's deadline), not by an ordinary
    verification."""
    if inspection_finding:
        raise RuleViolation(
            "__all__",
            ErrorCode.RECHECK_OPINION,
            _("检查发现的隐患以整改复查意见书销号，请在检查记录中复查。"),
        )


def check_verification(opinion: str, method: str, methods) -> None:
    """验收 states an opinion and how it was checked, 现场核查 or 资料核查 (issue #12, from seed-map "Where Anlan
    contradicts the texts" 2: a finding is closed by its body against evidence; no article fixes the form)."""
    if not (opinion or "").strip():
        raise RuleViolation("opinion", ErrorCode.OPINION_REQUIRED, _("请填写验收意见。"))
    if method not in methods:
        raise RuleViolation("method", ErrorCode.METHOD_REQUIRED, _("请选择验收方式：现场核查或资料核查。"))


# ---------------------------------------------------------------- 作废


def check_voider(
    *,
    grade: str,
    is_registering_member: bool,
    is_supervising: bool,
    under_supervision: bool,
    signs_for_supervision: bool,
    issuer_name: str = "",
    is_rectifying_unit_member: bool = False,
) -> None:
    """作废 only by the registering unit or the supervising department; a major hazard only by its supervising
    department; a hazard under 挂牌督办 only by the issuing body (seed-map 3; S2 L111 「隐患没消除决不收兵」); never
    by the unit answering for what another body found (check_not_rectifying_unit)."""
    check_not_rectifying_unit(is_rectifying_unit_member)
    if under_supervision:
        if not signs_for_supervision:
            raise RuleViolation(
                "__all__",
                ErrorCode.VOID_SUPERVISED,
                _("挂牌督办中的隐患只能由督办单位（%(issuer)s）作废。") % {"issuer": issuer_name},
            )
        return
    if grade == MAJOR:
        if not is_supervising:
            raise RuleViolation(
                "__all__", ErrorCode.VOID_MAJOR, _("重大事故隐患只能由负有监管职责的部门作废。")
            )
        return
    if not (is_registering_member or is_supervising):
        raise RuleViolation(
            "__all__", ErrorCode.VOIDER, _("只有登记隐患的单位或负有监管职责的部门才能作废隐患。")
        )


def check_not_rectifying_unit(is_rectifying_unit_member: bool) -> None:
    """The unit answering for a hazard another body found and handed to it (a 督查 problem) does not oversee it:
    it neither voids it, lists it for 督办, assigns its expert, nor grants its own extension — even where it also
    supervises the industry (issue #17: the issuer closes out, never the assignee; S2 「决不能…变成包管和代管」)."""
    if is_rectifying_unit_member:
        raise RuleViolation(
            "__all__",
            ErrorCode.RECTIFYING_UNIT_OVERSIGHT,
            _("本单位是该隐患的整改责任单位，作废、督办、指派专家和批准延期由交办单位或其他监管部门办理。"),
        )


# ---------------------------------------------------------------- extensions


def check_extension(current_due_on: date, new_due_on: date, today: date) -> None:
    """An extension is requested before the deadline passes (regulations.md §2.3, 挂牌督办 practice) and
    must move it later."""
    if today > current_due_on:
        raise RuleViolation(
            "new_due_on",
            ErrorCode.EXTENSION_LATE,
            _("整改期限（%(d)s）已过，不能再申请延期。") % {"d": current_due_on},
        )
    if new_due_on <= current_due_on:
        raise RuleViolation(
            "new_due_on",
            ErrorCode.EXTENSION_NOT_LATER,
            _("延期后的期限应晚于当前期限（%(d)s）。") % {"d": current_due_on},
        )


def check_extension_decider(
    *, grade: str, requester_id: int, decider_id: int, decider_is_supervising: bool
) -> None:
    """Nobody decides their own extension (design.md §3, closed loops); the deadline of a major hazard is moved
    only by a body with supervisory duty for it (16号令 第十五条: the department oversees its 治理方案)."""
    if requester_id == decider_id:
        raise RuleViolation("__all__", ErrorCode.OWN_EXTENSION, _("不能审批自己提出的延期申请。"))
    if grade == MAJOR and not decider_is_supervising:
        raise RuleViolation(
            "__all__", ErrorCode.EXTENSION_DECIDER, _("重大事故隐患的延期须由负有监管职责的部门审批。")
        )


# ---------------------------------------------------------------- 挂牌督办

LEVEL_RANK = {"county": 1, "city": 2, "province": 3}


def check_due_within_supervision(hazard_due_on: date, supervision_due_on: date) -> None:
    """The rectification deadline may not run past the 督办 deadline (seed S2 L113 「县安委会下发文件，限定在
    x月x日前整改到位」): refuse the 督办 and name both dates; the issuer adjusts one or the other."""
    if hazard_due_on > supervision_due_on:
        raise RuleViolation(
            "due_on",
            ErrorCode.DUE_PAST_SUPERVISION,
            _("隐患整改期限（%(hazard)s）晚于督办期限（%(due)s）：督办期限不能早于整改期限，请调整后再挂牌。")
            % {"hazard": hazard_due_on, "due": supervision_due_on},
        )


def check_supervised_extension(
    *, new_due_on: date, supervision_due_on: date | None, signs_for_issuer: bool | None = None
) -> None:
    """A supervised hazard's deadline is the 督办 body's: only it decides an extension, and never past the 督办
    deadline (seed S2 L113, L179 「跟踪督办、限时办结」)."""
    if supervision_due_on is None:
        return
    if signs_for_issuer is False:
        raise RuleViolation(
            "__all__", ErrorCode.SUPERVISED_EXTENSION, _("挂牌督办隐患的延期只能由督办单位审批。")
        )
    if new_due_on > supervision_due_on:
        raise RuleViolation(
            "new_due_on",
            ErrorCode.DUE_PAST_SUPERVISION,
            _("挂牌督办隐患的整改期限不能晚于督办期限（%(d)s）。") % {"d": supervision_due_on},
        )


def check_second_supervision(*, listed_level: str | None, new_level: str, issuer_level: str) -> None:
    """A hazard already under 挂牌督办 gets a second one only as 提级督办 by a higher level (city over county,
    province over city; 挂牌督办 practice, seed S0 「完善落实挂牌督办」)."""
    if listed_level is None:
        return
    if LEVEL_RANK[new_level] <= LEVEL_RANK[listed_level] or LEVEL_RANK[issuer_level] < LEVEL_RANK[new_level]:
        raise RuleViolation(
            "level",
            ErrorCode.SECOND_SUPERVISION,
            _("该隐患已在挂牌督办中：再次督办只能由上级提级督办（市级高于县级，省级高于市级）。"),
        )


def check_lift(*, hazard_closed: bool) -> None:
    """摘牌 only after the hazard is closed (regulations.md, 挂牌督办 and 销号 in practice)."""
    if not hazard_closed:
        raise RuleViolation("__all__", ErrorCode.HAZARD_NOT_CLOSED, _("隐患验收销号后才能摘牌。"))


def check_lift_signer(*, signs_for_issuer: bool) -> None:
    """摘牌 is signed by the body that issued the 督办 (regulations.md, 挂牌督办 and 销号 in practice)."""
    if not signs_for_issuer:
        raise RuleViolation("__all__", ErrorCode.NOT_ISSUER, _("摘牌须由督办单位签署意见。"))


# ---------------------------------------------------------------- numbering


def hazard_number(county_code: str, year: int, serial: int) -> str:
    """隐患编号: county (6 digits of GB/T 2260), year and a gap-free serial, e.g. YH341122-2026-00012."""
    return f"YH{county_code[:6]}-{year}-{serial:05d}"


def county_of(region_code: str) -> str:
    """The 12-digit code of the county a region code lies in (the numbering unit)."""
    return ancestor_code(region_code, COUNTY_LEVEL)


# ---------------------------------------------------------------- photos

# Magic numbers of the formats a phone or camera produces (JPEG, PNG, GIF, WebP).
_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_kind(head: bytes, tail: bytes = b"") -> str | None:
    """The image format named by a file's first bytes (and, for JPEG/PNG, confirmed by its end), else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if kind == "png" and (head[12:16] != b"IHDR" or (tail and b"IEND" not in tail)):
                return None
            if kind == "jpeg" and tail and b"\xff\xd9" not in tail:
                return None
            return kind
    return None


def check_photo(name: str, size: int, head: bytes, tail: bytes, max_bytes: int) -> str:
    """Refuse a file that is not a picture or is too large; return its format."""
    if size > max_bytes:
        raise RuleViolation(
            "photos",
            ErrorCode.TOO_LARGE,
            _("照片“%(name)s”过大：上限为 %(mb)s MB。") % {"name": name, "mb": round(max_bytes / 2**20, 1)},
        )
    kind = image_kind(head, tail)
    if kind is None:
        raise RuleViolation(
            "photos",
            ErrorCode.NOT_AN_IMAGE,
            _("文件“%(name)s”不是有效的图片（支持 JPEG、PNG、GIF、WebP）。") % {"name": name},
        )
    return kind


# ---------------------------------------------------------------- statistics


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, 1)


# ---------------------------------------------------------------- the reported enterprise

REPORTED_SOURCES = frozenset({"tip_off", "grid_patrol"})


def finder_hidden(source: str, viewer_is_enterprise: bool) -> bool:
    """Whoever reported a hazard from a tip-off or a grid patrol stays unknown to the enterprise reported on
    (issue #12, Hazards: "the reporter's identity never reaches it")."""
    return viewer_is_enterprise and source in REPORTED_SOURCES


# ---------------------------------------------------------------- enterprise hazard statistics (issue #14)


@dataclass(frozen=True)
class FilingRule:
    """When an enterprise files its 隐患排查治理 统计分析表, and who signs it; provinces may set their own."""

    quarter_day: int = 15  # day of the first month of the next quarter
    annual_month: int = 1  # month of the next year
    annual_day: int = 31
    signer: str = "principal"


# 16号令 第十四条 (regulations.md §2.3): quarterly by the 15th of the next quarter's first month, annually by
# 31 January; signed by the 主要负责人.
DEFAULT_FILING_RULE = FilingRule()


def statistics_filing_due(period: str, *, rule: FilingRule | None = None) -> tuple[date, str]:
    """(due date, signer) of the filing for "2025-Q1" … "2025-Q4" or the year "2025"."""
    rule = rule or DEFAULT_FILING_RULE
    year_text, _sep, quarter_text = period.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4):
        raise ValueError(f"period is 'YYYY' or 'YYYY-Qn', not {period!r}")
    year = int(year_text)
    if not _sep:
        return date(year + 1, rule.annual_month, rule.annual_day), rule.signer
    if quarter_text not in ("Q1", "Q2", "Q3", "Q4"):
        raise ValueError(f"period is 'YYYY' or 'YYYY-Qn', not {period!r}")
    quarter = int(quarter_text[1])
    if quarter == 4:
        return date(year + 1, 1, rule.quarter_day), rule.signer
    return date(year, quarter * 3 + 1, rule.quarter_day), rule.signer


# The enterprise's 待办 shows a filing this many days before its due date.
FILING_REMIND_DAYS = 15


def filing_period_bounds(period: str) -> tuple[date, date]:
    """(first day, last day) of the filing period "2025-Q1" … "2025-Q4" or the year "2025"."""
    statistics_filing_due(period)  # refuses a malformed period
    year_text, _sep, quarter_text = period.partition("-")
    year = int(year_text)
    if not quarter_text:
        return date(year, 1, 1), date(year, 12, 31)
    quarter = int(quarter_text[1])
    first = date(year, quarter * 3 - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, quarter * 3 + 1, 1)
    return first, following - timedelta(days=1)


def filing_period_label(period: str) -> str:
    """The period in words: 2026年第3季度 / 2026年度."""
    year_text, _sep, quarter_text = period.partition("-")
    if not quarter_text:
        return str(_("%(year)s年度") % {"year": year_text})
    return str(_("%(year)s年第%(quarter)s季度") % {"year": year_text, "quarter": quarter_text[1]})


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def ended_filing_periods(today: date, quarters: int = 2) -> list[str]:
    """The last `quarters` quarters that have ended by `today` (latest first), then the last ended year."""
    first, _last = filing_period_bounds(quarter_of(today))
    periods, day = [], first
    for _index in range(quarters):
        day = day - timedelta(days=1)
        periods.append(quarter_of(day))
        day = filing_period_bounds(periods[-1])[0]
    return [*periods, str(today.year - 1)]


def filing_is_late(filed_on: date, due_on: date) -> bool:
    """Filed after its due date (the due date itself is on time)."""
    # 16号令 第十四条: 统计分析表 filed by the 15th of the next quarter's first month / by 31 January.
    return filed_on > due_on


def check_period_ended(period: str, today: date) -> None:
    """Statistics are generated only for a period that has ended."""
    if filing_period_bounds(period)[1] >= today:
        raise RuleViolation(
            "period",
            ErrorCode.PERIOD_NOT_ENDED,
            _("统计期“%(period)s”尚未结束，期满后才能生成统计分析表。")
            % {"period": filing_period_label(period)},
        )


def check_filing_signer(*, is_principal: bool) -> None:
    """Only the enterprise's 主要负责人, through their own account, signs the 统计分析表."""
    # 16号令 第十四条: 统计分析表应当由生产经营单位主要负责人签字.
    if not is_principal:
        raise RuleViolation(
            "__all__",
            ErrorCode.NOT_PRINCIPAL,
            _(
                "隐患排查治理统计分析表须由本单位主要负责人本人确认签字上报（《安全生产事故隐患排查治理暂行规定》第十四条）。"
            ),
        )


def check_filing_editable(confirmed: bool) -> None:
    """A confirmed (signed) filing is never changed again."""
    if confirmed:
        raise RuleViolation(
            "__all__", ErrorCode.FILING_CONFIRMED, _("统计分析表已由主要负责人确认上报，不能再修改。")
        )


def check_filing_analysed(analysis: str) -> None:
    """The principal signs an analysis, not a bare table: the 分析说明 is written before confirmation."""
    # 16号令 第十四条: 对本单位事故隐患排查治理情况进行统计分析.
    if not (analysis or "").strip():
        raise RuleViolation(
            "analysis",
            ErrorCode.FILING_ANALYSIS_MISSING,
            _(
                "请先填写分析说明（16号令第十四条要求对隐患排查治理情况进行统计分析），再由主要负责人确认上报。"
            ),
        )


def check_filing_rule(rule: FilingRule) -> None:
    """A province's deadlines must be real days: the quarter's day in every month, the annual day in its month."""
    if not 1 <= rule.quarter_day <= 28:
        raise RuleViolation(
            "quarter_day", ErrorCode.FILING_RULE_DATE, _("季度报送日应为每季度首月的1日至28日。")
        )
    try:
        date(2025, rule.annual_month, rule.annual_day)  # not a leap year: 29 February is refused
    except ValueError as exc:
        raise RuleViolation(
            "annual_day", ErrorCode.FILING_RULE_DATE, _("年度报送期限不是有效的日期。")
        ) from exc


# ---------------------------------------------------------------- closure after repeated penalties

CLOSURE_WINDOWS = ((3, 180), (4, 365))  # (penalties, within days)


def closure_runs(penalties) -> list[tuple[int, list]]:
    """Every run of consecutive penalties ((date, key) pairs, in date then key order) that makes closure due,
    with the window it falls within: (days, run). "Within N days", both ends counted."""
    # 安全生产法 第一百一十三条(四): 一百八十日内三次或者一年内四次受到本法规定的行政处罚.
    ordered = sorted(penalties)
    return [
        (window, ordered[start : start + count])
        for count, window in CLOSURE_WINDOWS
        for start in range(len(ordered) - count + 1)
        if (ordered[start + count - 1][0] - ordered[start][0]).days <= window
    ]


def closure_proposal_due(penalty_dates) -> bool:
    """A unit with a 重大事故隐患 penalised 3 times within 180 days or 4 times within a year: propose closure.

    "Within N days", both ends counted: penalties on day D and on day D + N are within the same window."""
    return bool(closure_runs((day, index) for index, day in enumerate(penalty_dates)))
