"""特种作业 categories and the certificate rules of the people part as data, each with where it was found and how
sure we are (see data/standard.py for the confidence words). Research of 2026-12; nothing here imports the ORM."""

from __future__ import annotations

from .standard import CONFIRMED, LIKELY, UNCONFIRMED, Source

REGULATION_30 = Source(
    "《特种作业人员安全技术培训考核管理规定》(原国家安全监管总局令第30号，第80号令修正) 第十九条、第二十一条、第二十二条",
    "http://cqspb.gov.cn/zwgk_235/zfxxgkpt/zcwdpt/xzbm/zcwdptyjj/202407/t20240702_13341165.html",
    CONFIRMED,
)
REVIEW_TRAINING = Source(
    "30号令：复审前的安全培训不少于8个学时（regulations.md §9）",
    "https://m.tftnews.com/news7654191",
    LIKELY,
)
EXAM_PASS_MARK = Source(
    "特种作业考试满分100分，80分（含）以上为合格（regulations.md §9）",
    "https://99.wendadaohang.com/zd/WXXB7vXO7We7e7eXXtt.html",
    LIKELY,
)
LAPSE_WITHOUT_REVIEW = Source(
    "30号令：未按期复审的，特种作业操作证失效（条文序号未核对）",
    "",
    LIKELY,
)
MANAGEMENT_CERTIFICATE = Source(
    "主要负责人、安全管理人员安全生产知识和管理能力考核合格证：有效期以证书载明为准（全国统一期限未核实）",
    "",
    UNCONFIRMED,
)
COAL_MINE = Source(
    "煤矿特种作业人员的操作证按煤矿安全监察部门的规定管理，不按30号令计算（regulations.md §9）",
    "",
    LIKELY,
)

# 特种作业目录 (30号令 附件): the 作业类别, in the catalogue's order. LIKELY: the eleven categories as reproduced
# in exam material and provincial notices; the 操作项目 under each are free text on the certificate.
SPECIAL_OPERATION_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("electrician", "电工作业"),
    ("welding", "焊接与热切割作业"),
    ("height", "高处作业"),
    ("refrigeration", "制冷与空调作业"),
    ("coal_mine", "煤矿安全作业"),
    ("metal_mine", "金属非金属矿山安全作业"),
    ("oil_gas", "石油天然气安全作业"),
    ("metallurgy", "冶金（有色）生产安全作业"),
    ("hazardous_chemicals", "危险化学品安全作业"),
    ("fireworks", "烟花爆竹安全作业"),
    ("other", "应急管理部门认定的其他作业"),
)
CATEGORIES_SOURCE = Source("《特种作业人员安全技术培训考核管理规定》附件《特种作业目录》", "", LIKELY)
