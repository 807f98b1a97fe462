"""督查问题 for tests: a 督查 of the county 安委办 over 住建局, 交通运输局 and town A, problems assigned to them (each
a hazard record) at each step of the hazard's loop, a 督办函 to 住建局, and a 约谈 record."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anlan.core import units
from anlan.core.models import Department, Industry, Membership, Role
from anlan.governance.services import problems as services
from anlan.hazards import services as hazard_services
from anlan.hazards.tests.factories import photo

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def office(cast):
    return units.committee_office_for(cast.county)


def unit(obj):
    return units.unit_for(obj)


def visit_data(cast, **overrides) -> dict:
    return {
        "source": "visit",
        "title": "2026年第一季度安全生产综合督查",
        "held_on": timezone.localdate() - timedelta(days=10),
        "source_document": "",
        "issuer": office(cast),
        "team": "县安委会第一督查组",
        "inspected_units": [unit(cast.dept_housing), unit(cast.dept_transport), unit(cast.town_a)],
        "note": "",
        **overrides,
    }


def visit(cast, **overrides):
    return services.record_visit(actor=cast["county_office"], data=visit_data(cast, **overrides))


def industry(code: str = "campus") -> Industry:
    return Industry.objects.get(code=code)


def problem_data(cast, **overrides) -> dict:
    """By default a problem for 住建局 in an industry it does not supervise (校园): only the hazard's responsible
    unit lets the department see it."""
    return {
        "description": "建筑施工领域“打非治违”台账不完整，部分在建项目未纳入监管。",
        "requirement": "全面排查在建项目，建立完整台账。",
        "assignee": unit(cast.dept_housing),
        "industry": industry(),
        "place": "",
        "found_on": None,
        "due_on": timezone.localdate() + timedelta(days=20),
        **overrides,
    }


def problem(cast, the_visit=None, **overrides):
    the_visit = the_visit or visit(cast)
    return services.assign_problem(
        actor=cast["county_office"], visit_pk=the_visit.pk, data=problem_data(cast, **overrides)
    )


def plan(problem, user):
    """The assignee's 整改方案, recorded on the problem's hazard (the hazards app's service)."""
    return hazard_services.record_plan(
        actor=user,
        hazard_pk=problem.hazard_id,
        plan={
            "responsible_person": "张海峰",
            "measures": "逐个项目排查，建立台账。",
            "due_on": problem.due_on,
        },
    )


def planned(cast, **overrides):
    p = problem(cast, **overrides)
    plan(p, assignee_user(cast, p))
    return p


def assignee_user(cast, problem):
    by_unit = {
        unit(cast.dept_housing).pk: "dept_housing",
        unit(cast.dept_transport).pk: "dept_transport",
        unit(cast.town_a).pk: "town_a",
        unit(cast.town_b).pk: "town_b",
    }
    return cast[by_unit[problem.hazard.responsible_unit_id]]


def reported(cast, **overrides):
    """A problem whose hazard the assignee rectified (with an after-photo): awaiting the issuer's 验收销号."""
    p = planned(cast, **overrides)
    hazard_services.submit_rectification(
        actor=assignee_user(cast, p),
        hazard_pk=p.hazard_id,
        description="已排查在建项目 42 个，全部纳入台账。",
        photos=[photo()],
    )
    p.hazard.refresh_from_db()
    return p


def close_out(cast, problem, actor=None):
    return hazard_services.verify_rectification(
        actor=actor or cast["county_office"],
        hazard_pk=problem.hazard_id,
        passed=True,
        opinion="经资料核查，整改到位，同意销号。",
        method="documents",
    )


def committee_department(cast):
    """The 县安委办 as the department that numbers the office's documents, named on the 安委办 user's membership."""
    department, _created = Department.objects.get_or_create(
        name="来安县安全生产委员会办公室",
        region=cast.county,
        defaults={"short_name": "县安委办", "kind": Department.Kind.COMPREHENSIVE},
    )
    Membership.objects.filter(user=cast["county_office"], role=Role.COMMITTEE_OFFICE).update(
        department=department
    )
    if hasattr(cast["county_office"], "_anlan_memberships"):
        del cast["county_office"]._anlan_memberships
    return department


def letter_data(cast, **overrides) -> dict:
    return {
        "kind": "supervision_letter",
        "issuer": office(cast),
        "recipient": unit(cast.dept_housing),
        "title": "关于督促加快建筑施工领域问题整改的督办函",
        "content": "你局在第一季度督查中发现的问题整改进度滞后，请加快整改。",
        "reply_due_on": timezone.localdate() + timedelta(days=7),
        "problem": None,
        **overrides,
    }


def letter(cast, **overrides):
    committee_department(cast)
    return services.issue_letter(actor=cast["county_office"], data=letter_data(cast, **overrides))


def replied_letter(cast):
    sent = letter(cast)
    return services.reply_letter(
        actor=cast["dept_housing"], letter_pk=sent.pk, data={"reply": "已全部整改。", "reply_file": None}
    )


def accountability_data(cast, **overrides) -> dict:
    return {
        "kind": "summons",
        "decided_by": office(cast),
        "subject_unit": unit(cast.dept_housing),
        "person_name": "李明",
        "person_title": "分管副局长",
        "decided_on": timezone.localdate(),
        "reason": "督查问题逾期未整改。",
        "file": None,
        "problem": None,
        "cause_kind": "",
        "cause_id": None,
        **overrides,
    }


def accountability(cast, **overrides):
    return services.record_accountability(
        actor=cast["county_office"], data=accountability_data(cast, **overrides)
    )
