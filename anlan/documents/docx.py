"""The official layout of a 公文 as DOCX (GB/T 9704-2012 《党政机关公文格式》, approximately).

A4 paper with margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the issuer's mark (发文机关标志) in
red 小标宋 centred, the document number (发文字号) centred under it, a red rule; the title in 小标宋 二号
centred; the addressee (主送机关) flush left; body in 仿宋 三号 (16 pt) with a two-character first-line
indent on a fixed 28 pt line; the issuing body and date right-aligned; 抄送 at the end. Fonts are named with
their East-Asian slot, with 宋体 fallbacks that every Word and WPS installation has.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEADING_FONT = "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
MARK_SIZE = Pt(30)
LINE = Pt(28)


@dataclass
class OfficialDocument:
    """What goes on the page, top to bottom."""

    issuer_mark: str  # 发文机关标志, e.g. 来安县安全生产委员会办公室文件
    number: str  # 发文字号
    title: str
    addressee: str  # 主送机关
    paragraphs: list[str]
    signature: str  # 发文机关署名
    signed_on: date
    basis: str = ""  # the legal basis, a paragraph of its own before the closing lines
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines: 督办事项 etc.
    cc: str = ""  # 抄送


def _font(run, name: str, fallback: str, size, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = fallback
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), fallback)
    fonts.set(qn("w:hAnsi"), fallback)


def _paragraph(document, text: str = "", *, align=None, indent: bool = False, space_after: int = 0):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _red_rule(paragraph) -> None:
    """A red line under the paragraph (the 版头 separator)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def build_docx(doc: OfficialDocument) -> bytes:
    """Render the document; returns the .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FALLBACK
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    mark = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(mark.add_run(doc.issuer_mark), TITLE_FONT, TITLE_FALLBACK, MARK_SIZE, color=RED)

    number = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _font(number.add_run(doc.number), BODY_FONT, BODY_FALLBACK, BODY_SIZE)
    _red_rule(number)

    _paragraph(document)
    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _font(title.add_run(doc.title), TITLE_FONT, TITLE_FALLBACK, TITLE_SIZE)
    _paragraph(document)

    addressee = _paragraph(document)
    _font(addressee.add_run(f"{doc.addressee}："), BODY_FONT, BODY_FALLBACK, BODY_SIZE)
    for text in doc.paragraphs:
        body = _paragraph(document, indent=True)
        _font(body.add_run(text), BODY_FONT, BODY_FALLBACK, BODY_SIZE)
    for label, value in doc.items:
        line = _paragraph(document, indent=True)
        _font(line.add_run(f"{label}："), HEADING_FONT, HEADING_FONT, BODY_SIZE)
        _font(line.add_run(value), BODY_FONT, BODY_FALLBACK, BODY_SIZE)
    if doc.basis:
        basis = _paragraph(document, indent=True)
        _font(basis.add_run(doc.basis), BODY_FONT, BODY_FALLBACK, BODY_SIZE)

    _paragraph(document)
    _paragraph(document)
    signature = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(64)  # 右空四字
    _font(signature.add_run(doc.signature), BODY_FONT, BODY_FALLBACK, BODY_SIZE)
    signed = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signed.paragraph_format.right_indent = Pt(64)
    _font(signed.add_run(chinese_date(doc.signed_on)), BODY_FONT, BODY_FALLBACK, BODY_SIZE)

    if doc.cc:
        _paragraph(document)
        cc = _paragraph(document)
        _font(cc.add_run(f"抄送：{doc.cc}。"), BODY_FONT, BODY_FALLBACK, Pt(14))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
