"""安全生产标准化, 安责险 and 安全生产费用 as data: what the published rules say, each entry with where it was found
and how sure we are (`confirmed` — read in the rule itself or on an official site; `likely` — several consistent
copies of the rule's text on unofficial sites; `unconfirmed` — not found in any copy we could read, kept because
the brief or a related rule says so and shown as such wherever it is applied). Research of 2026-12 with the
stored public-reference search (docs/models/risk-standard.md tells the story). The rules in `anlan.risk.rules`
read these tables; nothing here imports Django's ORM."""

from __future__ import annotations

from dataclasses import dataclass

CONFIRMED = "confirmed"
LIKELY = "likely"
UNCONFIRMED = "unconfirmed"
CONFIDENCES = (CONFIRMED, LIKELY, UNCONFIRMED)


@dataclass(frozen=True)
class Source:
    """Where a rule was found: the rule's title and article, a URL, and how sure we are."""

    title: str
    url: str
    confidence: str

    def __post_init__(self):
        if self.confidence not in CONFIDENCES:
            raise ValueError(f"unknown confidence {self.confidence!r}")


# ---------------------------------------------------------------- 安责险: the compulsory industries

WORK_SAFETY_LAW_51 = Source(
    "《中华人民共和国安全生产法》(2021年修正) 第五十一条：属于国家规定的高危行业、领域的生产经营单位，应当投保安全生产责任保险",
    "",  # quoted in issue #18's brief; no copy of the law was read in this research
    LIKELY,
)
LIABILITY_MEASURES_2025 = Source(
    "《安全生产责任保险实施办法》(应急管理部、金融监管总局等七部门 2025 年修订，废止安监总办〔2017〕140号) 第二条："
    "矿山、危险化学品、烟花爆竹、交通运输、建筑施工、民用爆炸物品、金属冶炼、渔业生产等高危行业、领域单位应当投保",
    "https://www.ruizhitb.com/news/contents/11996.html",
    LIKELY,
)
LIABILITY_MEASURES_2017 = Source(
    "《安全生产责任保险实施办法》(安监总办〔2017〕140号) 第六条：煤矿、非煤矿山、危险化学品、烟花爆竹、交通运输、建筑施工、"
    "民用爆炸物品、金属冶炼、渔业生产等高危行业领域的生产经营单位应当投保",
    "https://www.xiaomilidoc.com/p-14900997.html",
    LIKELY,
)
LIABILITY_PER_PERSON_MINIMUM = Source(
    "《安全生产责任保险实施办法》(2025 年修订) 第十五条：每人死亡伤残责任限额不得低于 40 万元",
    "https://www.ruizhitb.com/news/contents/11996.html",
    LIKELY,
)


@dataclass(frozen=True)
class CompulsoryIndustry:
    """A 高危行业、领域 of the 安责险 rules, mapped onto codes of core's industry tree (an enterprise whose main
    industry is one of them, or lies under one of them, must be insured)."""

    name: str
    industry_codes: tuple[str, ...]
    source: Source
    note: str = ""


COMPULSORY_INSURANCE = (
    CompulsoryIndustry("矿山（煤矿、非煤矿山）", ("coal-mine", "non-coal-mine"), LIABILITY_MEASURES_2025),
    CompulsoryIndustry("危险化学品", ("hazchem",), LIABILITY_MEASURES_2025),
    CompulsoryIndustry("烟花爆竹", ("fireworks",), LIABILITY_MEASURES_2025),
    CompulsoryIndustry(
        "交通运输",
        ("road-transport", "transport"),
        LIABILITY_MEASURES_2025,
        "道路运输和交通运输（含水上交通、渔业船舶）两个根节点",
    ),
    CompulsoryIndustry("建筑施工", ("construction",), LIABILITY_MEASURES_2025),
    CompulsoryIndustry("民用爆炸物品", ("civil-explosives",), LIABILITY_MEASURES_2025),
    CompulsoryIndustry(
        "金属冶炼",
        ("metallurgy", "nonferrous"),
        LIABILITY_MEASURES_2025,
        "工贸下的冶金、有色两个子节点（不是整个工贸）",
    ),
    CompulsoryIndustry("渔业生产", ("fishing-vessel",), LIABILITY_MEASURES_2025, "渔业船舶（交通运输之下）"),
)

# 每人死亡伤残责任限额 (yuan): a policy below it is shown as below the minimum, not refused (local rules may differ).
PER_PERSON_MINIMUM_YUAN = 400_000

# ---------------------------------------------------------------- 安全生产标准化

GRADING_MEASURES = Source(
    "《企业安全生产标准化建设定级办法》(应急〔2021〕83号)：一级由应急管理部、二级由省级、三级由设区的市或县级应急管理部门定级，"
    "等级有效期 3 年；基础标准 GB/T 33000-2016",
    "../shared/regulations.md §9",
    LIKELY,
)
GRADE_VALIDITY_YEARS = 3

# The grade and the level that issues it (应急〔2021〕83号).
GRADE_ISSUING_LEVEL = {"1": "national", "2": "province", "3": "city_county"}


@dataclass(frozen=True)
class WithdrawalCondition:
    """A situation that withdraws (撤销) a 标准化 grade, as a predicate over facts (see rules.withdrawal_conditions):
    `grades` it applies to; `fact` the key of the facts dict it reads; `minimum` the value it needs (an accident
    grade rank, a count, or True)."""

    code: str
    text: str
    grades: tuple[str, ...]
    fact: str
    minimum: int | bool
    source: Source


WITHDRAWAL_SOURCE_ACCIDENT = Source(
    "《企业安全生产标准化建设定级办法》(应急〔2021〕83号) 撤销等级条款（约第二十二条）：定级企业在有效期内发生生产安全死亡事故"
    "（一级）或较大及以上生产安全事故（二级、三级）的，由原定级部门撤销等级并公告。未找到该条原文，按任务说明与相关规定整理",
    "http://fsou.com/html/text/lar/172716/17271657_6.html",
    UNCONFIRMED,
)
WITHDRAWAL_SOURCE_OTHER = Source(
    "《企业安全生产标准化建设定级办法》(应急〔2021〕83号) 撤销等级条款：瞒报、谎报生产安全事故，被列入安全生产严重失信主体名单，"
    "存在重大事故隐患未按期整改，定级过程中弄虚作假。未找到该条原文",
    "../shared/regulations.md §9",
    UNCONFIRMED,
)

# Accident grades ranked (493号令 第三条): a condition's `minimum` for the accident fact is a rank.
ACCIDENT_GRADE_RANK = {"ordinary": 1, "relatively_major": 2, "major": 3, "extraordinarily_serious": 4}

WITHDRAWAL_CONDITIONS = (
    WithdrawalCondition(
        "fatal_accident",
        "有效期内发生生产安全死亡事故（一级企业）",
        ("1",),
        "deaths",
        1,
        WITHDRAWAL_SOURCE_ACCIDENT,
    ),
    WithdrawalCondition(
        "relatively_major_accident",
        "有效期内发生较大及以上生产安全事故",
        ("1", "2", "3"),
        "accident_grade_rank",
        ACCIDENT_GRADE_RANK["relatively_major"],
        WITHDRAWAL_SOURCE_ACCIDENT,
    ),
    WithdrawalCondition(
        "concealed_or_false_report",
        "瞒报、谎报生产安全事故",
        ("1", "2", "3"),
        "concealed_or_false_report",
        True,
        WITHDRAWAL_SOURCE_OTHER,
    ),
    WithdrawalCondition(
        "seriously_dishonest",
        "被列入安全生产严重失信主体名单",
        ("1", "2", "3"),
        "listed_seriously_dishonest",
        True,
        WITHDRAWAL_SOURCE_OTHER,
    ),
    WithdrawalCondition(
        "major_hazard_unrectified",
        "存在重大事故隐患未按期整改",
        ("1", "2", "3"),
        "major_hazard_unrectified",
        True,
        WITHDRAWAL_SOURCE_OTHER,
    ),
    WithdrawalCondition(
        "falsified_application",
        "定级过程中弄虚作假、申请材料不真实",
        ("1", "2", "3"),
        "falsified_application",
        True,
        WITHDRAWAL_SOURCE_OTHER,
    ),
)

# ---------------------------------------------------------------- 安全生产费用 (财资〔2022〕136号)

SPENDING_MEASURES = Source(
    "《企业安全生产费用提取和使用管理办法》(财资〔2022〕136号) 各行业“安全生产费用应当用于以下支出”条款（以建设工程、危险品等为例）",
    "https://minesoc.com/doc/an3s1hkbyd",
    LIKELY,
)

# (code, 中文, confidence) — the common use categories of the 2022 measures; each industry's article words them a
# little differently and adds its own (尾矿库闭库, 地质勘探野外应急 …), which fall under "other".
SPENDING_CATEGORIES = (
    ("facilities", "完善、改造和维护安全防护设施设备", LIKELY),
    ("emergency", "应急救援器材设备、救援队伍建设、应急预案制修订与应急演练", LIKELY),
    ("major_hazard", "重大危险源检测评估监控、风险分级管控和隐患排查整改、安全生产信息化智能化", LIKELY),
    ("inspection", "安全生产检查、评估评价、咨询和标准化建设", LIKELY),
    ("training", "安全生产宣传、教育、培训和隐患报告奖励", LIKELY),
    ("protective", "配备和更新现场作业人员安全防护用品", LIKELY),
    ("technology", "安全生产适用的新技术、新标准、新工艺、新装备推广应用", LIKELY),
    ("testing", "安全设施及特种设备检测检验、检定校准", LIKELY),
    ("insurance", "安全生产责任保险", LIKELY),
    ("other", "与安全生产直接相关的其他支出", LIKELY),
)

# ---------------------------------------------------------------- 一必须五到位

FIVE_IN_PLACE = Source(
    "一必须五到位：安全责任、安全投入、安全培训、安全管理、应急救援到位（seed-map A10；《安全生产法》第二十一条、第二十三条、"
    "第二十八条、第四十一条、第八十一条）",
    "../shared/seed-map.md A10",
    LIKELY,
)
