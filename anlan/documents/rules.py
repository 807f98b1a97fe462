"""Pure rules of document numbering (发文字号, GB/T 9704-2012 §7.2.4). No ORM, no clock."""

from __future__ import annotations

# One- or two-character 文种 codes inside the 发文字号 (the part between issuer and year).
KIND_CODES = {
    "hazard_supervision": "督",
    "rectification_order": "责改",
    "circular": "通",
    # anlan.inspections
    "inspection_record": "检记",
    "recheck_opinion": "复查",
    "warning_letter": "警示",
    "advice_letter": "建议",
    "summons": "约谈",
    "suspension_order": "停整",
    "penalty_decision": "罚",
    "referral": "移",
    "resumption_notice": "复产",
    "closure_proposal": "提关",
}

_REGION_SUFFIXES = ("自治县", "县", "市", "区", "旗")
_DEPARTMENT_SUFFIXES = ("管理局", "委员会办公室", "委员会", "办公室", "局", "委", "办", "大队", "支队")


def issuer_prefix(region_name: str, short_name: str) -> str:
    """The issuer part of a number: the region without its level word and the department's short name
    without its organ word, e.g. 来安县 + 应急管理局 → 来安应急; 来安县 + 县安委办 → 来安安委."""
    region = region_name
    for suffix in _REGION_SUFFIXES:
        if region.endswith(suffix) and len(region) > len(suffix) + 1:
            region = region[: -len(suffix)]
            break
    name = short_name
    for prefix in ("县", "市", "区"):
        if name.startswith(prefix) and len(name) > 2:
            name = name[1:]
            break
    for suffix in _DEPARTMENT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return region + name


def format_number(prefix: str, kind: str, year: int, serial: int) -> str:
    """发文字号: issuer code, kind code, year in 六角括号 〔〕 and the serial without leading zeros (GB/T 9704)."""
    return f"{prefix}{KIND_CODES.get(kind, '')}〔{year}〕{serial}号"
