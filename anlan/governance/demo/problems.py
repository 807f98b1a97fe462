"""Demo step `governance_problems`: the county 安委办's first-quarter 督查 of 住建局, 交通运输局 and 新安镇 with its
problems — each a hazard record — in every state (closed out by the 安委办 with a 制度措施, waiting for its
验收销号, being rectified, sent back after a failed verification, and one past its deadline), a list of problems handed down by the city, a 督办函 to 交通运输局 on its overdue problem
with the bureau's written reply, and the 约谈 of its deputy head."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anlan.core import units
from anlan.core.models import Industry
from anlan.hazards import services as hazards

from ..services import problems as services


def _photo(name: str = "整改后.png") -> SimpleUploadedFile:
    """A small picture as the after-photo a rectification needs (the hazards app re-encodes it)."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 160, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def step(demo) -> None:
    office_user = demo.users["anweiban"]
    today = timezone.localdate()
    office = units.committee_office_for(demo.county)
    housing = units.unit_for(demo.departments["住建局"])
    transport = units.unit_for(demo.departments["交通运输局"])
    xinan = units.unit_for(demo.towns["新安镇"])
    zhujian, jiaotong, town = demo.users["zhujian"], demo.users["jiaotong"], demo.users["xinan"]
    industry = {i.code: i for i in Industry.objects.all()}
    visit = services.record_visit(
        actor=office_user,
        data={
            "source": "visit",
            "title": "2026年第一季度安全生产综合督查",
            "held_on": today - timedelta(days=40),
            "issuer": office,
            "team": "县安委会第一督查组",
            "inspected_units": [housing, transport, xinan],
            "note": "采取“四不两直”方式，督查了3个单位的责任落实、隐患排查治理和打非治违工作。",
        },
    )

    def assign(assignee, code, description, due_in_days, requirement=""):
        return services.assign_problem(
            actor=office_user,
            visit_pk=visit.pk,
            data={
                "description": description,
                "requirement": requirement,
                "assignee": assignee,
                "industry": industry[code],
                "due_on": today + timedelta(days=due_in_days),
            },
        )

    # The assignee plans and rectifies on the problem's hazard record; the 安委办 (the finding unit) verifies.
    def plan(problem, user, person):
        hazards.record_plan(
            actor=user,
            hazard_pk=problem.hazard_id,
            plan={
                "responsible_person": person,
                "measures": "制定整改方案，明确整改时限和目标任务，逐项整改到位。",
                "due_on": problem.hazard.due_on,
            },
        )

    def report(problem, user, text):
        hazards.submit_rectification(
            actor=user, hazard_pk=problem.hazard_id, description=text, photos=[_photo()]
        )

    def measures(problem, user, root_cause, measure=""):
        services.record_measures(
            actor=user, problem_pk=problem.pk, data={"root_cause": root_cause, "systemic_measure": measure}
        )

    # 住建局: one closed out by the 安委办 (with its 制度措施), one waiting for it to close it out.
    first = assign(
        housing,
        "construction",
        "建筑施工领域打非治违台账不完整，3个在建项目未纳入监管。",
        5,
        "全面排查在建项目，建立完整台账。",
    )
    plan(first, zhujian, "张海峰")
    measures(
        first,
        zhujian,
        "项目审批信息与监管台账未共享，部门间信息壁垒。",
        "建立住建、资规、行政审批项目信息每月共享机制。",
    )
    report(first, zhujian, "已排查在建项目42个，全部纳入监管台账。")
    hazards.verify_rectification(
        actor=office_user,
        hazard_pk=first.hazard_id,
        passed=True,
        opinion="经资料核查，台账完整，整改到位，同意销号。",
        method="documents",
    )
    second = assign(housing, "urban-gas", "城镇燃气经营企业安全检查记录不全。", 10)
    plan(second, zhujian, "张海峰")
    measures(second, zhujian, "检查表格不统一，检查人员未按要求填写。", "印发《城镇燃气安全检查工作规范》。")
    report(second, zhujian, "已统一检查表格并补齐检查记录。")
    # 交通运输局: one being rectified, one past its deadline without a plan.
    third = assign(transport, "road-transport", "农村道路交通安全劝导站作用发挥不明显。", 20)
    plan(third, jiaotong, "李明")
    overdue = assign(
        transport, "road-transport", "“两客一危”车辆动态监控平台报警未及时处置。", -3, "建立报警处置闭环。"
    )
    # 新安镇: one just assigned, one sent back for more work (验收不通过).
    assign(xinan, "fire-key", "镇安委会全体会议未按季度召开。", 30)
    back = assign(xinan, "fire-key", "网格员隐患排查记录填写不规范。", 15)
    plan(back, town, "周晓东")
    report(back, town, "已组织网格员培训。")
    hazards.verify_rectification(
        actor=office_user,
        hazard_pk=back.hazard_id,
        passed=False,
        opinion="未提供整改后的排查记录，请补充。",
        method="documents",
    )

    # A list handed down by the city (seed-map B7: 「市安委办3月25日交办我区239项问题」), two of its items here.
    handed = services.record_visit(
        actor=office_user,
        data={
            "source": "handed_down",
            "title": "市安委办交办问题清单",
            "held_on": today - timedelta(days=20),
            "source_document": "市安委办交办问题清单（239项）",
            "issuer": office,
            "inspected_units": [housing, xinan],
        },
    )
    for assignee, code, text in (
        (housing, "urban-gas", "老旧小区燃气管道改造进度滞后。"),
        (xinan, "fire-key", "辖区“九小场所”消防安全隐患整治不到位。"),
    ):
        services.assign_problem(
            actor=office_user,
            visit_pk=handed.pk,
            data={
                "description": text,
                "assignee": assignee,
                "industry": industry[code],
                "due_on": today + timedelta(days=25),
            },
        )

    # 两书一函: a 督办函 to 交通运输局 on its overdue problem, answered in writing.
    letter = services.issue_letter(
        actor=office_user,
        data={
            "kind": "supervision_letter",
            "issuer": office,
            "recipient": transport,
            "title": "关于督促整改“两客一危”车辆动态监控问题的督办函",
            "content": "你局在2026年第一季度安全生产综合督查中发现的问题已逾期未整改。\n"
            "请于收函后7日内整改到位，并将整改情况书面报县安委办。",
            "reply_due_on": today + timedelta(days=7),
            "problem": overdue,
        },
    )
    services.confirm_letter(actor=jiaotong, letter_pk=letter.pk)
    services.reply_letter(
        actor=jiaotong,
        letter_pk=letter.pk,
        data={"reply": "已建立报警处置“日调度、周通报”制度，逾期报警全部处置完毕。", "reply_file": None},
    )
    services.issue_letter(
        actor=office_user,
        data={
            "kind": "warning_letter",
            "issuer": office,
            "recipient": xinan,
            "title": "关于做好汛期安全防范工作的警示提醒书",
            "content": "汛期将至，请认真落实地质灾害隐患点巡查和人员转移措施。",
            "reply_due_on": today + timedelta(days=10),
        },
    )

    # 约谈: the bureau's deputy head, for the overdue problem.
    services.record_accountability(
        actor=office_user,
        data={
            "kind": "summons",
            "decided_by": office,
            "subject_unit": transport,
            "person_name": "刘振华",
            "person_title": "分管副局长",
            "decided_on": today,
            "reason": "督查发现的“两客一危”车辆动态监控问题逾期未整改。",
            "problem": overdue,
        },
    )
    demo.counts["督查问题"] = 8
