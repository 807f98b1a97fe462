"""The legal basis printed on enforcement documents, as data: the articles of the 安全生产法 (2021) and the
rules an officer cites, each with an excerpt of its text, where the text was read and how sure we are.

A 重大事故隐患判定标准 item says what counts as a major hazard; it is not the legal basis of a measure. A
document cites the article a finding breaks (`VIOLATED`, by checklist item) and the article that empowers the
measure taken (`MEASURE`, by enforcement kind).

Source of the 安全生产法 texts: the 2021 text (第三次修正, 2021-06-10, 施行 2021-09-01) as reproduced by
LawRefBook `社会法/安全生产法(2021-06-10).md` (https://github.com/LawRefBook/Laws), read in full; check the same
articles at flk.npc.gov.cn before release (regulations.md, "Source notes").
"""

from __future__ import annotations

from dataclasses import dataclass

SAFETY_LAW = "《中华人民共和国安全生产法》"
LAWREFBOOK = "LawRefBook 社会法/安全生产法(2021-06-10).md (https://github.com/LawRefBook/Laws)"
PENALTY_LAW_SOURCE = "LawRefBook 行政法/行政处罚法(2021-01-22).md (https://github.com/LawRefBook/Laws)"


@dataclass(frozen=True)
class Article:
    key: str
    law: str
    article: str
    excerpt: str
    source: str
    confidence: str = "confirmed"

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"


ARTICLES: tuple[Article, ...] = (
    Article(
        "sl-41",
        SAFETY_LAW,
        "第四十一条",
        "生产经营单位应当建立安全风险分级管控制度……应当建立健全并落实生产安全事故隐患排查治理制度，采取技术、"
        "管理措施，及时发现并消除事故隐患。",
        LAWREFBOOK,
    ),
    Article(
        "sl-65-2",
        SAFETY_LAW,
        "第六十五条第一款第（二）项",
        "对检查中发现的安全生产违法行为，当场予以纠正或者要求限期改正；对依法应当给予行政处罚的行为，依照本法和"
        "其他有关法律、行政法规的规定作出行政处罚决定。",
        LAWREFBOOK,
    ),
    Article(
        "sl-65-3",
        SAFETY_LAW,
        "第六十五条第一款第（三）项",
        "对检查中发现的事故隐患，应当责令立即排除；重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险"
        "区域内撤出作业人员，责令暂时停产停业或者停止使用相关设施、设备；重大事故隐患排除后，经审查同意，方可恢复"
        "生产经营和使用。",
        LAWREFBOOK,
    ),
    Article(
        "sl-69",
        SAFETY_LAW,
        "第六十九条",
        "负有安全生产监督管理职责的部门在监督检查中，应当互相配合，实行联合检查；……发现存在的安全问题应当由其他"
        "有关部门进行处理的，应当及时移送其他有关部门并形成记录备查。",
        LAWREFBOOK,
    ),
    Article(
        "sl-97",
        SAFETY_LAW,
        "第九十七条",
        "生产经营单位有下列行为之一的，责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿……",
        LAWREFBOOK,
    ),
    Article(
        "sl-99",
        SAFETY_LAW,
        "第九十九条",
        "生产经营单位有下列行为之一的，责令限期改正，处五万元以下的罚款；逾期未改正的，处五万元以上二十万元以下的"
        "罚款……情节严重的，责令停产停业整顿……",
        LAWREFBOOK,
    ),
    Article(
        "sl-101",
        SAFETY_LAW,
        "第一百零一条",
        "生产经营单位有下列行为之一的，责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿……"
        "（四）未建立安全风险分级管控制度……（五）未建立事故隐患排查治理制度……",
        LAWREFBOOK,
    ),
    Article(
        "sl-102",
        SAFETY_LAW,
        "第一百零二条",
        "生产经营单位未采取措施消除事故隐患的，责令立即消除或者限期消除，处五万元以下的罚款；生产经营单位拒不执行"
        "的，责令停产停业整顿……",
        LAWREFBOOK,
    ),
    Article(
        "sl-105",
        SAFETY_LAW,
        "第一百零五条",
        "……（二）生产经营场所和员工宿舍未设有符合紧急疏散需要、标志明显、保持畅通的出口、疏散通道，或者占用、"
        "锁闭、封堵生产经营场所或者员工宿舍出口、疏散通道的。",
        LAWREFBOOK,
    ),
    Article(
        "sl-113",
        SAFETY_LAW,
        "第一百一十三条",
        "生产经营单位存在下列情形之一的，负有安全生产监督管理职责的部门应当提请地方人民政府予以关闭，有关部门应当"
        "依法吊销其有关证照……",
        LAWREFBOOK,
    ),
    Article(
        "pl-42",
        "《中华人民共和国行政处罚法》",
        "第四十二条",
        "行政处罚应当由具有行政执法资格的执法人员实施。执法人员不得少于两人，法律另有规定的除外。",
        PENALTY_LAW_SOURCE,
    ),
)
BY_KEY: dict[str, Article] = {a.key: a for a in ARTICLES}

# The article a failed checklist item breaks (checklist item key → article keys). Items of a 重大事故隐患判定标准
# ("major-…") break the duty to find and remove hazards (第四十一条) and are punished under 第一百零二条.
VIOLATED: dict[str, tuple[str, ...]] = {
    "gen-3": ("sl-97",),
    "gen-4": ("sl-97",),
    "gen-5": ("sl-99",),
    "gen-6": ("sl-101",),
    "gen-7": ("sl-105",),
    "gen-8": ("sl-99",),
    "gen-9": ("sl-97",),
    "gas-2": ("sl-99",),
}
MAJOR = ("sl-41", "sl-102")
HAZARD = ("sl-41",)

# The article that empowers each enforcement measure (EnforcementAction.Kind value → article keys).
MEASURE: dict[str, tuple[str, ...]] = {
    "rectification": ("sl-65-2", "sl-65-3"),
    "suspension": ("sl-65-3", "sl-102"),
    "fine": ("sl-65-2",),
    "confiscation": ("sl-65-2",),
    "licence_suspension": ("sl-65-2",),
    "licence_revocation": ("sl-113",),
    "closure": ("sl-113",),
    "referral": ("sl-69",),
}


def violated_by(item_key: str) -> tuple[Article, ...]:
    keys = VIOLATED.get(item_key) or (MAJOR if item_key.startswith("major-") else HAZARD)
    return tuple(BY_KEY[k] for k in keys)


def basis_text(kind: str, item_keys: list[str]) -> str:
    """The legal basis of a measure on these findings: the articles broken, then the articles applied."""
    broken: list[Article] = []
    for key in item_keys:
        broken += [a for a in violated_by(key) if a not in broken]
    applied = [BY_KEY[k] for k in MEASURE.get(kind, ())]
    parts = []
    if broken:
        parts.append("违反" + "、".join(a.citation for a in broken))
    if applied:
        parts.append("依据" + "、".join(a.citation for a in applied))
    return "；".join(parts)


# The text of the 提请关闭建议's basis, prefilled on the draft (the department may amend it).
CLOSURE_BASIS = (
    "《中华人民共和国安全生产法》第一百一十三条：生产经营单位存在重大事故隐患，一百八十日内三次或者一年内四次"
    "受到本法规定的行政处罚的，负有安全生产监督管理职责的部门应当提请地方人民政府予以关闭，有关部门应当依法"
    "吊销其有关证照。生产经营单位主要负责人五年内不得担任任何生产经营单位的主要负责人。"
)
