"""Every way around the hazard loop, tried and refused with the message naming the rule (issue #12, Hazards):
at service level, and where a button exists, the page does not offer it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anlan.core import units
from anlan.core.errors import DomainError
from anlan.core.models import Role
from anlan.core.tests.factories import MembershipFactory, UserFactory
from anlan.hazards import services
from anlan.hazards.models import Extension, Hazard, Supervision
from anlan.hazards.rules import ErrorCode

from .factories import HazardFactory, LeadFactory, on, photo

S = Hazard.Status


def refused(code, call, words: str):
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert words in caught.value.message
    return caught.value


def offered(as_user, user, hazard) -> list[str]:
    page = as_user(user).get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    return [b["transition"].name for b in page.context["actions"]]


def evidence():
    return {"description": "已整改", "photos": [photo()]}


@pytest.fixture
def awaiting_x(cast):
    """Found by the housing department's inspection, submitted by the enterprise."""
    return HazardFactory(
        enterprise=cast.enterprise_x,
        status=S.AWAITING_VERIFICATION,
        submitted_by=cast["enterprise_x"],
        supervising_department=cast.dept_housing,
        finding_unit=units.unit_for(cast.dept_housing),
    )


# ---------------------------------------------------------------- no 代管


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing"])
def test_a_supervisor_cannot_plan_submit_or_fix_for_the_enterprise(cast, as_user, who):
    registered = HazardFactory(enterprise=cast.enterprise_x, supervising_department=cast.dept_housing)
    rectifying = HazardFactory(enterprise=cast.enterprise_x, status=S.RECTIFYING)
    actor = cast[who]
    plan = {"responsible_person": "张三", "measures": "补设", "due_on": registered.due_on}
    for call in (
        lambda: services.record_plan(actor=actor, hazard_pk=registered.pk, plan=plan),
        lambda: services.record_plan(actor=actor, hazard_pk=rectifying.pk, plan=plan),  # a revised plan
        lambda: services.fix_on_the_spot(actor=actor, hazard_pk=registered.pk, **evidence()),
        lambda: services.submit_rectification(actor=actor, hazard_pk=rectifying.pk, **evidence()),
    ):
        refused(ErrorCode.NO_PROXY_RECTIFICATION, call, "不得代替企业整改")
    registered.refresh_from_db()
    assert registered.status == S.REGISTERED and registered.plans.count() == 0
    assert "plan" not in offered(as_user, actor, registered)
    assert "fix_on_the_spot" not in offered(as_user, actor, registered)
    assert "submit" not in offered(as_user, actor, rectifying)
    assert offered(as_user, cast["enterprise_x"], registered) == ["plan", "fix_on_the_spot"]


@pytest.mark.parametrize("who", ["county_office", "town_a", "dept_housing"])
def test_a_supervisor_neither_revises_the_plan_nor_asks_for_time_for_the_enterprise(cast, as_user, who):
    from datetime import timedelta

    rectifying = HazardFactory(enterprise=cast.enterprise_x, status=S.RECTIFYING)
    later = rectifying.due_on + timedelta(days=10)
    refused(
        ErrorCode.NO_PROXY_RECTIFICATION,
        lambda: services.request_extension(
            actor=cast[who], hazard_pk=rectifying.pk, new_due_on=later, reason="工期紧"
        ),
        "不得代替企业整改",
    )
    assert rectifying.extensions.count() == 0
    detail = reverse("hazards:hazard-detail", args=[rectifying.pk])
    page = as_user(cast[who]).get(detail).content.decode()
    assert reverse("hazards:extension-create", args=[rectifying.pk]) not in page
    page = as_user(cast["enterprise_x"]).get(detail).content.decode()
    assert reverse("hazards:extension-create", args=[rectifying.pk]) in page


def test_a_place_hazard_is_rectified_by_its_responsible_unit_only(cast):
    hazard = services.register_hazard(
        actor=cast["dept_housing"],
        data={
            "place": "东关菜市场消防通道",
            "region": cast.village_a,
            "industry": cast.dept_housing.industries.first(),
            "source": Hazard.Source.DEPARTMENT_INSPECTION,
            "category": Hazard.Category.ENVIRONMENT,
            "grade": Hazard.Grade.ORDINARY,
            "description": "堆物堵塞",
            "found_on": on(0),
            "due_on": on(5),
        },
    )
    assert hazard.responsible_unit == units.unit_for(cast.town_a)  # the town of its region by default
    refused(
        ErrorCode.NOT_RESPONSIBLE,
        lambda: services.fix_on_the_spot(actor=cast["dept_housing"], hazard_pk=hazard.pk, **evidence()),
        "隐患责任单位",
    )
    services.fix_on_the_spot(actor=cast["town_a"], hazard_pk=hazard.pk, **evidence())


def test_a_witnessed_fix_is_verified_by_another_official_never_the_enterprise_or_the_witness(
    cast, as_user, colleague_x
):
    hazard = HazardFactory(enterprise=cast.enterprise_x, supervising_department=cast.dept_housing)
    with pytest.raises(PermissionDenied):  # the enterprise holds no right to record a witnessed fix
        services.witness_fix(actor=cast["enterprise_x"], hazard_pk=hazard.pk, **evidence())
    assert "witness_fix" not in offered(as_user, cast["enterprise_x"], hazard)
    assert "witness_fix" in offered(as_user, cast["town_a"], hazard)
    services.witness_fix(actor=cast["town_a"], hazard_pk=hazard.pk, **evidence())
    for who, code, words in (
        (cast["town_a"], ErrorCode.SAME_PERSON, "验收人不能是提交整改的人"),
        (cast["enterprise_x"], ErrorCode.ENTERPRISE_VERIFIER, "企业不能验收"),
        (colleague_x, ErrorCode.ENTERPRISE_VERIFIER, "企业不能验收"),
    ):
        refused(
            code,
            lambda who=who: services.verify_rectification(
                actor=who, hazard_pk=hazard.pk, passed=True, opinion="好", method="on_site"
            ),
            words,
        )
    services.verify_rectification(
        actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=True, opinion="现场核查合格", method="on_site"
    )


# ---------------------------------------------------------------- who may 销号


def test_the_submitter_cannot_verify_their_own_rectification(cast, as_user, awaiting_x):
    refused(
        ErrorCode.SAME_PERSON,
        lambda: services.verify_rectification(
            actor=cast["enterprise_x"], hazard_pk=awaiting_x.pk, passed=True, opinion="好", method="on_site"
        ),
        "验收人不能是提交整改的人",
    )
    assert "verify" not in offered(as_user, cast["enterprise_x"], awaiting_x)


def test_the_enterprise_cannot_close_a_government_finding(cast, as_user, awaiting_x, colleague_x):
    refused(
        ErrorCode.FINDING_VERIFIER,
        lambda: services.verify_rectification(
            actor=colleague_x, hazard_pk=awaiting_x.pk, passed=True, opinion="好", method="on_site"
        ),
        "企业不能自行销号",
    )
    assert "verify" not in offered(as_user, colleague_x, awaiting_x)
    # Nor a town that did not find it; the finding department may.
    refused(
        ErrorCode.FINDING_VERIFIER,
        lambda: services.verify_rectification(
            actor=cast["town_a"], hazard_pk=awaiting_x.pk, passed=True, opinion="好", method="on_site"
        ),
        "发现单位",
    )
    services.verify_rectification(
        actor=cast["dept_housing"], hazard_pk=awaiting_x.pk, passed=True, opinion="合格", method="documents"
    )


def test_a_single_account_enterprise_hands_its_self_inspection_to_the_department(cast, as_user):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        source=Hazard.Source.SELF_INSPECTION,
        status=S.AWAITING_VERIFICATION,
        supervising_department=cast.dept_housing,
    )
    refused(
        ErrorCode.SINGLE_ACCOUNT,
        lambda: services.verify_rectification(
            actor=cast["enterprise_x"], hazard_pk=hazard.pk, passed=True, opinion="好", method="on_site"
        ),
        "企业只有一个账号",
    )
    assert "verify" not in offered(as_user, cast["enterprise_x"], hazard)
    colleague = UserFactory(username="enterprise_x3")
    MembershipFactory(user=colleague, role=Role.ENTERPRISE, enterprise=cast.enterprise_x)
    services.verify_rectification(
        actor=cast["enterprise_x"], hazard_pk=hazard.pk, passed=True, opinion="自查复核", method="on_site"
    )


def test_verification_needs_an_opinion_and_a_method(cast, awaiting_x):
    for opinion, method, code in (
        (" ", "on_site", ErrorCode.OPINION_REQUIRED),
        ("合格", "", ErrorCode.METHOD_REQUIRED),
        ("合格", "phone", ErrorCode.METHOD_REQUIRED),
    ):
        refused(
            code,
            lambda o=opinion, m=method: services.verify_rectification(
                actor=cast["dept_housing"], hazard_pk=awaiting_x.pk, passed=True, opinion=o, method=m
            ),
            "请",
        )
    awaiting_x.refresh_from_db()
    assert awaiting_x.status == S.AWAITING_VERIFICATION and awaiting_x.verifications.count() == 0


def test_an_inspection_finding_closes_only_with_the_recheck_opinion(cast, as_user):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        status=S.AWAITING_VERIFICATION,
        submitted_by=cast["enterprise_x"],
        supervising_department=cast.dept_housing,
        inspection_finding=True,
    )
    refused(
        ErrorCode.RECHECK_OPINION,
        lambda: services.verify_rectification(
            actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=True, opinion="好", method="on_site"
        ),
        "检查发现的隐患以整改复查意见书销号",
    )
    assert offered(as_user, cast["dept_housing"], hazard) == ["void"]
    record = services.verify_by_recheck_opinion(
        actor=cast["dept_housing"], hazard_pk=hazard.pk, passed=True, opinion="复查合格", method="on_site"
    )
    hazard.refresh_from_db()
    assert hazard.status == S.CLOSED and record.method == "on_site"


def test_register_hazard_marks_an_inspection_finding(cast):
    hazard = services.register_hazard(
        actor=cast["dept_housing"],
        data={
            "enterprise": cast.enterprise_x,
            "source": Hazard.Source.DEPARTMENT_INSPECTION,
            "category": Hazard.Category.UNSAFE_CONDITION,
            "grade": Hazard.Grade.ORDINARY,
            "description": "临边防护缺失",
            "found_on": on(0),
            "due_on": on(5),
        },
        inspection_finding=True,
    )
    assert hazard.inspection_finding
    assert hazard.registering_unit == hazard.finding_unit == units.unit_for(cast.dept_housing)


# ---------------------------------------------------------------- 作废


def test_voiding_is_for_the_registering_unit_or_the_department_and_a_major_one_for_the_department(
    cast, as_user
):
    ordinary = HazardFactory(enterprise=cast.enterprise_x, supervising_department=cast.dept_housing)
    refused(
        ErrorCode.VOIDER,
        lambda: services.void_hazard(actor=cast["town_a"], hazard_pk=ordinary.pk, reason="重复"),
        "只有登记隐患的单位",
    )
    assert "void" not in offered(as_user, cast["town_a"], ordinary)
    major = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        supervising_department=cast.dept_housing,
        registering_unit=units.unit_for(cast.town_a),
    )
    refused(
        ErrorCode.VOID_MAJOR,
        lambda: services.void_hazard(actor=cast["town_a"], hazard_pk=major.pk, reason="重复"),
        "重大事故隐患只能由负有监管职责的部门作废",
    )
    services.void_hazard(actor=cast["dept_housing"], hazard_pk=major.pk, reason="重复登记")


def supervise(cast, hazard, actor="dept_housing", level="county", due_on=None):
    return services.issue_supervision(
        actor=cast[actor],
        hazard_pk=hazard.pk,
        level=level,
        due_on=due_on or on(30),
        responsible_unit=units.unit_for(cast.enterprise_x),
        requirements="停工整改",
    )


@pytest.fixture
def listed_major(cast):
    hazard = HazardFactory(
        enterprise=cast.enterprise_x,
        grade=Hazard.Grade.MAJOR,
        supervising_department=cast.dept_housing,
        due_on=on(20),
    )
    return hazard, supervise(cast, hazard)


def test_a_supervised_hazard_is_voided_only_by_the_issuer_and_its_supervision_closes_with_it(
    cast, as_user, office, listed_major
):
    hazard, supervision = listed_major
    refused(
        ErrorCode.VOID_SUPERVISED,
        lambda: services.void_hazard(actor=cast["county_office"], hazard_pk=hazard.pk, reason="重复"),
        "挂牌督办中的隐患只能由督办单位",
    )
    assert "void" not in offered(as_user, cast["county_office"], hazard)
    services.void_hazard(actor=cast["dept_housing"], hazard_pk=hazard.pk, reason="与YH-1重复登记")
    supervision.refresh_from_db()
    assert supervision.status == Supervision.Status.CLOSED
    assert supervision.lift_opinion == "与YH-1重复登记"
    assert supervision.history.latest("history_id").history_user == cast["dept_housing"]


# ---------------------------------------------------------------- 挂牌督办


def test_the_hazard_deadline_may_not_run_past_the_supervision_deadline(cast):
    hazard = HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, due_on=on(40))
    error = refused(
        ErrorCode.DUE_PAST_SUPERVISION,
        lambda: supervise(cast, hazard, due_on=on(30)),
        "晚于督办期限",
    )
    assert str(on(40)) in error.message and str(on(30)) in error.message
    assert not hazard.supervisions.exists()


def test_an_extension_of_a_supervised_hazard_is_the_issuers_and_stays_within_its_deadline(
    cast, as_user, office, listed_major
):
    hazard, supervision = listed_major
    refused(
        ErrorCode.DUE_PAST_SUPERVISION,
        lambda: services.request_extension(
            actor=cast["enterprise_x"], hazard_pk=hazard.pk, new_due_on=on(40), reason="设备未到"
        ),
        "不能晚于督办期限",
    )
    extension = services.request_extension(
        actor=cast["enterprise_x"], hazard_pk=hazard.pk, new_due_on=on(25), reason="设备未到"
    )
    refused(
        ErrorCode.SUPERVISED_EXTENSION,
        lambda: services.decide_extension(
            actor=cast["county_office"], extension_pk=extension.pk, approve=True
        ),
        "延期只能由督办单位审批",
    )
    page = as_user(cast["county_office"]).get(reverse("hazards:hazard-detail", args=[hazard.pk]))
    assert not page.context["extensions"][0].actions
    services.decide_extension(actor=cast["dept_housing"], extension_pk=extension.pk, approve=True)
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED


def test_a_second_supervision_at_the_same_level_is_refused(cast, office, listed_major):
    hazard, first = listed_major
    refused(
        ErrorCode.SECOND_SUPERVISION,
        lambda: supervise(cast, hazard, actor="county_office"),
        "提级督办",
    )
    refused(  # a county body cannot claim the city level
        ErrorCode.SECOND_SUPERVISION,
        lambda: supervise(cast, hazard, actor="county_office", level="city"),
        "提级督办",
    )
    assert list(hazard.supervisions.all()) == [first]


def test_the_supervision_names_a_registered_unit_as_addressee(cast, office):
    hazard = HazardFactory(enterprise=cast.enterprise_x, grade=Hazard.Grade.MAJOR, due_on=on(10))
    with pytest.raises(DomainError) as caught:
        services.issue_supervision(
            actor=cast["dept_housing"],
            hazard_pk=hazard.pk,
            level="county",
            due_on=on(30),
            responsible_unit="来安县建工集团",  # free text is no unit
            requirements="停工整改",
        )
    assert caught.value.field == "responsible_unit"
    supervision = supervise(cast, hazard)
    assert supervision.responsible_unit.name == cast.enterprise_x.name


# ---------------------------------------------------------------- major criteria by industry


def test_a_major_criterion_of_another_industry_is_refused_and_not_offered(cast, as_user):
    data = {
        "enterprise": cast.enterprise_x,  # construction
        "source": Hazard.Source.DEPARTMENT_INSPECTION,
        "category": Hazard.Category.UNSAFE_CONDITION,
        "grade": Hazard.Grade.MAJOR,
        "major_criterion": "hc-20",  # a chemicals item
        "description": "消防通道堵塞",
        "found_on": on(0),
        "due_on": on(30),
    }
    refused(
        ErrorCode.CRITERION_INDUSTRY,
        lambda: services.register_hazard(actor=cast["dept_housing"], data=data),
        "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准",
    )
    assert not Hazard.objects.exists()
    page = as_user(cast["dept_housing"]).get(
        reverse("hazards:hazard-create"), {"enterprise": cast.enterprise_x.pk}
    )
    offered_keys = {
        key for group in page.context["form"].fields["major_criterion"].choices[1:] for key, _ in group[1]
    }
    assert "hc-20" not in offered_keys and "it-3-2" not in offered_keys


# ---------------------------------------------------------------- the reported enterprise


def test_the_enterprise_never_sees_a_lead_about_itself(cast, as_user):
    lead = LeadFactory(
        enterprise=cast.enterprise_x,
        region=cast.village_a,
        grid=cast.grid_a,
        industry=cast.enterprise_x.industry,
        reported_by=cast["grid_worker"],
        reporter_name="李四",
    )
    client = as_user(cast["enterprise_x"])
    assert client.get(reverse("hazards:lead-detail", args=[lead.pk])).status_code == 404
    assert "李四" not in client.get(reverse("hazards:lead-list")).content.decode()
    assert client.get(reverse("api:hazard-lead-detail", args=[lead.pk])).status_code == 404
    assert client.get(reverse("api:hazard-lead-list")).json()["count"] == 0
    # The town still sees it.
    assert as_user(cast["town_a"]).get(reverse("hazards:lead-detail", args=[lead.pk])).status_code == 200


def test_the_reporter_of_a_confirmed_lead_stays_unknown_to_the_enterprise(cast, as_user):
    lead = LeadFactory(
        source="tip_off",
        enterprise=cast.enterprise_x,
        region=cast.village_a,
        grid=cast.grid_a,
        industry=cast.enterprise_x.industry,
        reporter_name="举报人王五",
    )
    hazard = services.confirm_lead(
        actor=cast["town_a"],
        lead_pk=lead.pk,
        data={"category": "environment", "grade": "ordinary", "due_on": on(7)},
    )
    assert hazard.finder == "举报人王五" and hazard.finding_unit is None  # a tip-off: no finding unit
    enterprise = as_user(cast["enterprise_x"])
    page = enterprise.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert "王五" not in page
    assert enterprise.get(reverse("api:hazard-detail", args=[hazard.pk])).json()["finder"] == ""
    assert (
        "王五"
        in as_user(cast["town_a"]).get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    )


def test_a_grid_patrol_lead_is_found_by_the_grid_workers_town(cast):
    lead = LeadFactory(
        enterprise=cast.enterprise_x,
        region=cast.village_a,
        grid=cast.grid_a,
        industry=cast.enterprise_x.industry,
        reported_by=cast["grid_worker"],
    )
    hazard = services.confirm_lead(
        actor=cast["dept_housing"],
        lead_pk=lead.pk,
        data={"category": "environment", "grade": "ordinary", "due_on": on(7)},
    )
    assert hazard.finding_unit == units.unit_for(cast.town_a)
    assert hazard.registering_unit == units.unit_for(cast.dept_housing)
