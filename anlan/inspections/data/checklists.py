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
    """A checklist item stated as a requirement (`text`, answered 符合/不符合/不适用) and, for a 不符合 answer,
    the finding a document prints (`finding`, e.g. "…防护距离不符合国家标准要求")."""

    key: str
    text: str
    basis: str
    grade: str = "ordinary"  # suggested hazard grade when the answer is 不符合
    criterion: str = ""  # key of the hazards module's major criterion, when the item is one
    confidence: str = "likely"
    finding: str = ""

    @property
    def finding_text(self) -> str:
        return self.finding or f"不符合要求：{self.text}"


@dataclass(frozen=True)
class Checklist:
    code: str
    name: str
    industries: tuple[str, ...]  # core industry codes (with their sub-industries); empty = any
    items: tuple[Item, ...]


# The requirement each 判定标准 item's violation breaks (the criteria are worded as violations: they are the
# findings). Our rewording of the criterion, stated positively; the criterion itself is the finding.
REQUIREMENTS = {
    "it-3-1": "对承包单位、承租单位的安全生产工作统一协调、管理，并定期进行安全检查",
    "it-3-2": "特种作业人员按照规定经专门的安全作业培训并取得相应资格后上岗作业",
    "it-3-3": "金属冶炼企业主要负责人、安全生产管理人员按照规定经考核合格",
    "it-4-1": "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所以及钢铁水罐冷（热）修工位"
    "不设置在铁水、钢水、液渣吊运跨的地坪区域内",
    "it-4-2": "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑以及熔融金属泄漏和喷溅影响范围内的6类区域无积水",
    "it-4-3": "连铸机设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，模铸区域设置事故钢水罐"
    "（坑、槽）",
    "it-dust-1": "粉尘爆炸危险场所不设置在非框架结构的多层建（构）筑物内，与居民区、员工宿舍、会议室、办公室、休息室"
    "等人员聚集场所的安全距离符合要求",
    "it-dust-2": "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质，以及不同建（构）筑物、不同防火"
    "分区，不共用一套除尘系统",
    "it-dust-3": "干式除尘系统采取泄爆、惰化、抑爆等爆炸防控措施；铝镁等金属粉尘除尘系统采用正压吹送粉尘时采取火花"
    "探测消除等防范点燃源措施",
    "it-dust-4": "按照规定建立粉尘清扫制度，作业现场积尘及时规范清理",
    "hc-01": "危险化学品生产、经营单位主要负责人和安全生产管理人员依法经考核合格",
    "hc-02": "特种作业人员持证上岗",
    "hc-03": "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离符合国家标准要求",
    "hc-04": "涉及重点监管危险化工工艺的装置实现自动化控制，系统具备紧急停车功能，自动化控制系统、紧急停车系统投入"
    "使用",
    "hc-05": "构成一级、二级重大危险源的危险化学品罐区实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、二级"
    "重大危险源的危险化学品罐区配备独立的安全仪表系统",
    "hc-06": "全压力式液化烃储罐按国家标准设置注水措施",
    "hc-07": "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装使用万向管道充装系统",
    "hc-08": "光气、氯气、硫化氢等剧毒气体管道不穿越厂区（包括化工园区、工业园区）外的公共区域",
    "hc-12": "在有可燃气体、有毒气体泄漏的场所按国家标准设置检测报警装置，爆炸危险场所按国家标准安装使用防爆电气"
    "设备",
    "hc-14": "化工生产装置按国家标准要求设置双重电源供电，自动化控制系统设置不间断电源",
    "hc-16": "建立与岗位相匹配的全员安全生产责任制，制定并实施生产安全事故隐患排查治理制度",
    "hc-17": "制定操作规程和工艺控制指标",
    "hc-18": "按照国家标准制定动火、进入受限空间等特殊作业管理制度，并有效执行",
    "hc-19": "新开发的危险化学品生产工艺经小试、中试、工业化试验后方进行工业化生产",
    "hc-20": "危险化学品按国家标准分区分类储存，不超量、超品种储存，相互禁配物质不混放混存",
}


def _major(key: str) -> Item:
    criterion = BY_KEY[key]
    basis = f"《{criterion.standard.name}》（{criterion.standard.number}）{criterion.article}"
    return Item(
        f"major-{key}", REQUIREMENTS[key], basis, "major", key, criterion.confidence, finding=criterion.text
    )


GENERAL = Checklist(
    "general",
    "通用检查项",
    (),
    (
        Item(
            "gen-1",
            "建立健全全员安全生产责任制并落实",
            f"{SAFETY_LAW}第四条、第二十二条",
            finding="未建立健全全员安全生产责任制，或者未落实",
        ),
        Item(
            "gen-2",
            "主要负责人组织制定并实施安全生产规章制度和操作规程",
            f"{SAFETY_LAW}第二十一条",
            finding="主要负责人未组织制定并实施安全生产规章制度和操作规程",
        ),
        Item(
            "gen-3",
            "对从业人员进行安全生产教育和培训并如实记录",
            f"{SAFETY_LAW}第二十八条",
            finding="未对从业人员进行安全生产教育和培训，或者未如实记录",
        ),
        Item(
            "gen-4",
            "特种作业人员按照规定经专门的安全作业培训并取得相应资格",
            f"{SAFETY_LAW}第三十条",
            finding="特种作业人员未按照规定经专门的安全作业培训并取得相应资格",
        ),
        Item(
            "gen-5",
            "在有较大危险因素的场所和设施设备上设置明显的安全警示标志",
            f"{SAFETY_LAW}第三十五条",
            finding="未在有较大危险因素的场所和设施设备上设置明显的安全警示标志",
        ),
        Item(
            "gen-6",
            "建立安全风险分级管控制度和事故隐患排查治理制度并如实记录",
            f"{SAFETY_LAW}第四十一条",
            finding="未建立安全风险分级管控制度和事故隐患排查治理制度，或者未如实记录",
        ),
        Item(
            "gen-7",
            "生产经营场所和员工宿舍设有符合紧急疏散要求、标志明显、保持畅通的出口和疏散通道",
            f"{SAFETY_LAW}第四十二条",
            finding="生产经营场所和员工宿舍未设有符合紧急疏散要求、标志明显、保持畅通的出口和疏散通道",
        ),
        Item(
            "gen-8",
            "为从业人员提供符合国家标准或者行业标准的劳动防护用品",
            f"{SAFETY_LAW}第四十五条",
            finding="未为从业人员提供符合国家标准或者行业标准的劳动防护用品",
        ),
        Item(
            "gen-9",
            "制定生产安全事故应急救援预案并定期组织演练",
            f"{SAFETY_LAW}第八十一条",
            finding="未制定生产安全事故应急救援预案，或者未定期组织演练",
        ),
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
            finding="建筑施工企业未取得安全生产许可证",
        ),
        Item(
            "con-2",
            "施工单位主要负责人、项目负责人、专职安全生产管理人员取得安全生产考核合格证书",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
            finding="施工单位主要负责人、项目负责人、专职安全生产管理人员未取得安全生产考核合格证书",
        ),
        Item(
            "con-3",
            "建筑施工特种作业人员持证上岗",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
            finding="建筑施工特种作业人员未持证上岗",
        ),
        Item(
            "con-4",
            "危险性较大的分部分项工程编制、审核专项施工方案，超过一定规模的按规定组织专家论证",
            _CONSTRUCTION_BASIS + "第三条",
            "ordinary",
            "",
            "unconfirmed",
            finding="危险性较大的分部分项工程未编制、审核专项施工方案，或者超过一定规模的未按规定组织专家论证",
        ),
        Item(
            "con-5",
            "脚手架、临边洞口防护设施齐全有效",
            _CONSTRUCTION_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="脚手架、临边洞口防护设施不齐全或者失效",
        ),
        Item(
            "con-6",
            "起重机械按规定检验检测、安装拆卸有方案",
            _CONSTRUCTION_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="起重机械未按规定检验检测，或者安装拆卸无方案",
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
            finding="安全出口、疏散通道被锁闭、封堵或者不畅通",
        ),
        Item(
            "fire-2",
            "消防设施、器材完好有效",
            "《中华人民共和国消防法》第十六条",
            "ordinary",
            "",
            "likely",
            finding="消防设施、器材损坏或者失效",
        ),
        Item(
            "fire-3",
            "应急照明、疏散指示标志完好",
            _FIRE_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="应急照明、疏散指示标志损坏或者缺失",
        ),
        Item(
            "fire-4",
            "人员密集场所外墙门窗上不设置影响逃生和灭火救援的障碍物",
            "《中华人民共和国消防法》第二十八条",
            "ordinary",
            "",
            "likely",
            finding="在人员密集场所外墙门窗上设置影响逃生和灭火救援的障碍物",
        ),
        Item(
            "fire-5",
            "不违规使用易燃可燃材料装修",
            _FIRE_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="违规使用易燃可燃材料装修",
        ),
        Item(
            "fire-6",
            "消防控制室值班人员持证在岗",
            _FIRE_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="消防控制室值班人员未持证在岗",
        ),
    ),
)

_GAS_BASIS = f"《{URBAN_GAS.name}》（{URBAN_GAS.number}）"
URBAN_GAS_LIST = Checklist(
    "urban-gas",
    "城镇燃气检查表",
    ("urban-gas",),
    (
        Item(
            "gas-1",
            "燃气经营企业取得燃气经营许可证",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="燃气经营企业未取得燃气经营许可证",
        ),
        Item(
            "gas-2",
            "餐饮等用户按规定安装可燃气体报警装置",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="餐饮等用户未按规定安装可燃气体报警装置",
        ),
        Item(
            "gas-3",
            "气瓶经检验合格、未使用超期或报废气瓶",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="使用未经检验、超期或者报废的气瓶",
        ),
        Item(
            "gas-4",
            "燃气管道、调压设施未被占压，安全间距符合要求",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="燃气管道、调压设施被占压，或者安全间距不符合要求",
        ),
        Item(
            "gas-5",
            "燃气场所通风良好，未在地下或半地下空间违规使用液化石油气",
            _GAS_BASIS,
            "ordinary",
            "",
            "unconfirmed",
            finding="燃气场所通风不良，或者在地下、半地下空间违规使用液化石油气",
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
