"""One record of every kind in every state, opened as the county office: no server error (issue #12).

Each kind is walked through its states by the services (the same calls the pages and the API make), in
journeys of transitions taken on one record; after every step the record's pages are opened. A kind's states
are its `Status` choices: the test fails when a state is never reached, so a new state needs a journey here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anlan.accidents import services as accident_services
from anlan.accidents.models import Investigation, PreventiveMeasure
from anlan.accidents.tests.factories import report
from anlan.core import exports, jobs
from anlan.core.models import Enterprise, Job
from anlan.core.tests.factories import EnterpriseFactory, industry
from anlan.hazards import services as hazard_services
from anlan.hazards.models import Extension, Hazard, Lead, Supervision, Verification
from anlan.hazards.tests.factories import on, photo
from anlan.inspections import services as inspection_services
from anlan.inspections.models import (
    EnforcementAction,
    Inspection,
    RandomDraw,
    Resumption,
    ScoreProposal,
    ScoringRule,
    Suspension,
)
from anlan.inspections.services.suspension import current_step
from anlan.inspections.tests.factories import answers, inspector, record_data

pytestmark = pytest.mark.django_db


@dataclass
class Kind:
    """A kind of record: how to make one (services), take a named step on it, and which pages show it."""

    model: type
    make: Callable
    take: Callable
    pages: Callable
    journeys: list[list[str]]
    status: Callable = field(default=lambda record: record.status)


def today():
    return timezone.localdate()


# ---------------------------------------------------------------- hazards


def hazard_data(cast, **extra) -> dict:
    return {
        "enterprise": cast.enterprise_x,
        "source": Hazard.Source.DEPARTMENT_INSPECTION,
        "category": Hazard.Category.UNSAFE_CONDITION,
        "grade": Hazard.Grade.ORDINARY,
        "description": "脚手架连墙件缺失",
        "found_on": on(-1),
        "due_on": on(14),
        **extra,
    }


def make_hazard(cast, **extra) -> Hazard:
    return hazard_services.register_hazard(
        actor=cast["town_a"], data=hazard_data(cast, **extra), photos=[photo("before.png")]
    )


def take_hazard(name: str, hazard: Hazard, cast) -> None:
    pk = hazard.pk
    if name == "plan":
        plan = {"responsible_person": "张三", "measures": "补设连墙件", "due_on": hazard.due_on}
        if hazard.grade == Hazard.Grade.MAJOR:  # 五落实 and the 第十五条 items
            plan.update(
                funds=Decimal("5"), interim_measures="设警戒区", goals="消除隐患", organisation="项目部"
            )
        hazard_services.record_plan(actor=cast["enterprise_x"], hazard_pk=pk, plan=plan)
    elif name in ("submit", "fix_on_the_spot"):
        step = hazard_services.submit_rectification if name == "submit" else hazard_services.fix_on_the_spot
        step(actor=cast["enterprise_x"], hazard_pk=pk, description="已补设", photos=[photo()])
    elif name == "witness_fix":
        hazard_services.witness_fix(
            actor=cast["town_a"], hazard_pk=pk, description="当场整改", photos=[photo()]
        )
    elif name in ("verify", "reject"):
        hazard_services.verify_rectification(
            actor=cast["dept_housing"],
            hazard_pk=pk,
            passed=name == "verify",
            opinion="现场核查意见",
            method=Verification.Method.ON_SITE,
        )
    elif name == "void":
        hazard_services.void_hazard(actor=cast["town_a"], hazard_pk=pk, reason="重复登记")
    else:
        raise AssertionError(name)


def hazard_pages(hazard: Hazard) -> list[str]:
    return [reverse("hazards:hazard-detail", args=[hazard.pk])] + [
        reverse("hazards:photo", args=[p.pk]) for p in hazard.photos.all()
    ]


def make_lead(cast) -> Lead:
    data = {
        "source": Lead.Source.GRID_PATROL,
        "reported_on": today(),
        "description": "工地临边无防护",
        "place": "东关社区工地",
        "region": cast.village_a,
        "enterprise": cast.enterprise_x,
        "industry": cast.enterprise_x.industry,
    }
    return hazard_services.report_lead(actor=cast["grid_worker"], data=data, photos=[photo("lead.png")])


def take_lead(name: str, lead: Lead, cast) -> None:
    if name == "confirm":
        data = {"category": Hazard.Category.UNSAFE_CONDITION, "grade": Hazard.Grade.ORDINARY, "due_on": on(7)}
        hazard_services.confirm_lead(actor=cast["town_a"], lead_pk=lead.pk, data=data)
    elif name == "dismiss":
        hazard_services.dismiss_lead(actor=cast["town_a"], lead_pk=lead.pk, reason="非隐患")
    else:
        raise AssertionError(name)


def lead_pages(lead: Lead) -> list[str]:
    pages = [reverse("hazards:lead-detail", args=[lead.pk])]
    if lead.hazard_id:
        pages.append(reverse("hazards:hazard-detail", args=[lead.hazard_id]))
    return pages


def make_extension(cast) -> Extension:
    hazard = make_hazard(cast)
    take_hazard("plan", hazard, cast)
    return hazard_services.request_extension(
        actor=cast["enterprise_x"], hazard_pk=hazard.pk, new_due_on=on(30), reason="设备未到"
    )


def take_extension(name: str, extension: Extension, cast) -> None:
    hazard_services.decide_extension(
        actor=cast["dept_housing"], extension_pk=extension.pk, approve=name == "approve", note="审核意见"
    )


def make_supervision(cast) -> Supervision:
    hazard = make_hazard(
        cast, grade=Hazard.Grade.MAJOR, major_basis="《房屋市政工程生产安全重大事故隐患判定标准》第四条"
    )
    return hazard_services.issue_supervision(
        actor=cast["dept_housing"],
        hazard_pk=hazard.pk,
        level=Supervision.Level.COUNTY,
        due_on=on(30),
        responsible_unit=hazard_services.responsible_units(hazard).first(),
        requirements="停工整改，限期消除",
    )


def take_supervision(name: str, supervision: Supervision, cast) -> None:
    hazard = supervision.hazard
    if name == "void_hazard":  # closes the supervision with it (by its issuer only)
        hazard_services.void_hazard(actor=cast["dept_housing"], hazard_pk=hazard.pk, reason="重复登记")
        return
    assert name == "lift", name
    for step in ("plan", "submit", "verify"):
        take_hazard(step, hazard, cast)
        hazard.refresh_from_db()
    hazard_services.lift_supervision(
        actor=cast["dept_housing"], supervision_pk=supervision.pk, opinion="同意摘牌"
    )


def supervision_pages(supervision: Supervision) -> list[str]:
    return [
        reverse("hazards:hazard-detail", args=[supervision.hazard_id]),
        reverse("hazards:supervision-list"),
        reverse("hazards:supervision-letter", args=[supervision.pk]),
    ]


# ---------------------------------------------------------------- inspections


def make_inspection(cast) -> Inspection:
    team = [
        inspector(cast.dept_housing, name="张执法", user=cast["dept_housing"]),
        inspector(cast.dept_housing),
    ]
    data = {
        "kind": Inspection.Kind.ROUTINE,
        "department": cast.dept_housing.pk,
        "enterprise": cast.enterprise_x.pk,
        "planned_on": today(),
        "checklist": "construction",
    }
    return inspection_services.create_inspection(
        actor=cast["dept_housing"], data=data, team_ids=[member.pk for member in team]
    )


def take_inspection(name: str, inspection: Inspection, cast) -> None:
    if name == "record":
        inspection_services.record_inspection(
            actor=cast["dept_housing"],
            inspection_pk=inspection.pk,
            data=record_data(),
            answers=answers("construction", failing=("con-5",)),
            photos={"con-5": [photo("site.png")]},
        )
    elif name == "cancel":
        inspection_services.cancel_inspection(
            actor=cast["dept_housing"], inspection_pk=inspection.pk, reason="改期"
        )
    else:
        raise AssertionError(name)


def inspection_pages(inspection: Inspection) -> list[str]:
    pages = [reverse("inspections:inspection-detail", args=[inspection.pk])]
    if inspection.record_document_id:
        pages.append(reverse("inspections:document", args=[inspection.record_document_id]))
    for answer in inspection.answers.all():
        pages += [reverse("inspections:answer-photo", args=[p.pk]) for p in answer.photos.all()]
        if answer.hazard_id:
            pages.append(reverse("hazards:hazard-detail", args=[answer.hazard_id]))
    return pages


def recorded(cast) -> Inspection:
    inspection = make_inspection(cast)
    take_inspection("record", inspection, cast)
    inspection.refresh_from_db()
    return inspection


def enforcement(cast, kind: str) -> EnforcementAction:
    inspection = recorded(cast)
    finding = inspection.answers.get(result="non_compliant")
    data = {"kind": kind, "legal_basis": "《安全生产法》第六十五条", "description": "依法处理"}
    if kind == "rectification":
        data["due_on"] = today() + timedelta(days=10)
    return inspection_services.take_enforcement(
        actor=cast["dept_housing"], inspection_pk=inspection.pk, data=data, finding_ids=[finding.pk]
    )


def take_action(name: str, action: EnforcementAction, cast) -> None:
    inspection_services.move_action(
        actor=cast["dept_housing"], action_pk=action.pk, transition=name, reason="执行"
    )


def action_pages(action: EnforcementAction) -> list[str]:
    pages = [reverse("inspections:inspection-detail", args=[action.inspection_id])]
    if action.document_id:
        pages.append(reverse("inspections:document", args=[action.document_id]))
    return pages


def decide(suspension: Suspension, cast, *, approve: bool) -> None:
    """Sign the current step of the open application (each step by its approver in the cast)."""
    application = suspension.applications.get(status=Resumption.Status.PENDING)
    signers = {"department": "dept_housing", "committee_office": "county_office", "leader": "leader"}
    while application.status == Resumption.Status.PENDING:
        step = current_step(application)
        who = cast[signers.get(step.approver, "county_office")]
        inspection_services.decide_resumption(
            actor=who, application_pk=application.pk, approve=approve, opinion="意见"
        )
        application.refresh_from_db()
        if not approve:
            return


def take_suspension(name: str, suspension: Suspension, cast) -> None:
    if name == "apply":
        proof = photo("proof.png")
        inspection_services.apply_resumption(
            actor=cast["enterprise_x"], suspension_pk=suspension.pk, evidence="已整改", attachment=proof
        )
    elif name in ("resume", "refuse"):
        decide(suspension, cast, approve=name == "resume")
    else:
        raise AssertionError(name)


def suspension_pages(suspension: Suspension) -> list[str]:
    return [
        reverse("inspections:suspension-detail", args=[suspension.pk]),
        reverse("core:enterprise-detail", args=[suspension.enterprise_id]),
    ]


def make_draw(cast) -> RandomDraw:
    inspector(cast.dept_housing, name="抽查甲")
    inspector(cast.dept_housing, name="抽查乙")
    for n in range(3):
        EnterpriseFactory(name=f"来安县抽查建筑{n}", region=cast.village_a, industry=industry("construction"))
    data = {
        "department": cast.dept_housing.pk,
        "title": "双随机",
        "period_start": today(),
        "period_end": today() + timedelta(days=20),
        "region": cast.county.pk,
        "sample_size": 2,
        "seed": 42,
    }
    return inspection_services.create_draw(actor=cast["dept_housing"], data=data)


def take_draw(name: str, draw: RandomDraw, cast) -> None:
    step = {"confirm": inspection_services.confirm_draw, "publish": inspection_services.publish_draw}[name]
    step(actor=cast["dept_housing"], draw_pk=draw.pk)


def make_proposal(cast) -> ScoreProposal:
    rule = ScoringRule.objects.get_or_create(
        code="resumed-without-approval", defaults={"violation": "擅自复产", "points": 12}
    )[0]
    return inspection_services.propose_score(recorded(cast), rule.code, cast["dept_housing"])


def take_proposal(name: str, proposal: ScoreProposal, cast) -> None:
    if name == "confirm":
        inspection_services.confirm_score_proposal(
            actor=cast["dept_housing"], proposal_pk=proposal.pk, name="赵矿长", position="主要负责人"
        )
    else:
        inspection_services.dismiss_score_proposal(
            actor=cast["dept_housing"], proposal_pk=proposal.pk, reason="不予记分"
        )


def proposal_pages(proposal: ScoreProposal) -> list[str]:
    pages = [reverse("inspections:inspection-detail", args=[proposal.inspection_id])]
    entry = getattr(proposal, "entry", None)
    if entry is not None:
        pages.append(reverse("inspections:person-detail", args=[entry.person_id]))
    return pages


# ---------------------------------------------------------------- accidents, enterprises, jobs


def make_investigation(cast) -> Investigation:
    accident = report(cast, deaths=3)
    return accident_services.open_investigation(
        actor=cast["county_office"],
        accident_pk=accident.pk,
        data={"lead_organ": "来安县人民政府", "team_leader": "张组长", "started_on": accident.occurred_on},
    )


def take_investigation(name: str, investigation: Investigation, cast) -> None:
    office, pk = cast["county_office"], investigation.accident_id
    if name == "extend":
        accident_services.extend_investigation(
            actor=office, accident_pk=pk, days=30, approved_by="市政府", reason="需鉴定"
        )
    elif name == "conclude":
        accident_services.conclude_investigation(actor=office, accident_pk=pk, direct_cause="未系安全带")
        accident_services.add_measure(
            actor=office, accident_pk=pk, description="全面排查", responsible_party="建工集团", due_on=on(30)
        )
    elif name == "close":
        for measure in PreventiveMeasure.objects.filter(investigation=investigation, status="open"):
            accident_services.complete_measure(
                actor=office, accident_pk=pk, measure_pk=measure.pk, completed_on=today(), note="已完成"
            )
        accident_services.close_investigation(actor=office, accident_pk=pk)
    else:
        raise AssertionError(name)


def accident_pages(investigation: Investigation) -> list[str]:
    return [reverse("accidents:accident-detail", args=[investigation.accident_id])]


def make_enterprise(cast) -> Enterprise:
    return EnterpriseFactory(
        name="来安县状态测试有限公司", region=cast.village_a, industry=industry("construction")
    )


ENTERPRISE_TARGET = {
    "suspend": "suspended",
    "close": "closed",
    "deregister": "deregistered",
    "reopen": "operating",
}


def take_enterprise(name: str, enterprise: Enterprise, cast) -> None:
    from anlan.core import services as core_services

    core_services.change_enterprise_status(
        actor=cast["county_office"],
        enterprise_pk=enterprise.pk,
        status=ENTERPRISE_TARGET[name],
        reason="核实",
    )


def enterprise_pages(enterprise: Enterprise) -> list[str]:
    return [reverse("core:enterprise-detail", args=[enterprise.pk])]


def make_job(cast) -> Job:
    return jobs.enqueue(
        "core.export", owner=cast["county_office"], label="导出", params={"ledger": "enterprises"}
    )


def take_job(name: str, job: Job, cast) -> None:
    if name == "run":
        jobs.work_off()
    elif name == "fail":
        Job.objects.filter(pk=job.pk).update(params={"ledger": "no-such-ledger"})
        jobs.work_off()


def job_pages(job: Job) -> list[str]:
    return [reverse("core:job-detail", args=[job.pk])]


KINDS = {
    "hazard": Kind(
        Hazard,
        make_hazard,
        take_hazard,
        hazard_pages,
        [["plan", "submit", "reject", "submit", "verify"], ["fix_on_the_spot"], ["witness_fix"], ["void"]],
    ),
    "lead": Kind(Lead, make_lead, take_lead, lead_pages, [["confirm"], ["dismiss"]]),
    "extension": Kind(
        Extension,
        make_extension,
        take_extension,
        lambda e: [reverse("hazards:hazard-detail", args=[e.hazard_id])],
        [["approve"], ["refuse"]],
    ),
    "supervision": Kind(
        Supervision, make_supervision, take_supervision, supervision_pages, [["lift"], ["void_hazard"]]
    ),
    "inspection": Kind(
        Inspection, make_inspection, take_inspection, inspection_pages, [["record"], ["cancel"]]
    ),
    "enforcement": Kind(
        EnforcementAction,
        lambda c: enforcement(c, "rectification"),
        take_action,
        action_pages,
        [["complete"], ["revoke"]],
    ),
    "suspension": Kind(
        Suspension,
        lambda c: enforcement(c, "suspension").suspension,
        take_suspension,
        suspension_pages,
        [["apply", "refuse", "apply", "resume"]],
    ),
    "draw": Kind(
        RandomDraw,
        make_draw,
        take_draw,
        lambda d: [reverse("inspections:draw-detail", args=[d.pk])],
        [["confirm", "publish"]],
    ),
    "score proposal": Kind(
        ScoreProposal, make_proposal, take_proposal, proposal_pages, [["confirm"], ["dismiss"]]
    ),
    "investigation": Kind(
        Investigation,
        make_investigation,
        take_investigation,
        accident_pages,
        [["extend", "conclude", "close"]],
    ),
    "enterprise": Kind(
        Enterprise,
        make_enterprise,
        take_enterprise,
        enterprise_pages,
        [["suspend"], ["close", "reopen"], ["deregister"]],
    ),
    "job": Kind(Job, make_job, take_job, job_pages, [["run"], ["fail"]]),
}

# States reached along the way that belong to another record (an application of a suspension).
RESUMPTION_STATES = set(Resumption.Status.values)


@pytest.mark.parametrize("name", list(KINDS))
def test_every_state_of_every_kind_opens_for_the_county_office_without_a_server_error(
    name, cast, client, settings, monkeypatch
):
    kind = KINDS[name]
    settings.ANLAN_EXPORT_JOB_ROWS = 0
    client.force_login(cast["county_office"])
    client.raise_request_exception = False
    seen, failures, resumptions = set(), [], set()

    def open_pages(record, state) -> None:
        record.refresh_from_db()
        seen.add(kind.status(record))
        if isinstance(record, Suspension):
            resumptions.update(record.applications.values_list("status", flat=True))
        for url in kind.pages(record):
            status = client.get(url).status_code
            if status != 200:
                failures.append((state, url, status))

    if kind.model is Job:  # a running job's page is opened from inside the run
        write = exports.write_xlsx

        def writing(*args, **kwargs):
            open_pages(Job.objects.get(status=Job.Status.RUNNING), "running")
            return write(*args, **kwargs)

        monkeypatch.setattr(exports, "write_xlsx", writing)
    for journey in kind.journeys:
        record = kind.make(cast)
        open_pages(record, "made")
        for step in journey:
            kind.take(step, record, cast)
            open_pages(record, step)
    assert failures == []
    assert seen == set(kind.model.Status.values)
    if kind.model is Suspension:
        assert resumptions == RESUMPTION_STATES
