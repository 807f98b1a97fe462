"""Items of the 重大事故隐患判定标准 (regulations.md §3), as data: a major hazard names the item it matches.

Each item: (key, standard, article, text, confidence). `key` is stable and stored on the hazard; the
standard's name and number travel with it. Texts are the platform's short wording of the item, in Chinese
(data, like industry names). Only items regulations.md lists are here: the 工贸 and 化工 examples; the other
standards (煤矿, 房屋市政, 消防 …) are named so that an officer can cite them by article while their item
lists are still to be verified (regulations.md, "Open items").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standard:
    code: str
    name: str
    number: str
    in_force: str
    industries: tuple[str, ...]  # core industry codes this standard applies to (with their sub-industries)


@dataclass(frozen=True)
class Criterion:
    key: str
    standard: Standard
    article: str
    text: str
    confidence: str  # confirmed / likely / unconfirmed, as in regulations.md

    @property
    def label(self) -> str:
        return f"{self.standard.number} {self.article} {self.text}"


INDUSTRY_TRADE = Standard(
    "industry-trade-2023",
    "工贸企业重大事故隐患判定标准",
    "应急管理部令第10号",
    "2023-05-15",
    ("industry-trade",),
)
HAZCHEM = Standard(
    "hazchem-2017",
    "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
    "安监总管三〔2017〕121号",
    "2017-11",
    ("hazchem",),
)
FIREWORKS = Standard(
    "fireworks-2017",
    "烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
    "安监总管三〔2017〕121号",
    "2017-11",
    ("fireworks",),
)
COAL_MINE = Standard(
    "coal-mine-2020", "煤矿重大事故隐患判定标准", "应急管理部令第4号", "2021-01-01", ("coal-mine",)
)
METAL_MINE = Standard(
    "metal-mine-2022",
    "金属非金属矿山重大事故隐患判定标准",
    "矿安〔2022〕88号",
    "2022",
    ("non-coal-mine",),
)
CONSTRUCTION = Standard(
    "construction-2022",
    "房屋市政工程生产安全重大事故隐患判定标准（2022版）",
    "建质规〔2022〕2号",
    "2022-04-19",
    ("construction", "urban-construction"),
)
URBAN_GAS = Standard(
    "urban-gas-2023", "城镇燃气经营安全重大隐患判定标准", "建城规〔2023〕4号", "2023", ("urban-gas",)
)
FIRE = Standard("fire-2025", "重大火灾隐患判定规则", "GB 35181-2025", "2025-11-01", ("fire-key",))
ROAD_TRANSPORT = Standard(
    "road-transport-2023",
    "道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）",
    "交办运〔2023〕52号",
    "2023",
    ("road-transport", "transport"),
)
CIVIL_EXPLOSIVES = Standard(
    "civil-explosives-2023",
    "民用爆炸物品行业重大事故隐患判定标准（试行）",
    "工信厅安全函〔2023〕337号",
    "2023-12-01",
    ("civil-explosives",),
)

STANDARDS: tuple[Standard, ...] = (
    INDUSTRY_TRADE,
    HAZCHEM,
    FIREWORKS,
    COAL_MINE,
    METAL_MINE,
    CONSTRUCTION,
    URBAN_GAS,
    FIRE,
    ROAD_TRANSPORT,
    CIVIL_EXPLOSIVES,
)

CRITERIA: tuple[Criterion, ...] = (
    # 工贸 (应急管理部令第10号): 管理类 第三条, 冶金 第四条, 专项 粉尘防爆.
    Criterion(
        "it-3-1",
        INDUSTRY_TRADE,
        "第三条第（一）项",
        "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查",
        "confirmed",
    ),
    Criterion(
        "it-3-2",
        INDUSTRY_TRADE,
        "第三条第（二）项",
        "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业",
        "confirmed",
    ),
    Criterion(
        "it-3-3",
        INDUSTRY_TRADE,
        "第三条第（三）项",
        "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格",
        "confirmed",
    ),
    Criterion(
        "it-4-1",
        INDUSTRY_TRADE,
        "第四条第（一）项（冶金）",
        "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位"
        "设置在铁水、钢水、液渣吊运跨的地坪区域内",
        "confirmed",
    ),
    Criterion(
        "it-4-2",
        INDUSTRY_TRADE,
        "第四条第（二）项（冶金）",
        "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的6类区域存在积水",
        "confirmed",
    ),
    Criterion(
        "it-4-3",
        INDUSTRY_TRADE,
        "第四条第（三）项（冶金）",
        "连铸机未设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，或者模铸区域未设置事故"
        "钢水罐（坑、槽）",
        "confirmed",
    ),
    Criterion(
        "it-dust-1",
        INDUSTRY_TRADE,
        "专项类（粉尘防爆）",
        "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者与居民区、员工宿舍、会议室、办公室、休息室"
        "等人员聚集场所安全距离不符合要求",
        "likely",
    ),
    Criterion(
        "it-dust-2",
        INDUSTRY_TRADE,
        "专项类（粉尘防爆）",
        "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，或者不同建（构）筑物、"
        "不同防火分区共用一套除尘系统",
        "likely",
    ),
    Criterion(
        "it-dust-3",
        INDUSTRY_TRADE,
        "专项类（粉尘防爆）",
        "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施；铝镁等金属粉尘除尘系统采用正压吹送粉尘时，"
        "未采取火花探测消除等防范点燃源措施",
        "likely",
    ),
    Criterion(
        "it-dust-4",
        INDUSTRY_TRADE,
        "专项类（粉尘防爆）",
        "未按照规定建立粉尘清扫制度，作业现场积尘未及时规范清理",
        "likely",
    ),
    # 化工和危险化学品 (安监总管三〔2017〕121号).
    Criterion(
        "hc-01",
        HAZCHEM,
        "第一项",
        "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格",
        "confirmed",
    ),
    Criterion("hc-02", HAZCHEM, "第二项", "特种作业人员未持证上岗", "confirmed"),
    Criterion(
        "hc-03",
        HAZCHEM,
        "第三项",
        "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求",
        "confirmed",
    ),
    Criterion(
        "hc-04",
        HAZCHEM,
        "第四项",
        "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、"
        "紧急停车系统未投入使用",
        "confirmed",
    ),
    Criterion(
        "hc-05",
        HAZCHEM,
        "第五项",
        "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、"
        "二级重大危险源的危险化学品罐区未配备独立的安全仪表系统",
        "confirmed",
    ),
    Criterion("hc-06", HAZCHEM, "第六项", "全压力式液化烃储罐未按国家标准设置注水措施", "confirmed"),
    Criterion(
        "hc-07",
        HAZCHEM,
        "第七项",
        "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统",
        "confirmed",
    ),
    Criterion(
        "hc-08",
        HAZCHEM,
        "第八项",
        "光气、氯气、硫化氢等剧毒气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域",
        "confirmed",
    ),
    Criterion(
        "hc-12",
        HAZCHEM,
        "第十二项",
        "在有可燃气体、有毒气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆"
        "电气设备",
        "confirmed",
    ),
    Criterion(
        "hc-14",
        HAZCHEM,
        "第十四项",
        "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源",
        "confirmed",
    ),
    Criterion(
        "hc-16",
        HAZCHEM,
        "第十六项",
        "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度",
        "likely",
    ),
    Criterion("hc-17", HAZCHEM, "第十七项", "未制定操作规程和工艺控制指标", "likely"),
    Criterion(
        "hc-18",
        HAZCHEM,
        "第十八项",
        "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行",
        "likely",
    ),
    Criterion(
        "hc-19",
        HAZCHEM,
        "第十九项",
        "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产",
        "likely",
    ),
    Criterion(
        "hc-20",
        HAZCHEM,
        "第二十项",
        "危险化学品未按国家标准分区分类储存，超量、超品种储存，相互禁配物质混放混存",
        "likely",
    ),
)

BY_KEY: dict[str, Criterion] = {item.key: item for item in CRITERIA}
BY_STANDARD: dict[str, Standard] = {item.code: item for item in STANDARDS}
