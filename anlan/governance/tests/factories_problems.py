"""督查问题 for tests: a 督查 of the county 安委办 over 住建局, 交通运输局 and town A, problems assigned to them at
each step, a 督办函 to 住建局, and a 约谈 record."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anlan.core import units
from anlan.core.models import Department, Membership, Role
from anlan.governance.services import problems as services

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


def problem_data(cast, **overrides) -> dict:
    return {
        "description": "建筑施工领域“打非治违”台账不完整，部分在建项目未纳入监管。",
        "requirement": "全面排查在建项目，建立完整台账。",
        "assignee": unit(cast.dept_housing),
        "found_on": None,
        "due_on": timezone.localdate() + timedelta(days=20),
        **overrides,
    }


def problem(cast, the_visit=None, **overrides):
    the_visit = the_visit or visit(cast)
    return services.assign_problem(
        actor=cast["county_office"], visit_pk=the_visit.pk, data=problem_data(cast, **overrides)
    )


def plan_data(problem, **overrides) -> dict:
    return {
        "plan_measures": "逐个项目排查，建立台账并动态更新。",
        "plan_person": "张海峰",
        "plan_due_on": problem.due_on,
        "root_cause": "项目审批信息与监管台账未共享。",
        **overrides,
    }


def planned(cast, **overrides):
    p = problem(cast, **overrides)
    return services.submit_plan(actor=cast["dept_housing"], problem_pk=p.pk, data=plan_data(p))


def report_data(**overrides) -> dict:
    return {
        "rectification": "已排查在建项目 42 个，全部纳入台账。",
        "evidence": pdf(),
        "systemic_measure": "建立住建、资规项目信息每月共享机制。",
        **overrides,
    }


def reported(cast, **overrides):
    p = planned(cast, **overrides)
    return services.report_rectification(actor=cast["dept_housing"], problem_pk=p.pk, data=report_data())


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
