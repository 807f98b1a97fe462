"""两个清单 for tests, made through the services as users make them: the 住建局's 责任清单 (one duty covering
construction in the county), drafted by the 住建局 and approved by the county 安委办; tasks of the 住建局 with
evidence, reported and confirmed."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anlan.core import units
from anlan.core.tests.factories import industry
from anlan.governance.services import duties as services


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def this_year() -> int:
    return timezone.localdate().year


def housing_unit(cast):
    return units.unit_for(cast.dept_housing)


def item_data(cast, **overrides) -> dict:
    return {
        "category": "industry",
        "text": "负责建筑施工行业安全生产监督管理，组织开展建筑施工安全检查。",
        "basis": "《安全生产法》第十条；县住建局三定方案",
        "industries": [industry("construction")],
        "regions": [],
        **overrides,
    }


def draft(cast, *, year=None, items=1, **item_overrides):
    """A draft list of the 住建局 with `items` duties."""
    duty_list = services.draft_list(
        actor=cast["dept_housing"], data={"holder_unit": housing_unit(cast), "year": year or this_year()}
    )
    for _index in range(items):
        services.add_item(
            actor=cast["dept_housing"], list_pk=duty_list.pk, data=item_data(cast, **item_overrides)
        )
    return duty_list


def submitted(cast, **kw):
    duty_list = draft(cast, **kw)
    return services.move_list(actor=cast["dept_housing"], list_pk=duty_list.pk, transition="submit")


def approved(cast, **kw):
    duty_list = submitted(cast, **kw)
    return services.move_list(actor=cast["county_office"], list_pk=duty_list.pk, transition="approve")


def task(cast, *, due_on: date | None = None, actor=None, unit=None, **overrides):
    due_on = due_on or date(this_year(), 12, 31)
    return services.create_task(
        actor=actor or cast["dept_housing"],
        data={
            "unit": unit or housing_unit(cast),
            "year": due_on.year,
            "title": "开展建筑施工安全专项检查",
            "description": "对全县在建工地开展一次全覆盖检查。",
            "due_on": due_on,
            "duty_item": None,
            **overrides,
        },
    )


def with_evidence(cast, **kw):
    row = task(cast, **kw)
    services.add_evidence(actor=cast["dept_housing"], task_pk=row.pk, upload=png(), note="检查现场")
    return row


def reported(cast, **kw):
    row = with_evidence(cast, **kw)
    return services.move_task(
        actor=cast["dept_housing"], task_pk=row.pk, transition="report", note="已完成检查。"
    )


def confirmed(cast, **kw):
    row = reported(cast, **kw)
    return services.move_task(actor=cast["county_office"], task_pk=row.pk, transition="confirm")


# 基础工作: facts of each kind, as a unit fills them in (valid for a task of this year).
def facts_of(kind: str) -> dict:
    year = this_year()
    return {
        "three_simul": {
            "projects": [
                {
                    "name": "危化品仓库扩建项目",
                    "enterprise": "某化工公司",
                    "stage": "acceptance",
                    "result": "compliant",
                },
                {
                    "name": "加油站改建项目",
                    "stage": "construction",
                    "result": "non_compliant",
                    "note": "消防设施未同步施工",
                },
            ]
        },
        "safety_month": {"activities": 6, "participants": 1200, "target": 50, "reached": 45},
        "law_five": {
            "venues": {
                code: {"activities": 1, "people": 100}
                for code in ("enterprise", "village", "community", "school", "agency")
            },
            "target": 20,
            "reached": 15,
        },
        "safe_community": {
            "community": "新安镇",
            "level": "provincial",
            "stage": "assess",
            "status": "passed",
        },
        "rural_road": {"town_office": True, "joint_squads": 1, "stations": 4, "persuaders": 9},
        "root_hazard": {
            "start_year": year - 1,
            "end_year": year + 1,
            "levels": [
                {"level": "county", "target": 10, "done": 4},
                {"level": "other", "label": "危化企业", "target": 3, "done": 3},
            ],
        },
    }[kind]


def groundwork(cast, kind: str, *, facts: dict | None = None, **kw):
    """A task of `kind` of the 住建局 with its facts recorded (none for `facts={}`)."""
    row = task(cast, kind=kind, title=f"基础工作：{kind}", **kw)
    raw = facts_of(kind) if facts is None else facts
    if raw:
        services.record_facts(actor=cast["dept_housing"], task_pk=row.pk, raw=raw)
    row.refresh_from_db()
    return row


def groundwork_reported(cast, kind: str, **kw):
    row = groundwork(cast, kind, **kw)
    services.add_evidence(actor=cast["dept_housing"], task_pk=row.pk, upload=png(), note="活动照片")
    return services.move_task(
        actor=cast["dept_housing"], task_pk=row.pk, transition="report", note="已完成。"
    )
