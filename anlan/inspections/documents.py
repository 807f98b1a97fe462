"""Enforcement documents (执法文书) with the shared official layout (anlan/documents/docx.py).

The text is the official Chinese wording whatever the user's language: these are 公文. Each builder takes
the record and the number anlan.documents gave it and returns DOCX bytes.
"""

from __future__ import annotations

from django.utils import timezone

from anlan.documents.docx import OfficialDocument, build_docx, chinese_date

from .models import DocumentKind, EnforcementAction

# Enforcement kind → the document issued for it.
ACTION_DOCUMENT = {
    EnforcementAction.Kind.RECTIFICATION: DocumentKind.RECTIFICATION_ORDER,
    EnforcementAction.Kind.SUSPENSION: DocumentKind.SUSPENSION_ORDER,
    EnforcementAction.Kind.FINE: DocumentKind.PENALTY_DECISION,
    EnforcementAction.Kind.CONFISCATION: DocumentKind.PENALTY_DECISION,
    EnforcementAction.Kind.LICENCE_SUSPENSION: DocumentKind.PENALTY_DECISION,
    EnforcementAction.Kind.LICENCE_REVOCATION: DocumentKind.PENALTY_DECISION,
    EnforcementAction.Kind.CLOSURE: DocumentKind.PENALTY_DECISION,
    EnforcementAction.Kind.REFERRAL: DocumentKind.REFERRAL,
}
# The official titles, in Chinese whatever the user's language (the kinds' labels are translatable).
TITLES = {
    DocumentKind.INSPECTION_RECORD: "现场检查记录",
    DocumentKind.RECTIFICATION_ORDER: "责令限期整改指令书",
    DocumentKind.RECHECK_OPINION: "整改复查意见书",
    DocumentKind.WARNING_LETTER: "警示提醒书",
    DocumentKind.ADVICE_LETTER: "安全监管行政建议书",
    DocumentKind.SUMMONS: "约谈通知书",
    DocumentKind.SUSPENSION_ORDER: "责令停产停业整顿指令书",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
    DocumentKind.REFERRAL: "案件移送书",
    DocumentKind.RESUMPTION_NOTICE: "复产通知",
    DocumentKind.CLOSURE_PROPOSAL: "关于提请予以关闭的建议",
}
RESULT_TEXT = {"compliant": "符合", "non_compliant": "不符合", "not_applicable": "不适用"}


def _when(value) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def finding_of(answer) -> str:
    """A failed item as a finding ("…防护距离不符合国家标准要求"), with what was seen; never the requirement
    followed by a result."""
    text = answer.finding_text
    return f"{text}（{answer.note}）" if answer.note else text


def answer_line(answer) -> str:
    """One line of the 现场检查记录: a failed item as its finding, the others as the requirement and result."""
    if answer.result == "non_compliant":
        return f"{finding_of(answer)}。"
    return f"{answer.item_text}：{RESULT_TEXT.get(answer.result, answer.result)}。"


def _findings(answers) -> list[str]:
    return [f"{index}. {finding_of(a)}。" for index, a in enumerate(answers, 1)]


def inspection_record(inspection, number: str) -> bytes:
    """现场检查记录: time, team, the unit and people met, every checklist item's answer, the result."""
    department = inspection.department
    team = "、".join(f"{i.name}（执法证号{i.certificate_number}）" for i in inspection.team.all())
    answers = list(inspection.answers.all())
    lines = [f"{index}. {answer_line(a)}" for index, a in enumerate(answers, 1)]
    items = [
        ("检查类型", inspection.get_kind_display()),
        ("被检查单位（场所）", inspection.subject),
        ("检查时间", f"{_when(inspection.arrived_at)}至{_when(inspection.finished_at)}"),
        ("检查人员", team),
        ("被检查单位现场人员", inspection.people_met or "无"),
    ]
    if inspection.escort:
        items.append(("陪同人员", inspection.escort))
    items.append(("检查结果", inspection.get_result_display()))
    document = OfficialDocument(
        issuer_mark=department.name,
        number=number,
        title=TITLES[DocumentKind.INSPECTION_RECORD],
        addressee=inspection.subject,
        paragraphs=[
            f"{department.name}执法人员依法对你单位进行了{inspection.get_kind_display()}，并出示了执法证件。检查情况如下：",
            *lines,
            inspection.summary or "",
        ],
        items=items,
        basis="以上记录已经被检查单位现场人员核对无误，签字确认的扫描件随本记录存档。",
        signature=department.name,
        signed_on=timezone.localdate(inspection.finished_at or timezone.now()),
    )
    return build_docx(document)


def action_document(action: EnforcementAction, number: str) -> bytes:
    """The document of an enforcement action: the findings, the decision, its basis and deadline."""
    inspection = action.inspection
    department = inspection.department
    kind = ACTION_DOCUMENT[action.kind]
    found_on = timezone.localdate(inspection.finished_at) if inspection.finished_at else inspection.planned_on
    paragraphs = [
        f"{chinese_date(found_on)}，本机关执法人员在对你单位进行{inspection.get_kind_display()}时，发现你单位存在下列问题：",
        *_findings(action.findings.all()),
        action.description,
    ]
    items = [("措施", action.get_kind_display())]
    if action.amount is not None:
        items.append(("金额", f"人民币{action.amount}元"))
    if action.due_on:
        items.append(("期限", f"{chinese_date(action.due_on)}前"))
    if action.licence:
        items.append(("许可证", action.licence))
    if action.referred_to:
        items.append(("移送机关", action.referred_to))
    closing = {
        DocumentKind.RECTIFICATION_ORDER: "现责令你单位于上述期限前整改完毕，达到有关法律法规规章和标准规定的要求。"
        "由于客观原因不能按期完成整改的，应在期限届满前提出书面延期申请。逾期未整改的，依法予以处理。",
        DocumentKind.SUSPENSION_ORDER: "现责令你单位停产停业整顿，整顿期间不得从事生产经营活动；整顿完成后向本机关申请复产验收，"
        "经验收合格后方可恢复生产经营。擅自恢复生产经营的，依法从重处理。",
    }.get(kind, "如不服本决定，可以依法申请行政复议或者提起行政诉讼。")
    document = OfficialDocument(
        issuer_mark=department.name,
        number=number,
        title=TITLES[kind],
        addressee=inspection.subject,
        paragraphs=[p for p in paragraphs if p] + [closing],
        items=items,
        basis=f"法律依据：{action.legal_basis}",
        signature=department.name,
        signed_on=action.issued_on,
    )
    return build_docx(document)


def letter_document(letter, number: str) -> bytes:
    """整改复查意见书, 警示提醒书, 安全监管行政建议书, 约谈通知书: addressee and body as written."""
    department = letter.inspection.department
    paragraphs = [p.strip() for p in letter.content.splitlines() if p.strip()]
    items = []
    if letter.action_id:
        items.append(("原整改指令", letter.action.document.number if letter.action.document_id else ""))
    document = OfficialDocument(
        issuer_mark=department.name,
        number=number,
        title=TITLES[letter.kind],
        addressee=letter.addressee,
        paragraphs=paragraphs,
        items=items,
        signature=department.name,
        signed_on=letter.issued_on,
    )
    return build_docx(document)


def resumption_notice(application, number: str, issuer) -> bytes:
    """复产通知: the 复产验收 passed; the enterprise may resume production. Names the order it lifts and every
    step with its signer (each a different person)."""
    suspension = application.suspension
    order = suspension.action
    steps = list(application.steps.select_related("decided_by").order_by("order"))
    paragraphs = [
        f"你单位于{chinese_date(timezone.localdate(application.applied_at))}提出的复产验收申请收悉。"
        f"经{'、'.join(s.name for s in steps)}，你单位已按{order.document.number if order.document_id else ''}"
        "责令停产停业整顿指令书的要求完成整改，验收合格。",
        "现同意你单位自本通知送达之日起恢复生产经营。复产后应当严格落实安全生产主体责任，"
        "持续开展事故隐患排查治理，防止事故发生。",
    ]
    items = [
        (
            s.name,
            f"{s.decided_by.display_name if s.decided_by_id else ''}"
            f"（{chinese_date(timezone.localdate(s.decided_at)) if s.decided_at else ''}）",
        )
        for s in steps
    ]
    document = OfficialDocument(
        issuer_mark=issuer.name,
        number=number,
        title=TITLES[DocumentKind.RESUMPTION_NOTICE],
        addressee=suspension.enterprise.name,
        paragraphs=paragraphs,
        items=items,
        basis="依据：《中华人民共和国安全生产法》第六十五条第一款第（三）项。",
        signature=issuer.name,
        signed_on=timezone.localdate(),
    )
    return build_docx(document)


def closure_proposal(proposal, number: str) -> bytes:
    """提请关闭建议 to the 人民政府: the enterprise, the penalties counted (each with its decision's number and
    date), the 重大事故隐患 condition, the facts and the basis of 安全生产法 第一百一十三条."""
    department = proposal.department
    enterprise = proposal.enterprise
    actions = list(proposal.actions.select_related("document").order_by("issued_on", "pk"))
    penalties = [
        f"{index}. {chinese_date(a.issued_on)}，{a.get_kind_display()}"
        + (f"（{a.document.number}）" if a.document_id else "")
        + (f"，人民币{a.amount}元" if a.amount is not None else "")
        + "。"
        for index, a in enumerate(actions, 1)
    ]
    paragraphs = [
        f"{enterprise.name}（统一社会信用代码{enterprise.uscc}）存在重大事故隐患，"
        f"自{chinese_date(proposal.window_start)}至{chinese_date(proposal.window_end)}，"
        f"{proposal.window_days}日内受到本法规定的行政处罚{len(actions)}次：",
        *penalties,
        *[p.strip() for p in proposal.facts.splitlines() if p.strip()],
        "根据《中华人民共和国安全生产法》第一百一十三条的规定，特提请予以关闭，并由有关部门依法吊销其有关证照。",
    ]
    items = [
        ("生产经营单位", enterprise.name),
        ("主要负责人", enterprise.principal.name if enterprise.principal_id else ""),
        ("生产经营地址", enterprise.address),
    ]
    document = OfficialDocument(
        issuer_mark=department.name,
        number=number,
        title=TITLES[DocumentKind.CLOSURE_PROPOSAL],
        addressee=f"{department.region.name}人民政府",
        paragraphs=paragraphs,
        items=items,
        basis=f"法律依据：{proposal.legal_basis}",
        signature=department.name,
        signed_on=proposal.proposed_on or timezone.localdate(),
    )
    return build_docx(document)
