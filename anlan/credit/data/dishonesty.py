"""The 严重失信主体名单 procedure as data: where each number and list comes from and how sure we are
(`confirmed` — read in the rule itself or on an official site; `likely` — consistent secondary copies; `unconfirmed`
— not found in any copy read, kept because regulations.md §4 recalls it, and shown as such on the pages). Research
of 2026-12 with the stored public-reference search (docs/models/credit-dishonesty.md tells the story)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CONFIRMED = "confirmed"
LIKELY = "likely"
UNCONFIRMED = "unconfirmed"
CONFIDENCES = (CONFIRMED, LIKELY, UNCONFIRMED)


@dataclass(frozen=True)
class Source:
    """Where a rule was found: its title and article, a URL, and how sure we are."""

    title: str  # shown on the pages
    url: str
    confidence: str

    def __post_init__(self):
        if self.confidence not in CONFIDENCES:
            raise ValueError(f"unknown confidence {self.confidence!r}")


ORDER_11 = Source(
    _("《安全生产严重失信主体名单管理办法》(应急管理部令第11号，2023-10-01 施行) 第二条至第四条"),
    "http://www.kmsl.gov.cn/c/2024-12-31/6949432.shtml",
    CONFIRMED,
)
# The 陈述申辩 period. 11号令 requires telling the party before listing and hearing it, but no copy read gives a
# number of days; 山西's implementing rules say the 告知、送达、异议处理 follow "有关规定". The default of 5 working days
# borrows the nearest rule a county already applies to the same penalty file — 行政处罚法 第六十四条 (a hearing is
# asked for within 5 days of being told) — counted in working days as the brief asks. A county changes it.
STATEMENT_PERIOD = Source(
    _(
        "陈述申辩期限：应急管理部令第11号未见具体天数；默认 5 个工作日，参照《行政处罚法》第六十四条“告知后五日内提出”，"
        "山西省《安全生产严重失信主体名单管理制度》称告知、送达、异议处理“参照有关规定执行”"
    ),
    "http://122.224.56.14:8082/api/wap.php?U=10xD.html",
    UNCONFIRMED,
)
LISTING_PERIOD = Source(
    _(
        "管理期限3年，期满由作出列入决定的部门移出；列入满12个月可申请提前移出，弄虚作假的撤销提前移出决定、恢复列入"
        "（山西省实施制度转述全国办法，中新网 2024-10-19）"
    ),
    "http://122.224.56.14:8082/api/wap.php?U=10xD.html",
    LIKELY,
)
# regulations.md §4 recalls these; no copy of the article was found (2026-12).
REPAIR_CONDITIONS_SOURCE = Source(
    _("提前移出条件：依据应急管理部令第11号整理，条文待核对"),
    "",
    UNCONFIRMED,
)
MEASURES_SOURCE = Source(
    _("管理措施：依据应急管理部令第11号整理，措辞待核对原文"),
    "",
    UNCONFIRMED,
)
LOCAL_RULE_SOURCE = Source(
    # seed-map H6 (S2 L575).
    _("本地从严规定：“对发生较大以上事故的企业，一律实施联合惩戒”（县委、县政府部署）"),
    "",
    LIKELY,
)

# The repair conditions the deciding department confirms before an early removal (each a field of the case).
REPAIR_CONDITIONS = (
    ("penalty_fulfilled", _("已履行行政处罚决定规定的义务")),
    ("harm_removed", _("已主动消除危害后果和不良影响")),
    ("no_new_listing_event", _("未再发生应当列入严重失信主体名单的情形")),
)

# The measures applied to a listed subject (regulations.md §4, unconfirmed wording).
MEASURES = (
    _("加大执法检查频次"),
    _("限制审批项目、财政补贴和评优评先"),
    _("不适用告知承诺制等便利措施"),
    _("依法实施行业或职业禁入"),
    _("通过信用信息共享实施跨部门联合惩戒"),
)
