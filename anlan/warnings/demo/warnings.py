"""Demo data of warnings: a storm season — 人员密集场所 with their warning receivers, a 蓝色 rainstorm warning
last week (sent, mostly confirmed, lifted), a 黄色 geohazard risk warning raised to 橙色 yesterday (sent to the
county; some recipients confirmed, some reported their measures, the silent ones escalated), and a 大雾 signal
still a draft with its list built for checking."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from anlan.core import jobs, receipts, units
from anlan.core.models import Enterprise, ReceiptTask

from .. import rules
from ..models import PlaceReceiver, WarningRecipient
from ..services import warnings as services

SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]


def _draft(actor, county, **values):
    now = timezone.now()
    base = {
        "kind": "emergency",
        "category": "natural_disaster",
        "hazard": "rainstorm",
        "region": county,
        "starts_at": now,
        "ends_at": now + timedelta(days=1),
        "targets": {"groups": ["committee", "towns", "places", "monitors", "grid", "duty"], "flags": []},
    }
    return services.create_draft(actor=actor, values={**base, **values})


def _send(actor, warning, at):
    services.build_list(actor=actor, warning_pk=warning.pk)
    jobs.work_off()
    services.issue(actor=actor, warning_pk=warning.pk, at=at)
    jobs.work_off()
    warning.refresh_from_db()
    return warning


def step(demo) -> None:
    rng = demo.random("warnings")
    office = demo.users["anweiban"]
    county = demo.county
    now = timezone.now()
    units.ensure_units()
    places = list(
        Enterprise.objects.filter(is_crowded_place=True, region__code__startswith=county.code[:6]).order_by(
            "pk"
        )[:40]
    )
    receivers = [
        PlaceReceiver(
            enterprise=place,
            name=rng.choice(SURNAMES) + rng.choice(["经理", "主任", "值班长"]),
            phone=f"139{rng.randint(10000000, 99999999)}",
        )
        for place in places
    ]
    PlaceReceiver.objects.bulk_create(receivers, ignore_conflicts=True)

    # Last week: a 蓝色 rainstorm warning, sent, confirmed by most, lifted the next day.
    blue = _draft(
        office,
        county,
        level=4,
        title="来安县暴雨蓝色预警",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=6),
        area="全县，沿河低洼地带",
        matters="预计12小时内降雨量将达50毫米以上",
        measures="加强值班和巡查，做好防范准备",
    )
    blue = _send(office, blue, now - timedelta(days=7))
    for row in WarningRecipient.objects.filter(warning=blue).select_related("task")[
        : max(1, blue.recipients.count() - 2)
    ]:
        if row.task and row.task.is_open:
            receipts.confirm_by_token(
                receipts.link_token(row.task), now=blue.issued_at + timedelta(minutes=40)
            )
    services.lift(actor=office, warning_pk=blue.pk, reason="降雨过程结束", at=now - timedelta(days=6))
    jobs.work_off()

    # Yesterday: a 黄色 geohazard warning raised to 橙色; confirmations and reports coming in, some silent.
    geo = _draft(
        office,
        county,
        level=3,
        hazard="geohazard",
        title="来安县地质灾害气象风险黄色预警",
        starts_at=now - timedelta(hours=20),
        ends_at=now + timedelta(days=1),
        area="新安镇、半塔镇山区村组，不稳定斜坡和在册地灾点周边",
        matters="前期降雨偏多，土体含水量饱和，发生崩塌、滑坡的风险较高",
        measures="落实“雨前排查、雨中巡查、雨后核查”，危险区群众做好转移准备",
    )
    geo = _send(office, geo, now - timedelta(hours=20))
    services.change_level(
        actor=office, warning_pk=geo.pk, level=2, reason="夜间降雨加强，风险上升", at=now - timedelta(hours=6)
    )
    jobs.work_off()
    geo.refresh_from_db()
    rows = list(
        WarningRecipient.objects.filter(warning=geo, revision=geo.revision).select_related("task", "warning")
    )
    rng.shuffle(rows)
    for index, row in enumerate(rows):
        if row.task is None or not row.task.is_open:
            continue
        if index % 4 == 0:
            continue  # silent: escalated below
        if index % 3 == 0:
            done = {code: rng.random() < 0.8 for code, _a, _l in rules.checklist(geo.level)}
            services.report_measures(row=row, done=done, note="已组织排查")
        else:
            receipts.confirm_by_token(receipts.link_token(row.task))
    later = now + timedelta(hours=1)
    silent = ReceiptTask.objects.filter(
        object_id=geo.pk, kind=services.TASK_KIND, status__in=ReceiptTask.OPEN
    )
    silent.update(confirm_by=now - timedelta(hours=5), next_escalation_at=now - timedelta(hours=5))
    receipts.sweep(today=later.date(), now=now)

    # A 大雾 signal, still a draft: its list is built for checking before it goes out.
    fog = _draft(
        office,
        county,
        kind="signal",
        category="",
        hazard="fog",
        level=3,
        title="来安县大雾黄色预警信号",
        area="全县，高速公路和国省干道沿线",
        matters="预计未来12小时内将出现能见度小于500米的雾",
        measures="驾驶人员注意雾的变化，小心驾驶",
    )
    services.build_list(actor=office, warning_pk=fog.pk)
    jobs.work_off()
    demo.counts["预警"] = 3
    demo.counts["预警接收人"] = WarningRecipient.objects.count()
