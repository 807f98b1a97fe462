"""事件大事记: one timeline of everything recorded on an incident — the duty log's 接报, the town's 先期处置, the
response (start, level changes, groups, tasks and their receipt and completion, control points, notes, end),
public releases and the incident's end — sorted by time, shown on the incident page and exported as DOCX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules


@dataclass(frozen=True)
class Entry:
    at: datetime
    category: str
    text: str
    order: int = 0  # ties at the same minute keep the order things happen in


def timeline(detail) -> list[Entry]:
    """The entries of an `selectors.response.IncidentDetail`, oldest first."""
    incident = detail.incident
    levels = rules.RESPONSE_LEVEL_LABELS
    out: list[Entry] = [
        Entry(incident.occurred_at, _("事件"), _("事件发生：%(title)s") % {"title": incident.title}, 0),
        Entry(
            incident.reported_at,
            _("接报"),
            _("事件登记（%(kind)s）") % {"kind": incident.get_kind_display()},
            1,
        ),
    ]
    for log in detail.log_entries:
        out.append(
            Entry(
                log.received_at,
                _("接报"),
                _("%(unit)s接报：%(summary)s") % {"unit": log.unit, "summary": log.summary},
                1,
            )
        )
    first = detail.first_response
    if first is not None:
        town = first.town.name
        out.append(Entry(first.called_at, _("先期处置"), _("%(town)s接警") % {"town": town}, 2))
        people = "、".join(r.name for r in first.responders.all())
        out.append(
            Entry(
                first.dispatched_at,
                _("先期处置"),
                _("%(town)s出动：%(people)s") % {"town": town, "people": people},
                3,
            )
        )
        if first.arrived_at:
            out.append(Entry(first.arrived_at, _("先期处置"), _("%(town)s人员到达现场") % {"town": town}, 4))
        for action in first.actions.all():
            out.append(Entry(action.at, _("先期处置"), action.text, 5))
        if first.handed_over_at:
            out.append(Entry(first.handed_over_at, _("先期处置"), _("先期处置移交应急响应"), 6))
    for response in detail.responses:
        start_level = (
            response.level_changes.all()[0].from_level if response.level_changes.all() else response.level
        )
        plan = _("，启动《%(plan)s》") % {"plan": response.plan.title} if response.plan_id else ""
        out.append(
            Entry(
                response.started_at,
                _("应急响应"),
                _("启动%(level)s应急响应%(plan)s，指挥长%(name)s（%(phone)s），现场指挥部设在%(post)s")
                % {
                    "level": levels[start_level],
                    "plan": plan,
                    "name": response.commander_name,
                    "phone": response.commander_phone,
                    "post": response.post_place,
                },
                7,
            )
        )
        for change in response.level_changes.all():
            verb = _("提高") if change.raised else _("降低")
            out.append(
                Entry(
                    change.changed_at,
                    _("应急响应"),
                    _("响应级别由%(a)s%(verb)s为%(b)s：%(reason)s")
                    % {
                        "a": levels[change.from_level],
                        "verb": verb,
                        "b": levels[change.to_level],
                        "reason": change.reason,
                    },
                    8,
                )
            )
        for group in response.groups.all():
            out.append(
                Entry(
                    group.created_at,
                    _("工作组"),
                    _("成立%(name)s，%(lead)s牵头") % {"name": group.name, "lead": group.lead},
                    8,
                )
            )
        for task in response.tasks.all():
            out.append(
                Entry(
                    task.created_at,
                    _("任务"),
                    _("向%(unit)s下达任务：%(text)s") % {"unit": task.unit, "text": task.text},
                    9,
                )
            )
            if task.confirmed:
                out.append(
                    Entry(task.confirmed_at, _("任务"), _("%(unit)s确认接收任务") % {"unit": task.unit}, 10)
                )
            if task.completed_at:
                out.append(
                    Entry(
                        task.completed_at,
                        _("任务"),
                        _("%(unit)s报告完成：%(note)s") % {"unit": task.unit, "note": task.completion_note},
                        11,
                    )
                )
        for point in response.control_points.all():
            out.append(
                Entry(
                    point.set_at,
                    _("管控"),
                    _("%(kind)s：%(place)s（%(unit)s负责）")
                    % {"kind": point.get_kind_display(), "place": point.place, "unit": point.unit},
                    9,
                )
            )
            if point.lifted_at:
                out.append(
                    Entry(
                        point.lifted_at,
                        _("管控"),
                        _("解除%(kind)s：%(place)s")
                        % {"kind": point.get_kind_display(), "place": point.place},
                        12,
                    )
                )
        for note in response.notes.all():
            out.append(Entry(note.noted_at, _("记事"), note.text, 9))
        if response.ended_at:
            end = _("结束应急响应")
            if response.end_note:
                end = f"{end}：{response.end_note}"
            out.append(Entry(response.ended_at, _("应急响应"), end, 13))
    for release in detail.releases:
        if release.published_at:
            out.append(
                Entry(
                    release.published_at,
                    _("信息发布"),
                    _("发布《%(title)s》") % {"title": release.published_title},
                    12,
                )
            )
    if incident.closed_at:
        out.append(Entry(incident.closed_at, _("事件"), _("事件结束"), 14))
    return sorted(out, key=lambda e: (e.at, e.order))


def chronicle_docx(detail) -> bytes:
    """The chronicle as a DOCX: title, the incident's facts, and a table of 时间 / 类别 / 事项."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from anlan.documents.docx import BODY_FALLBACK, BODY_FONT, TITLE_FALLBACK, TITLE_FONT

    incident = detail.incident
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FALLBACK
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("%(title)s大事记") % {"title": incident.title})
    run.font.size, run.font.name = Pt(20), TITLE_FALLBACK
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)
    facts = [
        (_("事件类别"), incident.get_kind_display()),
        (_("发生时间"), f"{timezone.localtime(incident.occurred_at):%Y-%m-%d %H:%M}"),
        (_("发生地点"), f"{incident.region.name} {incident.place}".strip()),
        (_("简要情况"), incident.summary or "—"),
    ]
    for label, value in facts:
        document.add_paragraph(f"{label}：{value}")
    entries = timeline(detail)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (_("时间"), _("类别"), _("事项")), strict=True):
        cell.text = text
    for item in entries:
        cells = table.add_row().cells
        cells[0].text = f"{timezone.localtime(item.at):%Y-%m-%d %H:%M}"
        cells[1].text = str(item.category)
        cells[2].text = str(item.text)
    document.add_paragraph(
        _("导出时间：%(now)s") % {"now": f"{timezone.localtime():%Y-%m-%d %H:%M}"}
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
