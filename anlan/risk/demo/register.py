"""Demo step `risk_register`: the 双重预防 risk registers of the demo county's hazardous-chemical and high-risk
enterprises (危险化学品, 烟花爆竹, 非煤矿山, 城镇燃气, and any with a 重大危险源) — several points each, assessed by
LEC and LS, every colour present, with control measures at their 管控层级 and the checks that test them, placed on
a site plan drawn here with Pillow. The demo enterprise (`qiye`) gets a small register with one point still to
assess, so its 待办 and its four-colour map have something to show."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from anlan.core.demo import bulk

from .. import rules
from ..models import ControlMeasure, HazardCheck, RiskAssessment, RiskPoint, SitePlan

HIGH_RISK_PREFIXES = ("hazchem", "fireworks", "coal-mine", "non-coal-mine", "civil-explosives", "urban-gas")
PLAN_SIZE = (1200, 800)
PLAN_NAME = "risk/plans/demo/site-plan-{n}.png"
# Where the points go on a plan (fractions of its width and height), one slot per point of an enterprise.
SLOTS = [(0.18, 0.28), (0.42, 0.3), (0.7, 0.26), (0.22, 0.68), (0.5, 0.7), (0.78, 0.66), (0.88, 0.45)]


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    location: str
    factors: str
    accidents: str
    method: str
    inputs: tuple  # LEC: (L, E, C) as text; LS: (L, S)
    controls: tuple  # (content, kind, control level, responsible, ((check, frequency), …))


TEMPLATES = [
    Template(
        "液化烃储罐区",
        "area",
        "罐区",
        "储罐超压、法兰泄漏遇点火源引发火灾爆炸；雷击、静电",
        "08,17",
        "lec",
        ("3", "6", "40"),  # 720: 重大
        (
            (
                "储罐设置高低液位报警、紧急切断并接入 SIS 联锁",
                "engineering",
                "company",
                "主要负责人",
                (("检查液位计、紧急切断阀完好在线", "daily"),),
            ),
            (
                "罐区动火、进入受限空间实行作业票证管理",
                "management",
                "workshop",
                "生产部经理",
                (("抽查作业票证办理与现场监护", "weekly"),),
            ),
        ),
    ),
    Template(
        "反应釜（硝化工艺）",
        "equipment",
        "1号生产车间",
        "反应失控超温超压；冷却水中断；物料泄漏",
        "17,19",
        "ls",
        (4, 5),  # 20: 重大
        (
            (
                "温度、压力与进料联锁，设置紧急冷却和泄放系统",
                "engineering",
                "company",
                "主要负责人",
                (("检查联锁投用和仪表校验记录", "daily"),),
            ),
            (
                "岗位操作规程培训考核，持证上岗",
                "training",
                "workshop",
                "车间主任",
                (("抽查操作人员持证与培训记录", "monthly"),),
            ),
        ),
    ),
    Template(
        "装卸站台",
        "activity",
        "装卸区",
        "槽车装卸时静电积聚、软管破裂泄漏、车辆溜车",
        "02,08",
        "lec",
        ("3", "6", "15"),  # 270: 较大
        (
            (
                "装卸鹤管设置静电接地报警仪，车辆设置防溜车措施",
                "engineering",
                "workshop",
                "储运部经理",
                (("检查静电接地报警仪完好", "daily"),),
            ),
            (
                "装卸作业全程监护，佩戴防静电服",
                "protection",
                "team",
                "储运班长",
                (("检查监护人员到岗情况", "daily"),),
            ),
        ),
    ),
    Template(
        "配电室",
        "area",
        "综合楼一层",
        "电气设备老化、绝缘损坏；小动物进入造成短路",
        "05,08",
        "ls",
        (3, 4),  # 12: 较大 (A)
        (
            (
                "高低压配电设备定期预防性试验，设置挡鼠板",
                "management",
                "workshop",
                "设备部经理",
                (("检查挡鼠板、绝缘用具和接地", "weekly"),),
            ),
        ),
    ),
    Template(
        "动火作业",
        "activity",
        "全厂区",
        "作业票证不全、可燃气体未检测即动火",
        "08,18",
        "lec",
        ("1", "6", "15"),  # 90: 一般
        (
            (
                "执行 GB 30871 特殊作业票证制度，动火前可燃气体检测",
                "management",
                "team",
                "安全员",
                (("检查动火作业票与气体检测记录", "weekly"),),
            ),
        ),
    ),
    Template(
        "空压机房",
        "equipment",
        "动力车间",
        "储气罐超压、安全阀失效；转动部件防护缺失",
        "03,17",
        "lec",
        ("1", "6", "7"),  # 42: 低
        (
            (
                "储气罐安全阀定期校验，转动部位设置防护罩",
                "engineering",
                "post",
                "空压机操作工",
                (("检查压力表、安全阀铅封和防护罩", "daily"),),
            ),
        ),
    ),
    Template(
        "化验室",
        "area",
        "质检楼",
        "化学试剂存放不规范；通风柜失效",
        "07,19",
        "ls",
        (2, 2),  # 4: 一般 (A)
        (
            (
                "试剂分类存放、双人双锁管理，配备洗眼器",
                "management",
                "team",
                "化验班长",
                (("检查试剂台账与洗眼器", "weekly"),),
            ),
        ),
    ),
    Template(
        "办公区",
        "area",
        "综合楼",
        "电气线路私拉乱接；消防通道堵塞",
        "08",
        "ls",
        (1, 3),  # 3: 低
        (
            (
                "每日下班前检查用电，保持疏散通道畅通",
                "management",
                "post",
                "行政专员",
                (("检查疏散通道和应急照明", "monthly"),),
            ),
        ),
    ),
]
# The demo enterprise (a construction company): its own small register.
DEMO_TEMPLATES = [
    Template(
        "塔式起重机作业",
        "activity",
        "1号楼施工现场",
        "起重机倾覆、吊物坠落；司索信号工无证作业",
        "04,01",
        "lec",
        ("3", "6", "15"),  # 270: 较大
        (
            (
                "塔吊安装验收、限位装置齐全有效，司机和信号工持证上岗",
                "engineering",
                "workshop",
                "项目经理",
                (("检查限位器、力矩限制器是否有效", "daily"),),
            ),
        ),
    ),
    Template(
        "脚手架搭设",
        "activity",
        "2号楼外立面",
        "连墙件缺失、立杆基础不牢导致坍塌；高处作业未系安全带",
        "09,10",
        "ls",
        (3, 3),  # 9: 较大 (A)
        (
            (
                "按专项方案搭设并验收挂牌，作业人员系挂安全带",
                "protection",
                "team",
                "架子工班长",
                (("检查连墙件和安全网", "daily"),),
            ),
        ),
    ),
    Template(
        "临时用电",
        "equipment",
        "施工现场配电箱",
        "三级配电两级保护不落实；电缆破损漏电",
        "05",
        "",
        (),
        (),
    ),
]


def draw_plan(layout: int) -> bytes:
    """A simple site plan: the boundary, roads, buildings and a tank farm (no words: any language reads it)."""
    width, height = PLAN_SIZE
    image = Image.new("RGB", PLAN_SIZE, (246, 244, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, width - 20, height - 20], outline=(90, 90, 90), width=6)
    draw.rectangle([20, height // 2 - 30, width - 20, height // 2 + 30], fill=(210, 210, 205))
    draw.rectangle(
        [width // 2 - 30 + layout * 40, 20, width // 2 + 30 + layout * 40, height - 20], fill=(210, 210, 205)
    )
    blocks = [
        (80, 80, 420, 330),
        (470, 90, 700, 320),
        (980 - layout * 60, 80, 1140, 330),
        (80, 470, 380, 720),
        (470, 480, 720, 720),
        (840, 470, 1140, 720),
    ]
    for number, (x0, y0, x1, y1) in enumerate(blocks):
        draw.rectangle(
            [x0, y0, x1, y1],
            fill=(225, 230, 238) if number % 2 else (232, 226, 214),
            outline=(120, 120, 120),
            width=3,
        )
    for cx in (760, 850):  # the tank farm
        draw.ellipse([cx - 40, 120, cx + 40, 200], fill=(236, 236, 236), outline=(110, 110, 110), width=3)
    draw.rectangle(
        [width - 120, height // 2 - 24, width - 20, height // 2 + 24], fill=(180, 200, 180)
    )  # the gate
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _plan_file(layout: int) -> str:
    name = PLAN_NAME.format(n=layout)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(draw_plan(layout)))
    return name


def _assessment(point: RiskPoint, template: Template, assessed_on, assessor) -> RiskAssessment | None:
    if not template.method:
        return None
    if template.method == "lec":
        result = rules.lec(*template.inputs)
        L, E, C = (Decimal(v) for v in template.inputs)
        fields = {"likelihood": L, "exposure": E, "consequence": C, "score": result.D, "band": result.band}
    else:
        result = rules.ls(*template.inputs)
        fields = {
            "likelihood": Decimal(template.inputs[0]),
            "severity": template.inputs[1],
            "score": Decimal(result.R),
            "variant": rules.LS_DEFAULT_VARIANT,
        }
    return RiskAssessment(
        point=point,
        method=template.method,
        level=result.level,
        assessed_on=assessed_on,
        assessor=assessor,
        **fields,
    )


def _build(enterprise, templates, rng, today, assessor) -> tuple[list, list]:
    """Points of one enterprise (saved with their level) and the (template, point) pairs for what hangs off them."""
    points, pairs = [], []
    for slot, template in enumerate(templates):
        x, y = SLOTS[slot % len(SLOTS)]
        assessed_on = today - timedelta(days=rng.randint(10, 300))
        point = RiskPoint(
            enterprise=enterprise,
            name=template.name,
            kind=template.kind,
            location=template.location,
            x=Decimal(str(x + rng.uniform(-0.04, 0.04))).quantize(Decimal("0.0001")),
            y=Decimal(str(y + rng.uniform(-0.04, 0.04))).quantize(Decimal("0.0001")),
            hazard_factors=template.factors,
            accident_types=template.accidents,
        )
        assessment = _assessment(point, template, assessed_on, assessor)
        if assessment is not None:
            point.level, point.score, point.assessed_on = assessment.level, assessment.score, assessed_on
        points.append(point)
        pairs.append((template, point, assessment))
    return points, pairs


# TEMPLATES by level: 重大 0–1, 较大 2–3, 一般 4 and 6, 低 5 and 7.
BY_LEVEL = {"major": (0, 1), "significant": (2, 3), "general": (4, 6), "low": (5, 7)}
# Highest levels in turn (half the high-risk enterprises 重大), so the county map shows every colour.
TIERS = ("major", "major", "significant", "major", "general", "significant", "low")


def _chosen(rng, index: int) -> list[Template]:
    """The register of the index-th enterprise: one point of its tier's level, then a few of lower levels."""
    tier = TIERS[index % len(TIERS)]
    lower = [i for level in rules.LEVELS[rules.LEVELS.index(tier) + 1 :] for i in BY_LEVEL[level]]
    first = BY_LEVEL[tier][index % 2]
    others = [i for i in BY_LEVEL[tier] if i != first] + lower
    count = min(len(others), rng.randint(2, 5))
    return [TEMPLATES[first], *(TEMPLATES[i] for i in rng.sample(others, count))]


def step(demo) -> None:
    rng = demo.random("risk_register")
    today = demo.today
    watched = [
        e
        for e in demo.enterprises
        if e.has_major_hazard_source or e.industry.code.startswith(HIGH_RISK_PREFIXES)
    ]
    plans = {layout: _plan_file(layout) for layout in range(3)}
    registers = []
    for index, enterprise in enumerate(watched):
        registers.append((enterprise, _chosen(rng, index), None))
    if demo.demo_enterprise is not None:
        registers.append((demo.demo_enterprise, DEMO_TEMPLATES, demo.users.get("qiye")))
    all_points, all_pairs, site_plans = [], [], []
    for number, (enterprise, templates, assessor) in enumerate(registers):
        points, pairs = _build(enterprise, templates, rng, today, assessor)
        all_points += points
        all_pairs += pairs
        site_plans.append(
            SitePlan(
                enterprise=enterprise,
                image=plans[number % 3],
                width=PLAN_SIZE[0],
                height=PLAN_SIZE[1],
                uploaded_by=assessor,
            )
        )
    bulk(SitePlan, site_plans)
    bulk(RiskPoint, all_points)
    assessments, controls, pending_checks = [], [], []
    for template, point, assessment in all_pairs:
        if assessment is not None:
            assessment.point = point
            assessments.append(assessment)
        for content, kind, level, responsible, checks in template.controls:
            control = ControlMeasure(
                point=point, content=content, kind=kind, control_level=level, responsible=responsible
            )
            controls.append(control)
            pending_checks.append((control, checks))
    bulk(RiskAssessment, assessments)
    bulk(ControlMeasure, controls)
    bulk(
        HazardCheck,
        [
            HazardCheck(control=control, content=content, frequency=frequency)
            for control, checks in pending_checks
            for content, frequency in checks
        ],
    )
    demo.counts["风险点"] = len(all_points)
    demo.counts["风险评价"] = len(assessments)
