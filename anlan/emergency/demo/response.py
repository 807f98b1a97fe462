"""Demo data of the response part: a flood (山洪) in a village of 新安镇 early this morning, the town's 先期处置
from the first call, a 四级 response of the county 安委办 with two tasks (交通运输局 confirmed, 住建局 pending), a road
closure and one published release (reviewed by 县委宣传部); and the night of the accident whose 初报 the duty step
logged: the town's 先期处置, a 四级 response started and ended (the incident stays open while the accident is)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anlan.core import units

from ..models import FirstResponse, Incident, PublicRelease, ReleaseReview, Response
from ..services import response as services

TOWN_USERS = {"新安镇": "xinan", "半塔镇": "banta"}


def _accident_night(demo) -> int:
    """The accident logged by the duty step: first response by its town, a response started and ended."""
    users = demo.users
    incident = (
        Incident.objects.filter(accident__isnull=False).select_related("region").order_by("-pk").first()
    )
    if incident is None:
        return 0
    town = next(
        (name for name, region in demo.towns.items() if incident.region.code.startswith(region.code[:9])),
        None,
    )
    occurred = incident.occurred_at
    now = timezone.now()

    def at(delta):  # never in the future, whenever the accident happened
        return min(occurred + delta, now)

    if town in TOWN_USERS:
        officer = users[TOWN_USERS[town]]
        services.record_first_response(
            actor=officer,
            incident_pk=incident.pk,
            called_at=at(timedelta(minutes=12)),
            dispatched_at=at(timedelta(minutes=18)),
            arrived_at=at(timedelta(minutes=45)),
            handed_over_at=at(timedelta(hours=2)),
            responders=[
                {
                    "name": officer.real_name or officer.username,
                    "post": "应急管理办公室",
                    "phone": officer.phone,
                },
                {"name": "镇派出所", "post": "民警2人", "phone": "110"},
            ],
            actions=[
                {"at": at(timedelta(minutes=50)), "text": _("设置警戒区，疏散无关人员")},
                {"at": at(timedelta(minutes=70)), "text": _("配合企业清点人员，核实伤亡情况")},
            ],
        )
    response = services.start_response(
        actor=users["anweiban"],
        incident_pk=incident.pk,
        level=4,
        commander_name=users["yingji"].real_name or "王建国",
        commander_phone=users["yingji"].phone or "13905507777",
        post_place=incident.place or _("事故现场"),
        started_at=at(timedelta(hours=1)),
    )
    services.add_note(
        actor=users["anweiban"],
        response_pk=response.pk,
        text=_("现场险情已排除，伤员已送医，善后及事故调查工作移交属地和行业主管部门。"),
        noted_at=at(timedelta(hours=5)),
    )
    services.end_response(actor=users["anweiban"], response_pk=response.pk, note=_("险情排除，终止四级响应"))
    # Ended that night, as the chronicle should read (the service stamps the time it is called).
    Response.objects.filter(pk=response.pk).update(ended_at=at(timedelta(hours=6)))
    return 1


def step(demo) -> None:
    users = demo.users
    office = users["anweiban"]
    town = demo.towns["新安镇"]
    village = next((v for code, v in sorted(demo.villages.items()) if code.startswith(town.code[:9])), town)
    now = timezone.now()
    occurred = now - timedelta(hours=5)
    incident = services.record_incident(
        actor=office,
        data={
            "kind": Incident.Kind.NATURAL_DISASTER,
            "title": _("新安镇%(village)s山洪") % {"village": village.name},
            "occurred_at": occurred,
            "region": village,
            "place": _("%(village)s沿河地段") % {"village": village.name},
            "summary": _("凌晨强降雨致山洪，河水漫过堤岸，沿河12户房屋进水，暂无人员伤亡。"),
        },
    )
    services.record_first_response(
        actor=users["xinan"],
        incident_pk=incident.pk,
        called_at=occurred + timedelta(minutes=8),
        dispatched_at=occurred + timedelta(minutes=15),
        arrived_at=occurred + timedelta(minutes=40),
        handed_over_at=occurred + timedelta(hours=2),
        responders=[
            {"name": "周晓东", "post": "应急管理办公室", "phone": users["xinan"].phone or "13805501234"},
            {"name": "钱卫东", "post": "副镇长", "phone": "13805502345"},
            {"name": "村民兵应急分队", "post": "8人", "phone": ""},
        ],
        actions=[
            {"at": occurred + timedelta(minutes=45), "text": _("组织沿河12户28名群众转移至村委会")},
            {"at": occurred + timedelta(minutes=70), "text": _("在沿河道路两端设置警示标志")},
        ],
    )
    response = services.start_response(
        actor=office,
        incident_pk=incident.pk,
        level=4,
        commander_name=users["yingji"].real_name or "王建国",
        commander_phone=users["yingji"].phone or "13905507777",
        post_place=_("新安镇人民政府"),
        started_at=occurred + timedelta(hours=2),
    )
    transport = units.unit_for(demo.departments["交通运输局"])
    housing = units.unit_for(demo.departments["住建局"])
    services.add_group(
        actor=office, response_pk=response.pk, name="抢险救援组", lead_pk=units.unit_for(town).pk
    )
    road = services.assign_task(
        actor=office,
        response_pk=response.pk,
        unit_pk=transport.pk,
        text=_("对沿河县道实施交通管制，设置绕行标志"),
        deadline=now + timedelta(hours=2),
    )
    services.confirm_task(actor=users["jiaotong"], task_pk=road.pk)
    services.assign_task(
        actor=office,
        response_pk=response.pk,
        unit_pk=housing.pk,
        text=_("组织对进水房屋进行安全鉴定"),
        deadline=now + timedelta(hours=24),
    )
    services.set_control_point(
        actor=office,
        response_pk=response.pk,
        kind="road_closure",
        place=_("沿河县道%(village)s段") % {"village": village.name},
        unit_pk=transport.pk,
        set_at=occurred + timedelta(hours=2, minutes=20),
    )
    services.add_note(
        actor=office,
        response_pk=response.pk,
        text=_("水位开始回落，转移群众安置在村委会，生活物资已送达。"),
        noted_at=now - timedelta(minutes=30),
    )
    publicity = units.unit_for(demo.departments["县委宣传部"])
    release = services.draft_release(
        actor=office,
        incident_pk=incident.pk,
        title=_("关于新安镇山洪灾害的情况通报"),
        text=_(
            "今日凌晨，新安镇%(village)s因强降雨发生山洪。灾情发生后，镇村第一时间转移群众28人，"
            "县里启动自然灾害四级应急响应。目前无人员伤亡，水位正在回落。"
        )
        % {"village": village.name},
        reviewer_pks=[publicity.pk],
    )
    services.submit_release(actor=office, release_pk=release.pk)
    # The demo has no account at 县委宣传部: its approval is recorded as its reviewer would give it.
    ReleaseReview.objects.filter(release=release).update(
        decision=ReleaseReview.Decision.APPROVED,
        comment=_("同意发布"),
        decided_at=now - timedelta(minutes=20),
    )
    PublicRelease.objects.filter(pk=release.pk).update(status=PublicRelease.Status.APPROVED)
    services.publish_release(actor=users["yingji"], release_pk=release.pk)
    night = _accident_night(demo)
    demo.counts[_("突发事件（应急响应）")] = 1 + night
    demo.counts[_("先期处置")] = FirstResponse.objects.count()
