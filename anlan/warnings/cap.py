"""CAP 1.2 (OASIS Common Alerting Protocol, the format of 国家突发事件预警信息发布系统's feeds): a warning written as
an alert, and alerts read back as the values of draft warnings. No database here: the services pass what they
know in and store what comes out.

Mapping (Anlan → CAP), documented once:
- level 一级/二级/三级/四级 (红/橙/黄/蓝) → severity Extreme / Severe / Moderate / Minor; urgency Immediate for
  一/二级, Expected for 三/四级; certainty Likely. Reading back, a colour named in the event or a parameter wins
  over the severity.
- hazard → category: weather and water hazards Met, 地质灾害 Geo, 森林火险 Fire, otherwise by the warning's
  category (事故灾难 Safety, 公共卫生事件 Health); event "暴雨橙色预警" (a signal: "暴雨橙色预警信号"). Reading
  back, Met/Geo/Env/Fire are 自然灾害, Safety 事故灾难, Health 公共卫生事件, any other category none.
- revision 1 → msgType Alert; a level change → Update referencing the earlier revisions; lifted → Cancel.
- reading: only status Actual or Draft and msgType Alert, Update or Cancel; a Test, Exercise or System
  message, an Ack or an Error is refused, naming its status and type.
- area: areaDesc (the affected range, else the region's name) and geocode "行政区划代码" (12-digit code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from anlan.core.errors import DomainError

from . import rules

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 1024 * 1024  # a CAP alert is a few kilobytes; a feed file of many alerts stays far below this
SEVERITY_OF_LEVEL = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}
LEVEL_OF_SEVERITY = {severity: level for level, severity in SEVERITY_OF_LEVEL.items()}
COLOUR_WORDS = {"红": rules.RED, "橙": rules.ORANGE, "黄": rules.YELLOW, "蓝": rules.BLUE}
COLOUR_NAMES = {rules.RED: "红色", rules.ORANGE: "橙色", rules.YELLOW: "黄色", rules.BLUE: "蓝色"}
MET = {
    "rainstorm", "typhoon", "flash_flood", "flood", "heat", "cold_wave", "gale", "snowstorm", "hail",
    "lightning", "fog", "haze", "road_icing", "frost", "drought", "sandstorm",
}  # fmt: skip
CATEGORY_OF = {
    rules.ACCIDENT_DISASTER: "Safety",
    rules.PUBLIC_HEALTH: "Health",
    rules.NATURAL_DISASTER: "Env",
}
# Reading back: the CAP categories of natural hazards, and the others by the category they were written from.
NATURAL_CAP = ("Met", "Geo", "Env", "Fire")
CATEGORY_OF_CAP = {
    **{name: rules.NATURAL_DISASTER for name in NATURAL_CAP},
    "Safety": rules.ACCIDENT_DISASTER,
    "Health": rules.PUBLIC_HEALTH,
}
LEVEL_PARAMETER = "预警级别"
COLOUR_PARAMETER = "预警颜色"
GEOCODE = "行政区划代码"


class CapError:
    TOO_LARGE = "cap_too_large"
    NOT_XML = "cap_not_xml"
    DOCTYPE = "cap_doctype"
    NOT_CAP = "cap_not_cap"
    MISSING = "cap_missing_element"
    BAD_TIME = "cap_bad_time"
    NOT_A_WARNING = "cap_not_a_warning"


# What becomes a draft: an actual alert (or a CAP draft); a test, an exercise or a system message is not a
# warning, nor is an acknowledgement or an error report (CAP 1.2 §3.2.1 status, msgType).
IMPORTED_STATUSES = ("Actual", "Draft")
IMPORTED_MSG_TYPES = ("Alert", "Update", "Cancel")


@dataclass
class Alert:
    """What is read from one CAP alert: the message's own fields and the values of a draft warning."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    references: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    source: str = ""


# ---------------------------------------------------------------- export


def _stamp(value: datetime) -> str:
    """CAP's dateTime: seconds and an explicit offset (e.g. 2026-07-01T08:00:00+08:00), never "Z"."""
    local = timezone.localtime(value).replace(microsecond=0)
    text = local.isoformat()
    return text if not text.endswith("Z") else text[:-1] + "+00:00"


def identifier(sender_id: str, pk: int, revision: int, cancel: bool = False) -> str:
    return f"{sender_id}.{pk}.{revision}" + (".cancel" if cancel else "")


def category_of(hazard: str, category: str) -> str:
    if hazard in MET:
        return "Met"
    if hazard == "geohazard":
        return "Geo"
    if hazard == "forest_fire":
        return "Fire"
    return CATEGORY_OF.get(category, "Other")


def event_of(hazard: str, level: int | None, signal: bool) -> str:
    colour = COLOUR_NAMES[rules.warning_colour(level)] if level else ""
    return f"{rules.HAZARD_LABELS.get(hazard, '')}{colour}预警{'信号' if signal else ''}"


def to_cap(
    warning,
    *,
    sender: str,
    sender_id: str,
    web: str = "",
    references: list[tuple[str, datetime]] = (),
    cancel: bool = False,
    status: str = "Actual",
) -> bytes:
    """The warning's live revision (or, `cancel`, its lifting) as a CAP 1.2 alert. `references` are the
    (identifier, sent) of the messages this one updates or cancels."""
    element = etree.SubElement

    def text(parent, tag, value):
        if value not in (None, ""):
            element(parent, f"{{{NS}}}{tag}").text = str(value)

    sent = (warning.lifted_at if cancel else warning.issued_at) or timezone.now()
    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    text(alert, "identifier", identifier(sender_id, warning.pk, warning.revision, cancel))
    text(alert, "sender", sender)
    text(alert, "sent", _stamp(sent))
    text(alert, "status", status)
    text(alert, "msgType", "Cancel" if cancel else ("Update" if references else "Alert"))
    text(alert, "scope", "Public")
    if cancel:
        text(alert, "note", warning.lift_reason)
    if references:
        text(alert, "references", " ".join(f"{sender},{ident},{_stamp(at)}" for ident, at in references))
    info = element(alert, f"{{{NS}}}info")
    text(info, "language", "zh-CN")
    text(info, "category", category_of(warning.hazard, warning.category))
    text(info, "event", event_of(warning.hazard, warning.level, warning.kind == rules.SIGNAL))
    text(info, "responseType", "AllClear" if cancel else "Prepare")
    level = warning.level
    text(info, "urgency", "Past" if cancel else ("Immediate" if level and level <= 2 else "Expected"))
    text(info, "severity", SEVERITY_OF_LEVEL.get(level, "Unknown"))
    text(info, "certainty", "Observed" if cancel else "Likely")
    text(info, "effective", _stamp(sent))
    if warning.starts_at:
        text(info, "onset", _stamp(warning.starts_at))
    expires = warning.lifted_at if cancel else warning.ends_at
    if expires:
        text(info, "expires", _stamp(expires))
    text(info, "senderName", str(warning.issuer or ""))
    text(info, "headline", ("【解除】" if cancel else "") + warning.title)
    text(info, "description", warning.lift_reason if cancel else warning.matters)
    if not cancel:
        text(info, "instruction", warning.measures)
    text(info, "web", web)
    if level:
        for name, value in (
            (LEVEL_PARAMETER, rules.level_label(level)),
            (COLOUR_PARAMETER, COLOUR_NAMES[rules.warning_colour(level)]),
        ):
            parameter = element(info, f"{{{NS}}}parameter")
            text(parameter, "valueName", name)
            text(parameter, "value", value)
    area = element(info, f"{{{NS}}}area")
    text(area, "areaDesc", warning.area or warning.region.name)
    geocode = element(area, f"{{{NS}}}geocode")
    text(geocode, "valueName", GEOCODE)
    text(geocode, "value", warning.region_id)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- import


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network: an XXE or billion-laughs document is refused, not expanded.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _fail(code: str, message: str) -> DomainError:
    return DomainError(code, message, field="file")


def parse(data: bytes) -> list[Alert]:
    """The alerts of a CAP 1.2 document: one <alert>, or a feed file whose root holds several (e.g. an Atom or a
    plain list wrapper). Refused with a message naming what is wrong: too large, not XML, a DOCTYPE, not
    CAP 1.2, a required element missing or a time that is not CAP's dateTime."""
    if len(data) > MAX_BYTES:
        raise _fail(CapError.TOO_LARGE, _("文件过大：CAP 文件不得超过 1 MB。"))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise _fail(CapError.NOT_XML, _("文件不是有效的 XML：%(error)s") % {"error": error}) from error
    if root.getroottree().docinfo.doctype:
        raise _fail(CapError.DOCTYPE, _("文件含有 DOCTYPE 声明，出于安全原因不予导入。"))
    alerts = [root] if root.tag == f"{{{NS}}}alert" else list(root.iter(f"{{{NS}}}alert"))
    if not alerts:
        if etree.QName(root).localname == "alert":
            raise _fail(
                CapError.NOT_CAP,
                _("文件不是 CAP 1.2 预警：命名空间应为 %(ns)s，实为 %(found)s。")
                % {"ns": NS, "found": etree.QName(root).namespace or _("无")},
            )
        raise _fail(CapError.NOT_CAP, _("文件中没有 CAP 1.2 预警（alert）。"))
    return [_alert(element, data) for element in alerts]


def _child(element, tag: str, *, required: bool = False, where: str = "alert") -> str:
    found = element.find(f"{{{NS}}}{tag}")
    value = (found.text or "").strip() if found is not None else ""
    if required and not value:
        raise _fail(
            CapError.MISSING, _("CAP 预警缺少必填元素 %(where)s/%(tag)s。") % {"where": where, "tag": tag}
        )
    return value


def _time(value: str, tag: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or timezone.is_naive(parsed):
        raise _fail(
            CapError.BAD_TIME,
            _(
                "CAP 元素 %(tag)s 的时间“%(value)s”格式不正确，应为带时区的时间，如 2026-07-01T08:00:00+08:00。"
            )
            % {"tag": tag, "value": value},
        )
    return parsed


def _info(alert) -> etree._Element:
    infos = alert.findall(f"{{{NS}}}info")
    if not infos:
        raise _fail(CapError.MISSING, _("CAP 预警缺少 info 元素。"))
    for info in infos:  # the Chinese block of a bilingual alert
        if _child(info, "language").lower().startswith("zh"):
            return info
    return infos[0]


def hazard_of(event: str) -> str:
    """The hazard named in an event text ("暴雨橙色预警信号" → rainstorm); "other" when none is."""
    for code, label in sorted(rules.HAZARD_CHOICES, key=lambda choice: -len(str(choice[1]))):
        if code != "other" and str(label) in event:
            return code
    return "other"


def level_of(event: str, parameters: list[str], severity: str) -> int | None:
    for text in (*parameters, event):
        for word, colour in COLOUR_WORDS.items():
            if f"{word}色" in text:
                return rules.level_of_colour(colour)
    return LEVEL_OF_SEVERITY.get(severity)


def _alert(element, data: bytes) -> Alert:
    ident = _child(element, "identifier", required=True)
    sender = _child(element, "sender", required=True)
    sent = _time(_child(element, "sent", required=True), "sent")
    for tag in ("status", "msgType", "scope"):
        _child(element, tag, required=True)
    status, msg_type = _child(element, "status"), _child(element, "msgType")
    if status not in IMPORTED_STATUSES or msg_type not in IMPORTED_MSG_TYPES:
        raise _fail(
            CapError.NOT_A_WARNING,
            _(
                "CAP 消息 %(identifier)s 的状态为 %(status)s、类型为 %(type)s，不是可导入的预警："
                "只导入状态为 Actual 或 Draft、类型为 Alert、Update 或 Cancel 的消息。"
            )
            % {"identifier": ident, "status": status, "type": msg_type},
        )
    references = [
        part.split(",")[1] for part in _child(element, "references").split() if part.count(",") == 2
    ]
    result = Alert(
        ident, sender, sent, msg_type, references, source=etree.tostring(element, encoding="unicode")
    )
    if msg_type == "Cancel":
        return result
    info = _info(element)
    for tag in ("category", "event", "urgency", "severity", "certainty"):
        _child(info, tag, required=True, where="info")
    event = _child(info, "event")
    parameters = [
        (parameter.findtext(f"{{{NS}}}value") or "") for parameter in info.findall(f"{{{NS}}}parameter")
    ]
    category = _child(info, "category")
    areas = [(area.findtext(f"{{{NS}}}areaDesc") or "").strip() for area in info.findall(f"{{{NS}}}area")]
    result.values = {
        "kind": rules.SIGNAL if category == "Met" and "信号" in event else rules.EMERGENCY,
        "category": CATEGORY_OF_CAP.get(category, ""),
        "hazard": hazard_of(event),
        "level": level_of(event, parameters, _child(info, "severity")),
        "title": (_child(info, "headline") or event)[:200],
        "area": "、".join(area for area in areas if area),
        "starts_at": _time(_child(info, "onset"), "onset")
        or _time(_child(info, "effective"), "effective")
        or sent,
        "ends_at": _time(_child(info, "expires"), "expires"),
        "matters": _child(info, "description"),
        "measures": _child(info, "instruction"),
    }
    if result.values["kind"] == rules.SIGNAL:
        result.values["category"] = ""
    return result
