"""Demo step `governance_duties`: this year's 两个清单 for the demo county — an approved 责任清单 for every
department (三管三必须 for its industries, 安委会成员单位职责 for all), every town (属地) and the leader (分管领域,
drafted by the 安委办), and each department's and town's 工作任务清单: quarterly tasks, those due before today done
and confirmed with evidence (a photo; for the 住建局 and 新安镇 also a closed hazard they can open), one in three
units leaving its third-quarter task overdue, and the 住建局's year-end task reported and awaiting confirmation; the
安全生产月 task of each unit and the year's other 基础工作 (三同时, 法律“五进”, 安全社区, 农村道路, 隐患根治) carry
their facts, some confirmed, some reported, some in progress."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from anlan.core import records, units
from anlan.core.models import Department

from .. import rules
from ..models import DutyItem, DutyList, TaskEvidence, WorkTask

REASON = "演示数据"
QUARTERS = (
    ((3, 31), "一季度安全生产大检查", "组织开展一季度安全生产大检查，形成检查报告。"),
    ((6, 30), "“安全生产月”宣传活动", "开展安全生产月宣传咨询日活动，覆盖辖区重点单位。"),
    ((9, 30), "汛期和三季度隐患排查整治", "对辖区重点行业领域开展隐患排查，建立台账并跟踪整改。"),
    ((12, 31), "年度安全生产工作总结", "总结全年履职情况，报送县安委办。"),
)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _list(
    *, holder_unit=None, holder_user=None, post="", region, owner, year, reviewed_on, office_user, items
):
    duty_list = DutyList(
        holder_unit=holder_unit,
        holder_user=holder_user,
        holder_post=post,
        year=year,
        region=region,
        owner_unit=owner,
        status=DutyList.Status.APPROVED,
        submitted_at=_at(reviewed_on),
        reviewed_at=_at(reviewed_on),
        reviewed_by=office_user,
        review_note="同意。",
        created_by=office_user,
    )
    records.save_with_history(duty_list, office_user, REASON)
    for position, (category, text, basis, industries, regions) in enumerate(items, start=1):
        item = DutyItem(duty_list=duty_list, position=position, category=category, text=text, basis=basis)
        records.save_with_history(
            item, office_user, REASON, m2m={"industries": industries, "regions": regions}
        )
    return duty_list


COMMITTEE_DUTY = (
    "committee",
    "履行县安委会成员单位职责：参加安委会全体会议和专题会议，落实会议议定事项，按时报送安全生产工作情况。",
    "《来安县安全生产委员会工作规则》",
)


def _department_items(department: Department):
    industries = list(department.industries.all())
    items = []
    if industries and department.kind != Department.Kind.MEMBER:
        names = "、".join(i.name for i in industries)
        items.append(
            (
                "industry",
                f"管行业必须管安全：负责{names}行业领域安全生产监督管理，督促企业落实主体责任，组织开展执法检查和隐患排查治理。",
                "《中华人民共和国安全生产法》第三条、第十条；本单位“三定”方案",
                industries,
                [],
            )
        )
        items.append(
            (
                "business",
                f"管业务必须管安全：在{names}行业审批、许可和日常管理中同步落实安全生产要求。",
                "《中华人民共和国安全生产法》第三条",
                industries,
                [],
            )
        )
    items.append((*COMMITTEE_DUTY, [], []))
    return items


def _town_items(town):
    return [
        (
            "territorial",
            f"落实{town.name}属地管理责任：组织辖区安全生产检查和隐患排查，做好信息收集、整理和上报。",
            "《中华人民共和国安全生产法》第九条",
            [],
            [town],
        ),
        (
            "territorial",
            "健全村（社区）安全生产协管职责，指导网格员开展日常巡查。",
            "县委办、县政府办《关于健全村（社区）安全生产协管工作的意见》",
            [],
            [town],
        ),
        (*COMMITTEE_DUTY, [], []),
    ]


def _tasks(unit, *, year, today, office_user, creator, leave_overdue, evidence_link):
    photo = _photo()
    for index, ((month, day), title, description) in enumerate(QUARTERS):
        due_on = date(year, month, day)
        task = WorkTask(
            unit=unit,
            year=year,
            title=title,
            description=description,
            due_on=due_on,
            region_id=unit.region_id,
            created_by=creator,
        )
        if index == 1:
            # The 安全生产月 task is a 基础工作 kind: its activities and coverage (seed-map I5).
            task.kind = rules.KIND_SAFETY_MONTH
            seed = unit.pk % 7
            target = 20 + seed * 5
            task.facts = rules.check_task_facts(
                rules.KIND_SAFETY_MONTH,
                {
                    "activities": 3 + seed,
                    "participants": 300 + seed * 120,
                    "target": target,
                    "reached": target - seed % 3,
                },
                year,
            )
        done = due_on < today and not (leave_overdue and index == 2)
        if done:
            task.status = WorkTask.Status.DONE
            task.reported_on = task.completed_on = min(due_on, today)
            task.report_note = "已按要求完成，佐证材料附后。"
            task.reported_by = creator
            task.confirmed_by = office_user
        elif due_on < today:
            task.status = WorkTask.Status.IN_PROGRESS
        records.save_with_history(task, creator, REASON)
        if done:
            evidence = TaskEvidence(
                task=task, added_by=creator, note="现场照片", file_name=f"{title}现场照片.png"
            )
            evidence.file.save(f"demo-{task.pk}.png", ContentFile(photo), save=False)
            records.save_with_history(evidence, creator, REASON)
            if evidence_link is not None and index == 2:
                content_type, record = evidence_link
                linked = TaskEvidence(
                    task=task,
                    added_by=creator,
                    record_type=content_type,
                    record_id=record.pk,
                    record_title=str(record)[:300],
                    note="已销号隐患",
                )
                records.save_with_history(linked, creator, REASON)
    return unit


def _groundwork_task(unit, *, kind, title, description, due_on, facts, want, creator, office_user, today):
    """One 基础工作 task with its facts (checked by the rule as a unit's entry is; none yet for `facts={}`, only
    in progress): `want` is "done", "reported" or "in_progress"; a task is never done before its due date (it
    waits for confirmation instead)."""
    year = due_on.year
    task = WorkTask(
        unit=unit,
        year=year,
        kind=kind,
        title=title,
        description=description,
        due_on=due_on,
        region_id=unit.region_id,
        created_by=creator,
        facts=rules.check_task_facts(kind, facts, year) if facts else {},
    )
    if want == "done" and due_on >= today:
        want = "reported"
    if want in ("done", "reported"):
        task.status = WorkTask.Status.DONE if want == "done" else WorkTask.Status.REPORTED
        task.reported_on = min(due_on, today)
        task.reported_by = creator
        task.report_note = "已按要求完成，工作数据和佐证材料附后。"
        if want == "done":
            task.completed_on, task.confirmed_by = task.reported_on, office_user
    else:
        task.status = WorkTask.Status.IN_PROGRESS
    records.save_with_history(task, creator, REASON)
    if want in ("done", "reported"):
        evidence = TaskEvidence(task=task, added_by=creator, note="活动照片", file_name=f"{title}照片.png")
        evidence.file.save(f"demo-{task.pk}.png", ContentFile(_photo()), save=False)
        records.save_with_history(evidence, creator, REASON)
    return task


def _groundwork(demo, *, year, today, office_user) -> int:
    """基础工作 of the year (seed-map I4–I7): 三同时 and 法律“五进” of the 应急管理局, 安全社区 of two towns, the rural
    road-safety organisation of every town, and the multi-year 隐患根治 of the 交通运输局 (roads by level) and the
    应急管理局 (a free level)."""
    made = 0
    department = demo.departments.get

    def add(unit, creator, **kw):
        nonlocal made
        _groundwork_task(unit, creator=creator, office_user=office_user, today=today, **kw)
        made += 1

    emergency = department("应急管理局")
    if emergency is not None:
        # Like the other departments' tasks, given by the 安委办 (no demo user is a member of this unit).
        unit, user = units.unit_for(emergency), office_user
        add(
            unit,
            user,
            kind=rules.KIND_THREE_SIMULTANEITIES,
            title="危险化学品建设项目安全设施“三同时”检查",
            description="对新建、改建、扩建危险化学品建设项目执行安全设施“三同时”制度情况开展检查。",
            due_on=date(year, 6, 30),
            facts={
                "projects": [
                    {
                        "name": "年产2万吨精细化工扩建项目",
                        "enterprise": "安徽来安化工有限公司",
                        "stage": "acceptance",
                        "result": "compliant",
                    },
                    {
                        "name": "危化品仓储改建项目",
                        "enterprise": "来安县物流园",
                        "stage": "construction",
                        "result": "non_compliant",
                        "note": "消防设施未与主体工程同时施工，已责令整改",
                    },
                    {"name": "加油站油罐更新项目", "stage": "design", "result": "compliant"},
                ]
            },
            want="done",
        )
        add(
            unit,
            user,
            kind=rules.KIND_LAW_FIVE,
            title="安全生产法律“五进”活动",
            description="安全生产法律法规进企业、进农村、进社区、进学校、进机关。",
            due_on=date(year, 11, 30),
            facts={
                "venues": {
                    "enterprise": {"activities": 12, "people": 1860},
                    "village": {"activities": 9, "people": 1240},
                    "community": {"activities": 7, "people": 980},
                    "school": {"activities": 5, "people": 2300},
                    "agency": {"activities": 4, "people": 420},
                },
                "target": 120,
                "reached": 112,
            },
            want="done",
        )
        add(
            unit,
            user,
            kind=rules.KIND_ROOT_HAZARD,
            title="危化企业重大隐患根治（三年）",
            description="危险化学品企业重大隐患三年根治。",
            due_on=date(year, 12, 31),
            facts={
                "start_year": year - 1,
                "end_year": year + 1,
                "levels": [{"level": "other", "label": "危化企业", "target": 18, "done": 11}],
            },
            want="in_progress",
        )
    housing = department("住建局")
    if housing is not None:
        # Left for the demo user zhujian to fill in (填报工作数据) and report.
        add(
            units.unit_for(housing),
            demo.users["zhujian"],
            kind=rules.KIND_ROOT_HAZARD,
            title="城镇燃气管道老化更新改造（隐患根治）",
            description="城镇燃气老旧管道更新改造，三年完成。",
            due_on=date(year, 12, 31),
            facts={},
            want="in_progress",
        )
    transport = department("交通运输局")
    if transport is not None:
        add(
            units.unit_for(transport),
            office_user,
            kind=rules.KIND_ROOT_HAZARD,
            title="公路安全隐患根治（三年）",
            description="国省县乡村道安全隐患三年根治，分级推进。",
            due_on=date(year, 12, 31),
            facts={
                "start_year": year - 1,
                "end_year": year + 1,
                "levels": [
                    {"level": "national", "target": 6, "done": 5},
                    {"level": "provincial", "target": 14, "done": 9},
                    {"level": "county", "target": 32, "done": 17},
                    {"level": "township", "target": 58, "done": 21},
                    {"level": "village", "target": 96, "done": 30},
                ],
            },
            want="reported",
        )
    towns = sorted(demo.towns.items(), key=lambda pair: pair[1].code)
    for index, (name, town) in enumerate(towns):
        unit = units.unit_for(town)
        creator = demo.users["xinan"] if name == "新安镇" else office_user
        add(
            unit,
            creator,
            kind=rules.KIND_RURAL_ROAD,
            title="农村道路交通安全组织建设",
            description="健全乡镇交管办和片区联合执法中队，设置劝导站、配齐劝导员。",
            due_on=date(year, 5, 31),
            facts={
                "town_office": index % 4 != 3,
                "joint_squads": 1 + index % 2,
                "stations": 3 + index,
                "persuaders": 6 + 2 * index,
            },
            want="reported" if name == "新安镇" else "done",
        )
        if index < 2:
            add(
                unit,
                creator,
                kind=rules.KIND_SAFE_COMMUNITY,
                title="安全社区建设",
                description="按照《关于进一步加强安全社区建设的意见》推进安全社区建设。",
                due_on=date(year, 10, 31),
                facts={
                    "community": name,
                    "level": "provincial",
                    "stage": "assess" if index == 0 else "create",
                    "status": "passed" if index == 0 else "in_progress",
                },
                want="done" if index == 0 else "in_progress",
            )
    return made


def _closed_hazard(user):
    """A closed hazard the user can open (the hazards app's public selector), as a (content type, record)."""
    from django.contrib.contenttypes.models import ContentType

    from anlan.hazards.selectors import hazard_list

    hazard = hazard_list(user).filter(status="closed").order_by("pk").first()
    if hazard is None:
        return None
    return ContentType.objects.get_for_model(type(hazard)), hazard


def step(demo) -> None:
    today = demo.today
    year = today.year
    office_user = demo.users["anweiban"]
    office = units.committee_office_for(demo.county)
    reviewed_on = max(date(year, 1, 1), min(date(year, 1, 15), today))
    lists = tasks = 0
    for short, department in sorted(demo.departments.items()):
        if short == "县安委办":
            continue
        unit = units.unit_for(department)
        _list(
            holder_unit=unit,
            region=department.region,
            owner=unit,
            year=year,
            reviewed_on=reviewed_on,
            office_user=office_user,
            items=_department_items(department),
        )
        lists += 1
        creator = demo.users["zhujian"] if short == "住建局" else office_user
        link = _closed_hazard(demo.users["zhujian"]) if short == "住建局" else None
        _tasks(
            unit,
            year=year,
            today=today,
            office_user=office_user,
            creator=creator,
            leave_overdue=lists % 3 == 0,
            evidence_link=link,
        )
        tasks += len(QUARTERS)
    for name, town in sorted(demo.towns.items(), key=lambda pair: pair[1].code):
        unit = units.unit_for(town)
        _list(
            holder_unit=unit,
            region=town,
            owner=unit,
            year=year,
            reviewed_on=reviewed_on,
            office_user=office_user,
            items=_town_items(town),
        )
        lists += 1
        creator = demo.users["xinan"] if name == "新安镇" else office_user
        link = _closed_hazard(demo.users["xinan"]) if name == "新安镇" else None
        _tasks(
            unit,
            year=year,
            today=today,
            office_user=office_user,
            creator=creator,
            leave_overdue=lists % 3 == 0,
            evidence_link=link,
        )
        tasks += len(QUARTERS)
    leader = demo.users["lingdao"]
    focus = [demo.industries[code] for code in ("construction", "road-transport") if code in demo.industries]
    _list(
        holder_user=leader,
        post="分管副县长",
        region=demo.county,
        owner=office,
        year=year,
        reviewed_on=reviewed_on,
        office_user=office_user,
        items=[
            (
                "leadership",
                "一岗双责：分管住建、交通领域安全生产工作，每季度至少带队检查一次，研究解决分管领域重大问题。",
                "《地方党政领导干部安全生产责任制规定》第九条",
                focus,
                [],
            ),
            (
                "leadership",
                "参加县安委会全体会议，督促分管部门落实“三管三必须”。",
                "《来安县安全生产委员会工作规则》",
                [],
                [],
            ),
        ],
    )
    lists += 1
    # The 住建局's year-end task, reported early and awaiting the 安委办's confirmation.
    housing = units.unit_for(demo.departments["住建局"]) if "住建局" in demo.departments else None
    if housing is not None:
        last = WorkTask.objects.filter(unit=housing, year=year, due_on=date(year, 12, 31)).first()
        if last is not None and last.status != WorkTask.Status.DONE and today <= last.due_on:
            evidence = TaskEvidence(
                task=last, added_by=demo.users["zhujian"], note="总结初稿", file_name="年度总结.png"
            )
            evidence.file.save(f"demo-{last.pk}.png", ContentFile(_photo()), save=False)
            records.save_with_history(evidence, demo.users["zhujian"], REASON)
            records.update_with_history(
                last,
                demo.users["zhujian"],
                REASON,
                status=WorkTask.Status.REPORTED,
                reported_on=today,
                reported_by=demo.users["zhujian"],
                report_note="年度总结已完成，请审核。",
            )
    tasks += _groundwork(demo, year=year, today=today, office_user=office_user)
    demo.counts["责任清单"] = lists
    demo.counts["工作任务"] = tasks
