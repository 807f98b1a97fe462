"""The 隐患挂牌督办函 (two letters of 两书一函), built with the shared official layout."""

from __future__ import annotations

from django.utils import timezone

from anlan.documents.docx import OfficialDocument, build_docx, chinese_date

from .data.major_criteria import BY_KEY


def supervision_letter(supervision, number: str) -> bytes:
    """The letter's text is the official Chinese wording whatever the user's language: it is a 公文."""
    hazard = supervision.hazard
    issuer = supervision.issuer
    basis = "《中华人民共和国安全生产法》第四十一条"
    if hazard.major_criterion in BY_KEY:
        item = BY_KEY[hazard.major_criterion]
        grade_text = (
            f"经判定属于重大事故隐患（《{item.standard.name}》（{item.standard.number}）{item.article}）"
        )
    elif hazard.is_major:
        grade_text = f"经判定属于重大事故隐患（{hazard.major_basis}）"
    else:
        grade_text = "存在事故隐患"
    where = hazard.subject + (f"（{hazard.location}）" if hazard.location else "")
    paragraphs = [
        f"{hazard.found_on.year}年{hazard.found_on.month}月{hazard.found_on.day}日，经{hazard.get_source_display()}"
        f"发现{where}{grade_text}：{hazard.description}（隐患编号：{hazard.number}）。",
        f"根据{basis}和重大事故隐患治理督办制度，决定对该隐患实行{supervision.get_level_display()}挂牌督办。"
        "请你单位接函后立即落实整改责任、措施、资金、时限和预案，在整改期间采取有效的安全防范措施，"
        "防止事故发生；整改完成后书面报送整改情况，经验收合格后申请摘牌销号。",
    ]
    items = [
        ("督办事项", supervision.requirements),
        ("责任单位", supervision.responsible_unit.name),
        ("整改期限", chinese_date(supervision.due_on)),
        ("督办单位", issuer.name),
    ]
    document = OfficialDocument(
        issuer_mark=f"{issuer.name}",
        number=number,
        title="隐患挂牌督办函",
        addressee=supervision.responsible_unit.name,
        paragraphs=paragraphs,
        items=items,
        basis="逾期未完成整改的，将依法依规严肃处理。",
        signature=issuer.name,
        signed_on=timezone.localdate(),
        cc=hazard.supervising_department.name if hazard.supervising_department_id else "",
    )
    return build_docx(document)
