"""Inspection checklists (检查表) per industry, as data: items with their legal basis and suggested grade.

Items that match an item of a 重大事故隐患判定标准 reuse the hazards module's criteria (anlan/hazards/data/
major_criteria.py): their text and basis come from there and the suggested grade is 重大. Other items cite
the article an officer would write in a record, with the confidence regulations.md gives (or `likely` for
articles of the 安全生产法 (2021) cited from the text, `unconfirmed` for wording not checked against a source);
their suggested grade is 一般. An officer may change the grade of a finding when recording.
"""

from __future__ import annotations

from dataclasses import dataclass

from anlan.hazards.data.major_criteria import BY_KEY, CONSTRUCTION, FIRE, URBAN_GAS

SAFETY_LAW = "《中华人民共和国安全生产法》（2021修正）"


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    basis: str
    grade: str = "ordinary"  # suggested hazard grade when the answer is 不符合
    criterion: str = ""  # key of the hazards module's major criterion, when the item is one
    confidence: str = "likely"


@dataclass(frozen=True)
class Checklist:
    code: str
    name: str
    industries: tuple[str, ...]  # core industry codes (with their sub-industries); empty = any
    items: tuple[Item, ...]


def _major(key: str) -> Item:
    criterion = BY_KEY[key]
    basis = f"《{criterion.standard.name}》（{criterion.standard.number}）{criterion.article}"
    return Item(f"major-{key}", criterion.text, basis, "major", key, criterion.confidence)


GENERAL = Checklist(
    "general",
    "通用检查项",
    (),
    (
        Item("gen-1", "建立健全全员安全生产责任制并落实", f"{SAFETY_LAW}第四条、第二十二条"),
        Item("gen-2", "主要负责人组织制定并实施安全生产规章制度和操作规程", f"{SAFETY_LAW}第二十一条"),
        Item("gen-3", "对从业人员进行安全生产教育和培训并如实记录", f"{SAFETY_LAW}第二十八条"),
        Item("gen-4", "特种作业人员按照规定经专门的安全作业培训并取得相应资格", f"{SAFETY_LAW}第三十条"),
        Item("gen-5", "在有较大危险因素的场所和设施设备上设置明显的安全警示标志", f"{SAFETY_LAW}第三十五条"),
        Item("gen-6", "建立安全风险分级管控制度和事故隐患排查治理制度并如实记录", f"{SAFETY_LAW}第四十一条"),
        Item(
            "gen-7",
            "生产经营场所和员工宿舍设有符合紧急疏散要求、标志明显、保持畅通的出口和疏散通道",
            f"{SAFETY_LAW}第四十二条",
        ),
        Item("gen-8", "为从业人员提供符合国家标准或者行业标准的劳动防护用品", f"{SAFETY_LAW}第四十五条"),
        Item("gen-9", "制定生产安全事故应急救援预案并定期组织演练", f"{SAFETY_LAW}第八十一条"),
    ),
)

INDUSTRY_TRADE = Checklist(
    "industry-trade",
    "工贸企业检查表",
    ("industry-trade",),
    tuple(
        _major(key)
        for key in (
            "it-3-1",
            "it-3-2",
            "it-3-3",
            "it-4-1",
            "it-4-2",
            "it-4-3",
            "it-dust-1",
            "it-dust-2",
            "it-dust-3",
            "it-dust-4",
        )
    ),
)

HAZCHEM = Checklist(
    "hazchem",
    "危险化学品企业检查表",
    ("hazchem",),
    tuple(
        _major(key)
        for key in (
            "hc-01",
            "hc-02",
            "hc-03",
            "hc-04",
            "hc-05",
            "hc-06",
            "hc-07",
            "hc-08",
            "hc-12",
            "hc-14",
            "hc-16",
            "hc-17",
            "hc-18",
            "hc-19",
            "hc-20",
        )
    ),
)

_CONSTRUCTION_BASIS = f"《{CONSTRUCTION.name}》（{CONSTRUCTION.number}）"
CONSTRUCTION_SITE = Checklist(
    "construction",
    "建筑施工检查表",
    ("construction", "urban-construction"),
    (
        Item(
            "con-1",
            "建筑施工企业取得安全生产许可证",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
        ),
        Item(
            "con-2",
            "施工单位主要负责人、项目负责人、专职安全生产管理人员取得安全生产考核合格证书",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
        ),
        Item(
            "con-3",
            "建筑施工特种作业人员持证上岗",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
        ),
        Item(
            "con-4",
            "危险性较大的分部分项工程编制、审核专项施工方案，超过一定规模的按规定组织专家论证",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
        ),
        Item("con-5", "脚手架、临边洞口防护设施齐全有效", _CONSTRUCTION_BASIS, "ordinary", "", "unconfirmed"),
        Item(
            "con-6",
            "起重机械按规定检验检测、安装拆卸有方案",
            _CONSTRUCTION_BASIS,
            "ordinary",
            "",
            "unconfirmed",
        ),
    ),
)

_FIRE_BASIS = f"《{FIRE.name}》（{FIRE.number}）"
CROWDED_PLACE_FIRE = Checklist(
    "crowded-place-fire",
    "人员密集场所消防检查表",
    ("fire-key", "culture-tourism", "medical", "campus"),
    (
        Item(
            "fire-1",
            "安全出口、疏散通道畅通，未锁闭、封堵",
            "《中华人民共和国消防法》第二十八条",
            "ordinary",
            "",
            "likely",
        ),
        Item(
            "fire-2", "消防设施、器材完好有效", "《中华人民共和国消防法》第十六条", "ordinary", "", "likely"
        ),
        Item("fire-3", "应急照明、疏散指示标志完好", _FIRE_BASIS, "ordinary", "", "unconfirmed"),
        Item(
            "fire-4",
            "未在人员密集场所外墙门窗设置影响逃生和灭火救援的障碍物",
            "《中华人民共和国消防法》第二十八条",
            "ordinary",
            "",
            "likely",
        ),
        Item("fire-5", "未违规使用易燃可燃材料装修", _FIRE_BASIS, "ordinary", "", "unconfirmed"),
        Item("fire-6", "消防控制室值班人员持证在岗", _FIRE_BASIS, "ordinary", "", "unconfirmed"),
    ),
)

_GAS_BASIS = f"《{URBAN_GAS.name}》（{URBAN_GAS.number}）"
URBAN_GAS_LIST = Checklist(
    "urban-gas",
    "城镇燃气检查表",
    ("urban-gas",),
    (
        Item("gas-1", "燃气经营企业取得燃气经营许可证", _GAS_BASIS, "ordinary", "", "unconfirmed"),
        Item("gas-2", "餐饮等用户按规定安装可燃气体报警装置", _GAS_BASIS, "ordinary", "", "unconfirmed"),
        Item("gas-3", "气瓶经检验合格、未使用超期或报废气瓶", _GAS_BASIS, "ordinary", "", "unconfirmed"),
        Item(
            "gas-4", "燃气管道、调压设施未被占压，安全间距符合要求", _GAS_BASIS, "ordinary", "", "unconfirmed"
        ),
        Item(
            "gas-5",
            "燃气场所通风良好，未在地下或半地下空间违规使用液化石油气",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
        ),
    ),
)

CHECKLISTS: tuple[Checklist, ...] = (
    GENERAL,
    INDUSTRY_TRADE,
    HAZCHEM,
    CONSTRUCTION_SITE,
    CROWDED_PLACE_FIRE,
    URBAN_GAS_LIST,
)
BY_CODE: dict[str, Checklist] = {c.code: c for c in CHECKLISTS}
ITEMS: dict[str, Item] = {item.key: item for c in CHECKLISTS for item in c.items}


def checklist_for(industry_codes: set[str]) -> Checklist:
    """The industry checklist matching one of the enterprise's industry codes (itself or its ancestors),
    the general list otherwise."""
    for checklist in CHECKLISTS[1:]:
        if industry_codes & set(checklist.industries):
            return checklist
    return GENERAL


def items_of(code: str) -> tuple[Item, ...]:
    """An industry list is always asked together with the general items."""
    checklist = BY_CODE[code]
    return checklist.items if checklist is GENERAL else checklist.items + GENERAL.items


def answer_sheet(code: str, *, failing: tuple[str, ...] = (), note: str = "") -> dict[str, dict]:
    """Every item of a checklist answered 符合, except `failing` ones answered 不符合 with `note` (demo, tests)."""
    return {
        item.key: {"result": "non_compliant", "note": note}
        if item.key in failing
        else {"result": "compliant"}
        for item in items_of(code)
    }
