"""Demo step `risk_people`: staff, certificates, assessments and training for the demo county.

qiye's enterprise (建筑施工) keeps a register of eight: its principal and safety manager with their 考核合格证 and a
passed 考核 each, and six special operators — one electrician in the 复审 window, one welder whose certificate ends
within 30 days (reviewed), one whose certificate expired, one overdue for 复审, one with the 6-year extension (15
years in the trade) and one 高处作业 worker still without a certificate (the browser flow's "adds a certificate").
Training: an annual session for everyone and an 8-学时 复审 session. Ten other operating enterprises each get a
principal and two to four special operators with certificates drawn around today (most valid, some in the window
or expiring) and a training or two. Deterministic (its own random stream, ID numbers built with their check
character), written through the services' recording functions so each row has its history, then the sweep runs
once; skipped when staff exist already."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from anlan.core.models import Enterprise, Person
from anlan.core.rules import add_years, id_number_check_character

from ..models import Certificate, StaffMember
from ..services import people as services

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "建国",
    "志强",
    "海波",
    "明",
    "伟",
    "秀英",
    "春生",
    "国庆",
    "立新",
    "卫东",
    "红梅",
    "金山",
    "德胜",
    "永刚",
)
TRADES = (
    ("electrician", "电工", "低压电工作业"),
    ("welding", "焊工", "熔化焊接与热切割作业"),
    ("height", "架子工", "登高架设作业"),
    ("refrigeration", "制冷工", "制冷与空调设备运行操作作业"),
    ("hazardous_chemicals", "操作工", "化工自动化控制仪表作业"),
)


class _People:
    """Deterministic names and ID numbers (来安县 341122, sequence 900–999 so they do not meet other steps')."""

    def __init__(self, rng):
        self.rng = rng
        self.serial = 900

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def id_number(self) -> str:
        while True:
            birth = date(self.rng.randint(1966, 2001), self.rng.randint(1, 12), self.rng.randint(1, 28))
            self.serial = 900 + (self.serial - 899) % 100
            first17 = f"341122{birth:%Y%m%d}{self.serial:03d}"
            number = first17 + id_number_check_character(first17)
            if not Person.objects.filter(id_number=number).exists():
                return number


def _staff(actor, enterprise, people, post, today, *, name=None, years=3, **roles):
    return services._add_staff(
        enterprise,
        actor,
        {
            "name": name or people.name(),
            "id_number": people.id_number(),
            "phone": "",
            "post": post,
            "hired_on": today - timedelta(days=365 * years + 17),
            **roles,
        },
    )


def _special(actor, staff, number, category, item, issued_on, *, years=0, agrees=False, reviewed=False):
    cert = services._record_certificate(
        staff,
        actor,
        {
            "kind": "special_operation",
            "category": category,
            "operation_item": item,
            "number": number,
            "issuing_authority": "滁州市应急管理局",
            "issued_on": issued_on,
            "continuous_years_same_trade": years,
            "compliant": True,
            "authority_agrees": agrees,
        },
    )
    if reviewed and cert.review_due < cert.valid_until:
        services._record_review(cert, actor, cert.review_window_opens + timedelta(days=12))
    return cert


def _management(actor, staff, kind, number, issued_on):
    return services._record_certificate(
        staff,
        actor,
        {
            "kind": kind,
            "number": number,
            "issuing_authority": "滁州市应急管理局",
            "issued_on": issued_on,
            "valid_until": add_years(issued_on, 3),
        },
    )


def _assessment(actor, staff, kind, assessed_on, score):
    return services._record_assessment(
        staff,
        actor,
        {"kind": kind, "assessed_on": assessed_on, "assessor": "来安县应急管理局", "score": score},
    )


def _training(actor, enterprise, attendees, held_on, subject, kind, hours, trainer="来安县安全生产培训中心"):
    return services._record_training(
        enterprise,
        actor,
        {
            "held_on": held_on,
            "subject": subject,
            "kind": kind,
            "hours": hours,
            "trainer": trainer,
            "attendees": [s.pk for s in attendees],
        },
    )


def _ours(demo, people, today) -> None:
    qiye = demo.users["qiye"]
    ours = demo.demo_enterprise
    principal = _staff(qiye, ours, people, "总经理", today, name="陈德胜", years=8, is_principal=True)
    manager = _staff(qiye, ours, people, "安全部经理", today, name="刘立新", years=6, is_safety_manager=True)
    _management(qiye, principal, "principal", "ZY341122202400318", today - timedelta(days=420))
    _management(qiye, manager, "safety_manager", "AQ341122202400561", today - timedelta(days=380))
    _assessment(qiye, principal, "principal", today - timedelta(days=425), "88")
    _assessment(qiye, manager, "safety_manager", today - timedelta(days=385), "92")

    def operator(name, post, years=4):
        return _staff(qiye, ours, people, post, today, name=name, years=years, is_special_operator=True)

    window = operator("王海波", "电工")
    expiring = operator("张春生", "焊工", years=7)
    expired = operator("赵国庆", "电工", years=7)
    overdue = operator("孙卫东", "焊工")
    extended = operator("周金山", "电工", years=16)
    operator("吴永刚", "架子工")  # 高处作业 without a certificate yet
    _special(
        qiye,
        window,
        "T341122198704120931",
        "electrician",
        "低压电工作业",
        add_years(today, -3) + timedelta(days=25),
    )
    _special(
        qiye,
        expiring,
        "T341122198210030952",
        "welding",
        "熔化焊接与热切割作业",
        add_years(today, -6) + timedelta(days=18),
        reviewed=True,
    )
    _special(
        qiye,
        expired,
        "T341122197906150917",
        "electrician",
        "高压电工作业",
        add_years(today, -6) - timedelta(days=40),
        reviewed=True,
    )
    _special(
        qiye,
        overdue,
        "T341122199011080946",
        "welding",
        "压力焊作业",
        add_years(today, -3) - timedelta(days=15),
    )
    _special(
        qiye,
        extended,
        "T341122197505200968",
        "electrician",
        "低压电工作业",
        add_years(today, -4) + timedelta(days=60),
        years=15,
        agrees=True,
    )
    everyone = list(StaffMember.objects.filter(enterprise=ours))
    _training(
        qiye, ours, everyone, today - timedelta(days=63), "2026 年度全员安全生产教育再培训", "annual", "16"
    )
    _training(
        qiye,
        ours,
        [window],
        today - timedelta(days=12),
        "低压电工作业复审培训",
        "review",
        "8",
        "滁州市安全技术培训中心",
    )


def _others(demo, people, today, rng) -> None:
    office = demo.users["anweiban"]
    ours = demo.demo_enterprise
    candidates = (
        Enterprise.objects.filter(
            pk__in=[e.pk for e in demo.enterprises if e != ours], status=Enterprise.Status.OPERATING
        )
        .select_related("industry")
        .order_by("pk")[:10]
    )
    serial = 0
    for index, enterprise in enumerate(candidates):
        _staff(office, enterprise, people, "总经理", today, years=5, is_principal=True)
        operators = []
        for _n in range(rng.randint(2, 4)):
            category, post, item = rng.choice(TRADES)
            staff = _staff(
                office, enterprise, people, post, today, years=rng.randint(1, 9), is_special_operator=True
            )
            operators.append(staff)
            serial += 1
            issued_on = today - timedelta(days=rng.randint(60, 5 * 365))
            if serial % 7 == 3:  # in the 复审 window
                issued_on = add_years(today, -3) + timedelta(days=rng.randint(5, 55))
            elif serial % 7 == 5:  # expiring within 30 days, reviewed
                issued_on = add_years(today, -6) + timedelta(days=rng.randint(3, 28))
            _special(
                office,
                staff,
                f"T341122DEMO{serial:05d}",
                category,
                item,
                issued_on,
                reviewed=issued_on < add_years(today, -3) - timedelta(days=20),
            )
        if index % 3 != 2:
            _training(
                office,
                enterprise,
                operators,
                today - timedelta(days=rng.randint(10, 300)),
                rng.choice(
                    ("特种作业人员安全操作规程培训", "有限空间作业安全培训", "消防安全与应急疏散培训")
                ),
                "annual",
                str(rng.choice((4, 8, 12))),
            )


def step(demo) -> None:
    if StaffMember.objects.exists():
        return
    rng = demo.random("risk_people")
    today = min(demo.today, timezone.localdate())
    people = _People(rng)
    if demo.demo_enterprise is not None and "qiye" in demo.users:
        _ours(demo, people, today)
    _others(demo, people, today, rng)
    services.sweep(today=today)
    demo.counts["从业人员"] = StaffMember.objects.count()
    demo.counts["证书"] = Certificate.objects.count()
