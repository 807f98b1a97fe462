"""The demo county (来安县): a deterministic data set to try Anlan out, train on it and take screenshots.

`build_demo(seed)` runs the demo steps that the installed modules declare (`c.demo(...)` in their
contribution, ordered by what each runs after) inside one transaction and returns a `DemoResult` that later
steps read (the county, towns, grids, departments, enterprises, users). Each step draws from its own
`random.Random` seeded with (seed, step name), so adding a step never changes another step's data.

The planning functions (`plan_regions`, `plan_enterprises`) are pure — no ORM, no clock — so the same
seed always gives the same names and codes; the `_steps` only write what they planned. Licence dates
are planned relative to `today` so that a demo built on any day shows a few expired and expiring ones.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import rules
from .contract import registry
from .models import Department, Enterprise, Grid, Industry, Licence, Membership, Person, Region, Role, User

DEFAULT_SEED = 2026
DEFAULT_PASSWORD = "anlan2026"
CHANGE_REASON = "演示数据"

COUNTY_CODE = "341122000000"  # 来安县, loaded with the national regions by migration 0002
COUNTY_NAME = "来安县"
DIVISION = COUNTY_CODE[:6]  # the 登记管理机关行政区划码 in every demo 统一社会信用代码
ADDRESS_PREFIX = "安徽省滁州市来安县"
ENTERPRISE_COUNT = 800
REFERENCE_DAY = date(2026, 6, 30)  # licence dates of a plan made without a `today`


class DemoNotEmpty(Exception):
    """The database already holds data the demo would collide with."""


# ---------------------------------------------------------------- plan: regions (pure)


def _words(text: str) -> list[str]:
    """A word list written as one space-separated string (easier to read and edit than a list of literals)."""
    return text.split()


# (town part of the code, name, kind, communities, villages, approximate centre lon/lat)
TOWNS: list[tuple[str, str, str, int, int, float, float]] = [
    ("100", "新安镇", "镇", 8, 6, 118.433, 32.452),
    ("101", "半塔镇", "镇", 2, 12, 118.560, 32.615),
    ("102", "水口镇", "镇", 2, 11, 118.470, 32.320),
    ("103", "汊河镇", "镇", 3, 11, 118.600, 32.280),
    ("104", "大英镇", "镇", 1, 11, 118.330, 32.385),
    ("105", "雷官镇", "镇", 1, 12, 118.545, 32.470),
    ("106", "施官镇", "镇", 1, 11, 118.290, 32.505),
    ("107", "舜山镇", "镇", 1, 11, 118.400, 32.575),
    ("108", "三城镇", "镇", 1, 11, 118.470, 32.640),
    ("200", "独山乡", "乡", 1, 10, 118.255, 32.430),
    ("201", "张山乡", "乡", 1, 11, 118.320, 32.625),
    ("202", "杨郢乡", "乡", 1, 11, 118.610, 32.540),
]
SEAT_TOWN = "新安镇"  # the county seat: its communities are 主城区
SEAT_COMMUNITIES = ["东关", "西关", "南关", "北关", "建阳", "永阳", "三里桥", "清流"]
OTHER_COMMUNITIES = ["新街", "老街", "滨河", "花园", "龙山", "丰乐", "振兴", "兴隆", "文昌", "新城", "嘉山"]
VILLAGE_HEADS = _words(
    "王 李 张 刘 陈 杨 高 周 吴 孙 朱 徐 马 胡 郭 何 罗 梁 宋 唐 许 邓 冯 韩 曹 彭 汪 蒋 葛 戴 "
    "大 小 前 后 东 西 南 北 新 老 上 下 双 三 五 七 "
    "桂花 白鹭 龙王 青山 红旗 枣林 柳树 杏花 桃园 荷花 松林 竹园 梅花 石门 黄泥 长山 金山 清水"
)
VILLAGE_TAILS = _words("庄 郢 岗 集 圩 洼 桥 店 塘 湾 营 庙 岭 山 埠 楼 庵 冲 坝 园 林 墩")


@dataclass(frozen=True)
class TownPlan:
    code: str
    name: str
    kind: str
    lon: float
    lat: float

    @property
    def stem(self) -> str:
        return self.name[:-1]


@dataclass(frozen=True)
class VillagePlan:
    code: str
    name: str
    kind: str  # 社区 or 村
    urban_rural_code: str
    town: TownPlan
    lon: float
    lat: float
    grid_codes: tuple[str, ...]

    @property
    def is_community(self) -> bool:
        return self.kind == "社区"


@dataclass(frozen=True)
class RegionPlan:
    towns: tuple[TownPlan, ...]
    villages: tuple[VillagePlan, ...]

    @property
    def demo_grid(self) -> tuple[str, str]:
        """(village code, grid code) of the grid worker's grid: the first grid of the seat's first community."""
        first = next(v for v in self.villages if v.town.name == SEAT_TOWN)
        return first.code, first.grid_codes[0]


def grid_name(village_name: str, grid_code: str) -> str:
    return f"{village_name}第{int(grid_code[1:])}网格"


def plan_regions(seed: int = DEFAULT_SEED) -> RegionPlan:
    """Towns, villages/communities and their grid codes of the demo county (pure: same seed, same plan)."""
    rng = random.Random(f"{seed}:regions")
    towns, villages, used = [], [], set()
    for part, name, kind, communities, village_count, lon, lat in TOWNS:
        town = TownPlan(DIVISION + part + "000", name, kind, lon, lat)
        towns.append(town)
        names = []
        if name == SEAT_TOWN:
            names += [f"{stem}社区" for stem in SEAT_COMMUNITIES[:communities]]
        else:
            names.append(f"{town.stem}社区")  # the community at the town's seat carries the town's name
            pool = [f"{stem}社区" for stem in OTHER_COMMUNITIES if f"{stem}社区" not in used]
            names += rng.sample(pool, communities - 1)
        for index, community in enumerate(names, start=1):
            used.add(community)
            urban = (
                "111" if name == SEAT_TOWN else ("121" if kind == "镇" else "210")
            )  # 主城区/镇中心区/乡中心区
            villages.append(_village(rng, town, f"{index:03d}", community, "社区", urban, lo=2, hi=2))
        for index in range(1, village_count + 1):
            village = _unique_village_name(rng, used)
            if index == 1 and name == SEAT_TOWN:
                urban = "112"  # 城乡结合区 around the county seat
            elif index == 1 and kind == "镇":
                urban = "122"  # 镇乡结合区
            else:
                urban = "220"
            villages.append(_village(rng, town, f"{200 + index:03d}", village, "村", urban, lo=1, hi=2))
    return RegionPlan(tuple(towns), tuple(villages))


def _unique_village_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS) + "村"
        if name not in used:
            used.add(name)
            return name


def _village(
    rng, town: TownPlan, part: str, name: str, kind: str, urban: str, lo: int, hi: int
) -> VillagePlan:
    spread = 0.012 if kind == "社区" else 0.04
    grids = tuple(f"G{i:02d}" for i in range(1, rng.randint(lo, hi) + 1))
    return VillagePlan(
        code=town.code[:9] + part,
        name=name,
        kind=kind,
        urban_rural_code=urban,
        town=town,
        lon=round(town.lon + rng.uniform(-spread, spread), 6),
        lat=round(town.lat + rng.uniform(-spread, spread), 6),
        grid_codes=grids,
    )


# ---------------------------------------------------------------- plan: enterprises (pure)

# How many enterprises of each main industry: many 工贸/商贸/建筑施工/人员密集场所, few 危化/烟花爆竹/非煤矿山.
INDUSTRY_COUNTS: dict[str, int] = {
    "machinery": 100,
    "light-industry": 80,
    "textile": 30,
    "building-materials": 35,
    "metallurgy": 8,
    "nonferrous": 8,
    "tobacco": 1,
    "commerce": 101,
    "construction": 75,
    "urban-construction": 10,
    "fire-key": 75,
    "road-transport": 35,
    "transport": 6,
    "waterway": 4,
    "fishing-vessel": 4,
    "hazchem-production": 8,
    "hazchem-trade": 16,
    "hazchem-use": 12,
    "fireworks": 8,
    "non-coal-mine": 6,
    "tailings": 2,
    "urban-gas": 10,
    "hazardous-waste": 6,
    "special-equipment": 12,
    "civil-explosives": 2,
    "campus": 28,
    "culture-tourism": 22,
    "medical": 24,
    "power": 4,
    "oil-gas-pipeline": 2,
    "commerce-oil": 24,
    "agriculture": 32,
    "water-conservancy": 10,
}
assert sum(INDUSTRY_COUNTS.values()) == ENTERPRISE_COUNT

# Name templates per industry. {brand} is a 字号; {town}/{stem}/{village} the place it is in.
NAME_TEMPLATES: dict[str, list[str]] = {
    "machinery": [
        "来安县{brand}机械制造有限公司",
        "安徽{brand}精密机械有限公司",
        "滁州{brand}汽车零部件有限公司",
        "来安县{brand}五金制品有限公司",
        "安徽{brand}电机有限公司",
        "来安县{brand}阀门有限公司",
        "安徽{brand}智能装备有限公司",
        "来安县{brand}模具有限公司",
        "滁州{brand}电气设备有限公司",
    ],
    "light-industry": [
        "来安县{brand}食品有限公司",
        "安徽{brand}木业有限公司",
        "来安县{brand}包装材料有限公司",
        "滁州{brand}塑业有限公司",
        "来安县{brand}家具有限公司",
        "安徽{brand}纸业有限公司",
        "来安县{brand}米业有限公司",
        "安徽{brand}酒业有限公司",
    ],
    "textile": ["来安县{brand}纺织有限公司", "安徽{brand}服饰有限公司", "来安县{brand}家纺有限公司"],
    "building-materials": [
        "来安县{brand}新型建材有限公司",
        "来安县{brand}商品混凝土有限公司",
        "安徽{brand}水泥制品有限公司",
        "滁州{brand}玻璃有限公司",
    ],
    "metallurgy": ["来安县{brand}铸造有限公司", "安徽{brand}特钢有限公司"],
    "nonferrous": ["安徽{brand}铝业有限公司", "来安县{brand}铜业有限公司"],
    "tobacco": ["安徽省烟草公司滁州市公司来安县分公司"],
    "commerce": [
        "来安县{brand}商贸有限公司",
        "来安县{brand}超市",
        "{stem}{brand}便利店",
        "来安县{brand}五金建材经营部",
        "来安县{brand}农资经营部",
        "安徽{brand}供应链管理有限公司",
        "来安县{brand}家电商场",
    ],
    "construction": [
        "安徽{brand}建设工程有限公司",
        "来安县{brand}建筑安装工程有限公司",
        "滁州{brand}建工集团有限公司",
        "来安县{brand}建筑劳务有限公司",
        "安徽{brand}装饰工程有限公司",
    ],
    "urban-construction": ["来安县{brand}市政工程有限公司", "来安县{brand}园林绿化工程有限公司"],
    "fire-key": [
        "来安县{brand}大酒店",
        "来安县{brand}宾馆",
        "来安县{brand}购物广场",
        "来安县{brand}养老服务中心",
        "来安县{brand}娱乐会所",
        "{stem}{brand}商务酒店",
        "来安县{brand}农贸市场",
    ],
    "road-transport": [
        "来安县{brand}运输有限公司",
        "安徽{brand}物流有限公司",
        "来安县{brand}汽车运输有限公司",
        "来安县{brand}客运有限公司",
        "来安县{brand}危险货物运输有限公司",
    ],
    "transport": ["来安县{brand}港务有限公司", "来安县{brand}仓储有限公司"],
    "waterway": ["来安县{brand}航运有限公司"],
    "fishing-vessel": ["来安县{stem}{brand}渔业专业合作社"],
    "hazchem-production": [
        "安徽{brand}化工有限公司",
        "安徽{brand}新材料科技有限公司",
        "滁州{brand}化学有限公司",
    ],
    "hazchem-trade": ["来安县{brand}化工贸易有限公司", "滁州{brand}气体有限公司", "来安县{brand}化工经营部"],
    "hazchem-use": [
        "安徽{brand}涂装科技有限公司",
        "来安县{brand}电镀有限公司",
        "安徽{brand}医药科技有限公司",
    ],
    "fireworks": ["来安县{brand}烟花爆竹经营部", "来安县{brand}烟花爆竹批发有限公司"],
    "non-coal-mine": ["来安县{brand}石料有限公司", "来安县{brand}矿业有限公司"],
    "tailings": ["来安县{brand}矿业有限公司"],
    "urban-gas": ["来安县{brand}燃气有限公司", "来安县{stem}{brand}液化气站"],
    "hazardous-waste": ["安徽{brand}环保科技有限公司", "来安县{brand}再生资源回收有限公司"],
    "special-equipment": [
        "来安县{brand}电梯工程有限公司",
        "来安县{brand}热力有限公司",
        "安徽{brand}起重设备有限公司",
    ],
    "civil-explosives": ["来安县民用爆破器材专营有限公司", "安徽{brand}爆破工程有限公司"],
    "campus": ["来安县{town}中心小学", "来安县{town}初级中学", "来安县{village}小学", "来安县{brand}幼儿园"],
    "culture-tourism": [
        "来安县{brand}旅行社有限公司",
        "来安县{brand}网吧",
        "来安县{brand}影城",
        "来安县{brand}生态旅游有限公司",
        "来安县{brand}文化传媒有限公司",
    ],
    "medical": ["来安县{town}卫生院", "来安县{brand}诊所", "来安县{brand}口腔门诊部", "来安{brand}医院"],
    "power": ["来安县{brand}光伏电力有限公司", "来安县{brand}新能源有限公司"],
    "oil-gas-pipeline": ["来安县{brand}天然气管道有限公司"],
    "commerce-oil": [
        "中国石化销售股份有限公司安徽滁州来安{stem}加油站",
        "中国石油天然气股份有限公司安徽滁州来安{brand}加油站",
        "来安县{brand}加油站",
    ],
    "agriculture": [
        "来安县{brand}家庭农场",
        "来安县{village}{brand}养殖专业合作社",
        "安徽{brand}农业科技有限公司",
        "来安县{brand}农机专业合作社",
    ],
    "water-conservancy": ["来安县{brand}水利工程有限公司", "来安县{brand}水库管理所"],
}
# Well-known units a county has exactly one of, placed first in their industry.
SINGLETONS: dict[str, list[str]] = {
    "medical": ["来安县人民医院", "来安县中医院", "来安县妇幼保健院"],
    "campus": ["来安县第一中学", "来安县第二中学", "来安县职业教育中心"],
    "power": ["国网安徽省电力有限公司来安县供电公司"],
    "culture-tourism": ["来安县白鹭岛生态旅游区"],
    "urban-gas": ["来安县华润燃气有限公司"],
}
BRANDS = _words(
    "恒达 华泰 鑫源 永盛 宏图 金鼎 瑞丰 天元 嘉禾 众诚 明辉 鼎盛 润泽 泰和 顺通 祥瑞 国润 安信 荣昌 佳美 "
    "皖东 滁山 嘉山 龙山 永阳 金泰 亿达 中远 精工 博远 晨光 兴业 德信 正邦 宏达 凯盛 诚信 天成 金诚 华源 "
    "明珠 东方 广源 立信 海川 昌盛 福润 中天 盛源 同创 远航 万通 聚力 恒通 三和 金桥 大地 春晖 锦绣 蓝天 "
    "绿源 青松 丰收 国泰 汇通 宏远 利民 新时代 明德 诚达 伟业 富源 和顺 隆泰 开元 通达 华宇 飞龙 腾达 "
    "星辰 泉源 长城 鸿运 金马 友谊 信达 恒昌 嘉信 华盛 万达隆 安康 百信 卓越 永泰 金诺 瑞祥 振华 德润 "
    "科达 天润 华美 银河 亚太 长青 兴旺 合力 宝丰 鑫泰 乐天 丰源 顺达 宏盛 金源 益民 昊天 智联 康宁"
)
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严武戴孔汤葛"
)
GIVEN = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 兰 建 国 文 红 "
    "志 林 海 峰 斌 亮 辉 鹏 飞 云 春 晓 东 宇 浩 凯 俊 斌 新 民 立 成 荣 德 福 宏 永 佳 欣 雪"
)
PHONE_PREFIXES = _words(
    "133 135 136 137 138 139 150 151 152 155 156 157 158 159 177 180 181 182 183 185 186 187 188 189 199"
)
SEAT_ROADS = _words(
    "永阳东路 永阳西路 建设路 龙山路 东大街 西大街 南大街 北大街 迎宾大道 清流路 嘉山路 阳明路 东环路 西环路 花园路"
)
TOWN_ROADS = _words("人民路 中心街 新街 老街 幸福路 振兴路 商贸街 文化路")
PARK_ROADS = _words("工业大道 创业路 科技路 经开大道 纬一路 纬二路 经三路 东方大道 汊河大道 金桥路")
GROUP_NUMBERS = _words("一 二 三 四 五 六 七 八 九 十 十一 十二")

# Where some industries are: mines in the hilly west and north, fishing along the Chu River.
INDUSTRY_TOWNS: dict[str, tuple[str, ...]] = {
    "non-coal-mine": ("施官镇", "张山乡", "舜山镇", "大英镇"),
    "tailings": ("施官镇", "舜山镇"),
    "fishing-vessel": ("水口镇", "汊河镇"),
    "waterway": ("汊河镇", "水口镇"),
    "hazchem-production": ("汊河镇", "新安镇"),
    "hazardous-waste": ("汊河镇", "新安镇"),
}
# Industries that sit mostly in towns' communities (urban) and those that sit in the park roads.
URBAN_INDUSTRIES = frozenset(
    {
        "commerce",
        "fire-key",
        "medical",
        "culture-tourism",
        "campus",
        "commerce-oil",
        "special-equipment",
        "urban-gas",
    }
)
PARK_INDUSTRIES = frozenset(
    {
        "machinery",
        "light-industry",
        "textile",
        "building-materials",
        "metallurgy",
        "nonferrous",
        "hazchem-production",
        "hazchem-use",
        "hazardous-waste",
    }
)
TOWN_WEIGHTS = {"新安镇": 3.0, "汊河镇": 2.5, "乡": 0.6}
# Second industries an enterprise of a main industry often also has (probability, candidates).
OTHER_INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "machinery": (0.25, ("special-equipment", "hazchem-use")),
    "light-industry": (0.15, ("special-equipment", "hazchem-use")),
    "textile": (0.15, ("special-equipment",)),
    "building-materials": (0.2, ("special-equipment", "non-coal-mine")),
    "metallurgy": (0.5, ("special-equipment",)),
    "construction": (0.3, ("special-equipment",)),
    "commerce": (0.15, ("fire-key",)),
    "commerce-oil": (0.5, ("hazchem-trade",)),
    "campus": (0.6, ("fire-key",)),
    "medical": (0.5, ("fire-key", "special-equipment")),
    "culture-tourism": (0.4, ("fire-key",)),
    "hazchem-production": (0.4, ("special-equipment", "hazardous-waste")),
    "road-transport": (0.1, ("hazchem-trade",)),
    "agriculture": (0.1, ("fishing-vessel",)),
}
# Share of 规模以上 units by main industry (the rest are 小微; shops and clinics are 个体工商户 by name).
ABOVE_SCALE_SHARE = {
    **dict.fromkeys(PARK_INDUSTRIES, 0.25),
    "construction": 0.25,
    "road-transport": 0.2,
    "hazchem-production": 0.5,
    "power": 0.5,
    "campus": 0.3,
    "medical": 0.2,
}
STATUS_WEIGHTS = {
    Enterprise.Status.OPERATING: 92,
    Enterprise.Status.SUSPENDED: 4.5,
    Enterprise.Status.CLOSED: 2.5,
    Enterprise.Status.DEREGISTERED: 1,
}
# Licences by main industry: (kind, issued by, term in years, number pattern).
LICENCES: dict[str, list[tuple[str, str, int, str]]] = {
    "hazchem-production": [
        (Licence.Kind.SAFETY_PRODUCTION, "安徽省应急管理厅", 3, "(皖)WH安许证字〔{year}〕{n:04d}号")
    ],
    "hazchem-trade": [
        (Licence.Kind.HAZCHEM_OPERATION, "滁州市应急管理局", 3, "皖滁危化经字〔{year}〕{n:03d}号")
    ],
    "hazchem-use": [(Licence.Kind.HAZCHEM_USE, "滁州市应急管理局", 3, "皖滁危化使字〔{year}〕{n:03d}号")],
    "commerce-oil": [
        (Licence.Kind.HAZCHEM_OPERATION, "滁州市应急管理局", 3, "皖滁危化经字〔{year}〕{n:03d}号")
    ],
    "fireworks": [
        (Licence.Kind.FIREWORKS_OPERATION, "来安县应急管理局", 2, "(皖)YH经许证字〔{year}〕{n:04d}号")
    ],
    "non-coal-mine": [
        (Licence.Kind.SAFETY_PRODUCTION, "安徽省应急管理厅", 3, "(皖)FM安许证字〔{year}〕{n:04d}号"),
        (Licence.Kind.MINING, "滁州市自然资源和规划局", 5, "C341100{year}{n:010d}"),
    ],
    "tailings": [
        (Licence.Kind.SAFETY_PRODUCTION, "安徽省应急管理厅", 3, "(皖)FM安许证字〔{year}〕{n:04d}号")
    ],
    "urban-gas": [(Licence.Kind.GAS_OPERATION, "来安县住房和城乡建设局", 3, "皖{year}341122{n:04d}G")],
    "construction": [
        (Licence.Kind.CONSTRUCTION_SAFETY, "安徽省住房和城乡建设厅", 3, "(皖)JZ安许证字〔{year}〕{n:06d}")
    ],
    "road-transport": [
        (Licence.Kind.ROAD_TRANSPORT, "来安县交通运输局", 4, "皖交运管许可滁字341122{n:06d}号")
    ],
}


@dataclass(frozen=True)
class LicencePlan:
    kind: str
    number: str
    issued_by: str
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class EnterprisePlan:
    uscc: str
    name: str
    village_code: str
    grid_code: str
    industry: str  # Industry.code
    other_industries: tuple[str, ...]
    address: str
    longitude: Decimal
    latitude: Decimal
    scale: str
    employees: int
    legal_representative: str
    principal: str
    principal_phone: str
    safety_manager: str
    safety_manager_phone: str
    status: str
    has_major_hazard_source: bool
    is_crowded_place: bool
    licences: tuple[LicencePlan, ...]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def id_number(seed: int, index: int, division: str = DIVISION) -> str:
    """A valid 居民身份证号码 for the index-th demo principal: born in the county (division) on one of 12 000 days
    from 1960-01-01, the day a permutation of the index (unique below 12 000) shifted by the seed; the check
    character per GB 11643-1999 (`rules.id_number_check_character`)."""
    born = date(1960, 1, 1) + timedelta(days=(index * 7919 + seed) % 12000)
    first17 = f"{division}{born:%Y%m%d}{index // 12000 % 1000:03d}"
    return first17 + rules.id_number_check_character(first17)


def phone_number(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def uscc_kind(name: str) -> tuple[str, str]:
    """(登记管理部门码, 机构类别码) of GB 32100 that a unit with this name would have."""
    if "合作社" in name:
        return "9", "3"  # 农民专业合作社
    public = name.startswith("来安县") and name.endswith(
        ("小学", "中学", "教育中心", "医院", "卫生院", "保健院", "管理所")
    )
    if public:
        return "1", "2"  # 事业单位 (机构编制)
    if name.endswith(("幼儿园", "医院")):
        return "5", "2"  # 民办非企业单位 (private kindergartens and hospitals)
    if name.endswith(("经营部", "超市", "便利店", "诊所", "门诊部", "家庭农场", "网吧", "液化气站", "商场")):
        return "9", "2"  # 个体工商户
    return "9", "1"  # 企业


def plan_enterprises(
    seed: int = DEFAULT_SEED, regions: RegionPlan | None = None, *, today: date | None = None
) -> list[EnterprisePlan]:
    """The demo county's enterprises (pure: same seed and `today`, same list; USCCs do not depend on `today`)."""
    regions = regions or plan_regions(seed)
    today = today or REFERENCE_DAY
    rng = random.Random(f"{seed}:enterprises")
    villages_by_town: dict[str, list[VillagePlan]] = {}
    for village in regions.villages:
        villages_by_town.setdefault(village.town.name, []).append(village)
    towns = {town.name: town for town in regions.towns}

    industries = [code for code, count in INDUSTRY_COUNTS.items() for _ in range(count)]
    rng.shuffle(industries)
    placements = [_place(rng, code, towns, villages_by_town) for code in industries]

    # The grid worker's grid holds the first construction enterprise (the demo enterprise user's)
    # and several others of the seat town, so both logins have something to look at.
    demo_village_code, demo_grid_code = regions.demo_grid
    demo_village = next(v for v in regions.villages if v.code == demo_village_code)
    first_construction = industries.index("construction")
    placements[first_construction] = (demo_village, demo_grid_code)
    movable = [
        i
        for i, (village, _grid) in enumerate(placements)
        if village.town.name == SEAT_TOWN and i != first_construction and industries[i] not in SINGLETONS
    ]
    for i in movable[:7]:
        placements[i] = (demo_village, demo_grid_code)

    names: set[str] = set()
    org_bodies: set[str] = set()
    singles = {code: list(items) for code, items in SINGLETONS.items()}
    plans = []
    for index, (code, (village, grid_code)) in enumerate(zip(industries, placements, strict=True)):
        single = bool(singles.get(code))
        name = singles[code].pop(0) if single else _enterprise_name(rng, code, village, names)
        names.add(name)
        plan = _enterprise(rng, code, name, village, grid_code, org_bodies, today)
        if single:  # the county hospital, the power company …: large and open
            employees = min(300 + int(rng.expovariate(1 / 300)), 2000)
            plan = replace(
                plan,
                status=Enterprise.Status.OPERATING,
                scale=Enterprise.Scale.LARGE if employees >= 1000 else Enterprise.Scale.MEDIUM,
                employees=employees,
            )
        elif index == first_construction:  # the demo enterprise login's company is open
            plan = replace(plan, status=Enterprise.Status.OPERATING)
        plans.append(plan)
    return plans


def _place(rng, code: str, towns: dict[str, TownPlan], villages_by_town) -> tuple[VillagePlan, str]:
    candidates = INDUSTRY_TOWNS.get(code) or tuple(towns)
    weights = [
        TOWN_WEIGHTS.get(name, TOWN_WEIGHTS["乡"] if towns[name].kind == "乡" else 1.0) for name in candidates
    ]
    town = rng.choices(candidates, weights)[0]
    villages = villages_by_town[town]
    urban = code in URBAN_INDUSTRIES
    village_weights = [(4.0 if urban else 1.5) if v.is_community else 1.0 for v in villages]
    village = rng.choices(villages, village_weights)[0]
    return village, rng.choice(village.grid_codes)


def _enterprise_name(rng, code: str, village: VillagePlan, used: set[str]) -> str:
    templates = NAME_TEMPLATES[code]
    for _attempt in range(200):
        template = rng.choice(templates)
        name = template.format(
            brand=rng.choice(BRANDS),
            town=village.town.name,
            stem=village.town.stem,
            village=village.name[:-1],
        )
        if name not in used:
            return name
    raise RuntimeError(f"no unused name left for industry {code}")  # pragma: no cover - pools are ample


def _enterprise(rng, code, name, village: VillagePlan, grid_code, org_bodies, today) -> EnterprisePlan:
    department, category = uscc_kind(name)
    while True:
        if (
            rng.random() < 0.75
        ):  # codes issued since 2015 carry "MA" and a serial; older ones keep the old 8 digits
            body = "MA" + "".join(rng.choice(rules.USCC_CHARSET) for _ in range(6))
        else:
            body = f"{rng.randrange(10**8):08d}"
        if body not in org_bodies:
            org_bodies.add(body)
            break
    uscc = rules.make_uscc(department, category, DIVISION, body)

    if department + category == "92":
        scale = Enterprise.Scale.INDIVIDUAL
    else:
        above = ABOVE_SCALE_SHARE.get(code, 0.05)
        scale = Enterprise.Scale.MEDIUM if rng.random() < above else Enterprise.Scale.SMALL
    employees = {
        Enterprise.Scale.INDIVIDUAL: lambda: rng.randint(1, 8),
        Enterprise.Scale.SMALL: lambda: rng.randint(5, 95),
        Enterprise.Scale.MEDIUM: lambda: min(100 + int(rng.expovariate(1 / 180)), 1500),
    }[scale]()
    # The class by head count (the 工业 thresholds of the 划分办法: 1000 / 300 / 20 人).
    if scale == Enterprise.Scale.MEDIUM:
        scale = (
            Enterprise.Scale.LARGE
            if employees >= 1000
            else scale
            if employees >= 300
            else Enterprise.Scale.SMALL
        )
    elif scale == Enterprise.Scale.SMALL and employees < 20:
        scale = Enterprise.Scale.MICRO

    principal = person_name(rng)
    legal = principal if rng.random() < 0.6 else person_name(rng)
    safety_manager = person_name(rng) if scale != Enterprise.Scale.INDIVIDUAL else principal
    principal_phone = phone_number(rng)
    safety_phone = phone_number(rng) if safety_manager != principal else principal_phone

    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    major = (code in ("hazchem-production", "hazchem-trade") and rng.random() < 0.45) or (
        code == "urban-gas" and rng.random() < 0.2
    )
    crowded = code == "fire-key" or (
        (code in ("culture-tourism", "campus") and rng.random() < 0.8)
        or (code in ("commerce", "medical") and rng.random() < 0.3)
    )
    probability, candidates = OTHER_INDUSTRIES.get(code, (0.0, ()))
    others = (rng.choice(candidates),) if candidates and rng.random() < probability else ()
    if crowded and code != "fire-key" and "fire-key" not in others and rng.random() < 0.5:
        others += ("fire-key",)

    licences = tuple(
        _licence(rng, kind, issued_by, term, pattern, today)
        for kind, issued_by, term, pattern in LICENCES.get(code, [])
    )
    return EnterprisePlan(
        uscc=uscc,
        name=name,
        village_code=village.code,
        grid_code=grid_code,
        industry=code,
        other_industries=others,
        address=_address(rng, code, village),
        longitude=Decimal(f"{village.lon + rng.uniform(-0.008, 0.008):.6f}"),
        latitude=Decimal(f"{village.lat + rng.uniform(-0.008, 0.008):.6f}"),
        scale=scale,
        employees=employees,
        legal_representative=legal,
        principal=principal,
        principal_phone=principal_phone,
        safety_manager=safety_manager,
        safety_manager_phone=safety_phone,
        status=status,
        has_major_hazard_source=major,
        is_crowded_place=crowded,
        licences=licences,
    )


def _address(rng, code: str, village: VillagePlan) -> str:
    place = ADDRESS_PREFIX + village.town.name + village.name
    if code in PARK_INDUSTRIES and village.town.name in ("新安镇", "汊河镇"):
        park = "来安经济开发区" if village.town.name == "新安镇" else "汊河经济开发区"
        return f"{ADDRESS_PREFIX}{village.town.name}{park}{rng.choice(PARK_ROADS)}{rng.randint(1, 300)}号"
    if village.is_community:
        roads = SEAT_ROADS if village.town.name == SEAT_TOWN else TOWN_ROADS
        return f"{place}{rng.choice(roads)}{rng.randint(1, 399)}号"
    return f"{place}{rng.choice(GROUP_NUMBERS)}组"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _licence(rng, kind, issued_by, term, pattern, today: date) -> LicencePlan:
    roll = rng.random()
    if roll < 0.08:
        days = rng.randint(-240, -1)  # expired
    elif roll < 0.2:
        days = rng.randint(0, 90)  # expiring soon
    else:
        days = rng.randint(91, term * 365)
    valid_until = today + timedelta(days=days)
    valid_from = _years_before(valid_until, term) + timedelta(days=1)
    number = pattern.format(year=valid_from.year, n=rng.randint(1, 999))
    return LicencePlan(kind, number, issued_by, valid_from, valid_until)


# ---------------------------------------------------------------- plan: departments and users

# (name, short name, kind, supervised industry codes, duty phone) — 三管三必须 in the county.
DEPARTMENTS: list[tuple[str, str, str, tuple[str, ...], str]] = [
    ("来安县安全生产委员会办公室", "县安委办", Department.Kind.COMPREHENSIVE, (), "0550-5621110"),
    # As a comprehensive department it sees every industry; the codes record what it also supervises directly.
    (
        "来安县应急管理局",
        "应急管理局",
        Department.Kind.COMPREHENSIVE,
        ("hazchem", "fireworks", "non-coal-mine", "industry-trade"),
        "0550-5622119",
    ),
    (
        "来安县住房和城乡建设局",
        "住建局",
        Department.Kind.INDUSTRY,
        ("construction", "urban-construction", "urban-gas"),
        "0550-5612345",
    ),
    (
        "来安县交通运输局",
        "交通运输局",
        Department.Kind.INDUSTRY,
        ("road-transport", "transport"),
        "0550-5613456",
    ),
    ("来安县市场监督管理局", "市场监管局", Department.Kind.INDUSTRY, ("special-equipment",), "0550-5614567"),
    ("来安县消防救援大队", "消防救援大队", Department.Kind.INDUSTRY, ("fire-key",), "0550-5619119"),
    (
        "来安县经济和信息化局",
        "经信局",
        Department.Kind.INDUSTRY,
        (
            "machinery",
            "light-industry",
            "textile",
            "building-materials",
            "metallurgy",
            "nonferrous",
            "civil-explosives",
            "industrial-park",
        ),
        "0550-5615678",
    ),
    ("来安县商务局", "商务局", Department.Kind.INDUSTRY, ("commerce", "commerce-oil"), "0550-5616789"),
    ("来安县烟草专卖局", "烟草专卖局", Department.Kind.INDUSTRY, ("tobacco",), "0550-5617890"),
    ("来安县教育体育局", "教体局", Department.Kind.INDUSTRY, ("campus",), "0550-5621234"),
    ("来安县文化和旅游局", "文旅局", Department.Kind.INDUSTRY, ("culture-tourism",), "0550-5622345"),
    ("来安县卫生健康委员会", "卫健委", Department.Kind.INDUSTRY, ("medical",), "0550-5623456"),
    (
        "来安县农业农村局",
        "农业农村局",
        Department.Kind.INDUSTRY,
        ("agriculture", "fishing-vessel"),
        "0550-5624567",
    ),
    ("来安县水利局", "水利局", Department.Kind.INDUSTRY, ("water-conservancy",), "0550-5625678"),
    ("来安县自然资源和规划局", "自然资源局", Department.Kind.INDUSTRY, ("non-coal-mine",), "0550-5626789"),
    (
        "滁州市来安县生态环境分局",
        "生态环境分局",
        Department.Kind.INDUSTRY,
        ("hazardous-waste",),
        "0550-5627890",
    ),
    (
        "来安县发展和改革委员会",
        "发改委",
        Department.Kind.INDUSTRY,
        ("power", "oil-gas-pipeline"),
        "0550-5628901",
    ),
    # 公安: purchase/transport permits for 民用爆炸物品 and 烟花爆竹 (road traffic itself is not an industry here).
    ("来安县公安局", "公安局", Department.Kind.INDUSTRY, ("civil-explosives", "fireworks"), "0550-5629110"),
    ("来安县总工会", "总工会", Department.Kind.MEMBER, (), "0550-5631234"),
    ("来安县人民检察院", "检察院", Department.Kind.MEMBER, (), "0550-5632345"),
    ("中共来安县委宣传部", "县委宣传部", Department.Kind.MEMBER, (), "0550-5633456"),
]

PRINCIPAL_TITLE = "主要负责人"

# (username, real name, role or None for the superuser, anchor, title). Anchors: "county", a town name,
# a department short name, "grid" (the demo grid), "enterprise" (the demo enterprise) or None.
USERS: list[tuple[str, str, str | None, str | None, str]] = [
    ("admin", "系统管理员", None, None, ""),
    ("anweiban", "陈立华", Role.COMMITTEE_OFFICE, "county", "安委办"),
    ("yingji", "王建国", Role.COMMITTEE_OFFICE, "county", "应急管理局"),
    ("lingdao", "刘志强", Role.LEADER, "county", "分管副县长"),
    ("zhujian", "张海峰", Role.DEPARTMENT, "住建局", "建筑安全监管股"),
    ("jiaotong", "李明", Role.DEPARTMENT, "交通运输局", "安全监督科"),
    ("xinan", "周晓东", Role.TOWN, "新安镇", "应急管理办公室"),
    ("banta", "吴春华", Role.TOWN, "半塔镇", "应急管理办公室"),
    ("wangge", "孙丽", Role.GRID_WORKER, "grid", "专职网格员"),
    (
        "qiye",
        "",
        Role.ENTERPRISE,
        "enterprise",
        "安全管理人员",
    ),  # named after the enterprise's safety manager
    # The demo enterprise's 主要负责人, whose own account signs its 隐患排查治理统计分析表 (16号令 第十四条).
    ("fuzeren", "", Role.ENTERPRISE, "enterprise", PRINCIPAL_TITLE),
    ("zhuanjia", "赵国平", Role.EXPERT, None, "注册安全工程师"),
]
DEMO_USERNAMES = [row[0] for row in USERS]


# ---------------------------------------------------------------- build


@dataclass
class DemoResult:
    """What the demo built, for later steps and for the command's summary."""

    seed: int
    today: date
    password: str
    county: Region | None = None
    towns: dict[str, Region] = field(default_factory=dict)  # by name
    villages: dict[str, Region] = field(default_factory=dict)  # by code
    grids: dict[tuple[str, str], Grid] = field(default_factory=dict)  # by (village code, grid code)
    demo_grid: Grid | None = None
    industries: dict[str, Industry] = field(default_factory=dict)  # by code
    departments: dict[str, Department] = field(default_factory=dict)  # by short name
    enterprises: list[Enterprise] = field(default_factory=list)
    demo_enterprise: Enterprise | None = None
    users: dict[str, User] = field(default_factory=dict)  # by username
    counts: dict[str, int] = field(default_factory=dict)  # label → rows, in build order

    def random(self, step: str) -> random.Random:
        """The step's own generator, so one step's draws never shift another's."""
        return random.Random(f"{self.seed}:{step}")


def bulk(model, objs: list, batch_size: int = 500) -> list:
    """bulk_create with one history row per object (actor: system; reason: 演示数据)."""
    return bulk_create_with_history(
        objs, model, batch_size=batch_size, default_user=None, default_change_reason=CHANGE_REASON
    )


def regions_step(demo: DemoResult) -> None:
    plan = plan_regions(demo.seed)
    demo.county = Region.objects.get(pk=COUNTY_CODE)
    towns = bulk(
        Region,
        [
            Region(code=t.code, name=t.name, level=Region.Level.TOWN, parent=demo.county, kind=t.kind)
            for t in plan.towns
        ],
    )
    demo.towns = {town.name: town for town in towns}
    by_town_code = {town.code: town for town in towns}
    villages = bulk(
        Region,
        [
            Region(
                code=v.code,
                name=v.name,
                level=Region.Level.VILLAGE,
                parent=by_town_code[v.town.code],
                kind=v.kind,
                urban_rural_code=v.urban_rural_code,
            )
            for v in plan.villages
        ],
    )
    demo.villages = {village.code: village for village in villages}
    grids = bulk(
        Grid,
        [
            Grid(
                region=demo.villages[v.code],
                code=code,
                name=grid_name(v.name, code),
                description=f"{v.town.name}{v.name}{'辖区' if v.is_community else '村域'}（演示）",
            )
            for v in plan.villages
            for code in v.grid_codes
        ],
    )
    demo.grids = {(grid.region_id, grid.code): grid for grid in grids}
    demo.demo_grid = demo.grids[plan.demo_grid]
    demo.counts[_("乡镇(街道)")] = len(towns)
    demo.counts[_("村(社区)")] = len(villages)
    demo.counts[_("网格")] = len(grids)


def departments_step(demo: DemoResult) -> None:
    demo.industries = {industry.code: industry for industry in Industry.objects.all()}
    departments = bulk(
        Department,
        [
            Department(name=name, short_name=short, region=demo.county, kind=kind, phone=phone)
            for name, short, kind, _codes, phone in DEPARTMENTS
        ],
    )
    demo.departments = {department.short_name: department for department in departments}
    through = Department.industries.through
    through.objects.bulk_create(
        [
            through(department_id=department.pk, industry_id=demo.industries[code].pk)
            for department, (_n, _s, _k, codes, _p) in zip(departments, DEPARTMENTS, strict=True)
            for code in codes
        ]
    )
    demo.counts[_("部门")] = len(departments)


def enterprises_step(demo: DemoResult) -> None:
    plans = plan_enterprises(demo.seed, plan_regions(demo.seed), today=demo.today)
    principals = bulk(
        Person,
        [
            Person(id_number=id_number(demo.seed, index), name=p.principal, phone=p.principal_phone)
            for index, p in enumerate(plans)
        ],
    )
    enterprises = bulk(
        Enterprise,
        [
            Enterprise(
                uscc=p.uscc,
                name=p.name,
                region=demo.villages[p.village_code],
                grid=demo.grids[(p.village_code, p.grid_code)],
                address=p.address,
                longitude=p.longitude,
                latitude=p.latitude,
                industry=demo.industries[p.industry],
                scale=p.scale,
                employees=p.employees,
                legal_representative=p.legal_representative,
                principal=principal,
                principal_phone=p.principal_phone,
                safety_manager=p.safety_manager,
                safety_manager_phone=p.safety_manager_phone,
                status=p.status,
                has_major_hazard_source=p.has_major_hazard_source,
                is_crowded_place=p.is_crowded_place,
            )
            for p, principal in zip(plans, principals, strict=True)
        ],
    )
    through = Enterprise.other_industries.through
    through.objects.bulk_create(
        [
            through(enterprise_id=enterprise.pk, industry_id=demo.industries[code].pk)
            for enterprise, p in zip(enterprises, plans, strict=True)
            for code in p.other_industries
        ]
    )
    licences = bulk(
        Licence,
        [
            Licence(
                enterprise=enterprise,
                kind=lp.kind,
                number=lp.number,
                issued_by=lp.issued_by,
                valid_from=lp.valid_from,
                valid_until=lp.valid_until,
            )
            for enterprise, p in zip(enterprises, plans, strict=True)
            for lp in p.licences
        ],
    )
    demo.enterprises = enterprises
    demo.demo_enterprise = next(
        e for e in enterprises if e.grid_id == demo.demo_grid.pk and e.industry.code == "construction"
    )
    demo.counts[_("生产经营单位")] = len(enterprises)
    demo.counts[_("人员")] = len(principals)
    demo.counts[_("证照")] = len(licences)


def users_step(demo: DemoResult) -> None:
    password = make_password(demo.password)  # one hash for all: the demo password is public anyway
    anchors = {
        "county": demo.county,
        "grid": demo.demo_grid,
        "enterprise": demo.demo_enterprise,
        **demo.towns,
        **demo.departments,
    }
    for username, real_name, role, anchor_key, title in USERS:
        anchor = anchors.get(anchor_key)
        principal = role == Role.ENTERPRISE and title == PRINCIPAL_TITLE
        phone = ""
        if principal:
            real_name, phone = anchor.principal.name, anchor.principal_phone
        elif role == Role.ENTERPRISE:
            real_name, phone = anchor.safety_manager, anchor.safety_manager_phone
        user = User(
            username=username,
            real_name=real_name,
            password=password,
            is_staff=role is None,
            is_superuser=role is None,
            phone=phone,
        )
        user.save()
        if principal:  # the registry's Person gets the account (Enterprise.principal → Person.user)
            person = anchor.principal
            person.user = user
            person._change_reason = CHANGE_REASON
            person.save()
        demo.users[username] = user
        if role is None:
            continue
        membership = Membership(user=user, role=role, title=title)
        if isinstance(anchor, Region):
            membership.region = anchor
            if role == Role.COMMITTEE_OFFICE:  # which office of the county the person works in
                membership.department = demo.departments["县安委办" if title == "安委办" else "应急管理局"]
        elif isinstance(anchor, Department):
            membership.department = anchor
        elif isinstance(anchor, Grid):
            membership.grid = anchor
        elif isinstance(anchor, Enterprise):
            membership.enterprise = anchor
        membership.full_clean()
        membership._change_reason = CHANGE_REASON
        membership.save()
    demo.counts[_("用户")] = len(demo.users)


def build_demo(
    seed: int = DEFAULT_SEED, *, password: str = DEFAULT_PASSWORD, today: date | None = None
) -> DemoResult:
    """Build the demo county into an empty database, all or nothing."""
    demo = DemoResult(seed=seed, today=today or timezone.localdate(), password=password)
    blockers = demo_blockers()
    if blockers:
        raise DemoNotEmpty("".join(blockers))
    with transaction.atomic():
        for step in registry().ordered_demo_steps:
            import_string(step.path)(demo)
    return demo


def demo_blockers() -> list[str]:
    """Why the demo cannot be built here (empty when it can)."""
    reasons = []
    if not Region.objects.filter(pk=COUNTY_CODE).exists():
        reasons.append(
            _("缺少区划 %(code)s（%(name)s），请先执行 migrate。")
            % {"code": COUNTY_CODE, "name": COUNTY_NAME}
        )
    if Enterprise.objects.exists():
        reasons.append(_("数据库中已有生产经营单位。"))
    if Region.objects.filter(parent_id=COUNTY_CODE).exists():
        reasons.append(_("%(name)s下已有乡镇(街道)。") % {"name": COUNTY_NAME})
    taken = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        reasons.append(_("用户名已存在：%(names)s。") % {"names": "、".join(sorted(taken))})
    return reasons


# ---------------------------------------------------------------- the logins table


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    where: str


def demo_logins() -> list[Login]:
    """The demo users found in the database, with their role and where it applies, in `USERS` order."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related(
            "memberships__region__parent",
            "memberships__department",
            "memberships__enterprise",
            "memberships__grid__region__parent",
        )
    }
    logins = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        if user.is_superuser:
            logins.append(Login(username, _("超级管理员"), _("全部")))
            continue
        for membership in user.memberships.all():
            logins.append(Login(username, str(membership.get_role_display()), _where(membership)))
    return logins


def _where(membership: Membership) -> str:
    if membership.role == Role.GRID_WORKER:
        village = membership.grid.region
        return f"{village.parent.name} {membership.grid.name}"
    if membership.role == Role.EXPERT:
        return _("指派的会诊案件")
    if membership.role == Role.COMMITTEE_OFFICE and membership.department_id:
        return f"{membership.region.name} · {membership.department.name}"
    anchor = membership.anchor
    return str(anchor) if anchor is not None else "—"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins: list[Login]) -> str:
    """A plain-text table that lines up in a terminal (CJK characters count double)."""
    header = Login(_("用户名"), _("角色"), _("范围"))
    rows = [header, *logins]
    widths = [max(_width(getattr(row, name)) for row in rows) for name in ("username", "role")]
    lines = []
    for index, row in enumerate(rows):
        lines.append(f"{_pad(row.username, widths[0])}  {_pad(row.role, widths[1])}  {row.where}".rstrip())
        if index == 0:
            lines.append("-" * (widths[0] + widths[1] + 4 + max(_width(r.where) for r in rows)))
    return "\n".join(lines)
