"""Scoped reads of 两个清单: the 责任清单 and their items, the 工作任务 and their evidence, the 待办 (lists to review,
reports to confirm, overdue tasks), the 照单追责 view of an accident and the 监管盲区 (blind spots)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anlan.core import recipients, trees, units
from anlan.core import rules as core_rules
from anlan.core.contract import TodoItem
from anlan.core.models import Enterprise, Membership, Role, Unit
from anlan.core.scope import memberships_of
from anlan.core.selectors import access

from .. import rules
from ..models import DutyItem, DutyList, TaskEvidence, WorkTask
from ..models.duties import REVIEW

# Units that hold a 责任清单 and a 工作任务清单 (三管三必须 for departments, 属地 for towns and parks).
HOLDER_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)
TASK_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.TOWN, Unit.Kind.PARK_COMMITTEE)
OPEN_TASK = (WorkTask.Status.NOT_STARTED, WorkTask.Status.IN_PROGRESS, WorkTask.Status.REPORTED)

# Records a task's evidence may link to: (app label, model, detail URL name, label). The record is read
# through its own model's scoped manager (as core.tags does), so a link never reveals what the adder cannot see.
LINKABLE = {
    "inspections.inspection": ("inspections:inspection-detail", _("检查记录")),
    "emergency.drill": ("emergency:drill-detail", _("应急演练")),
    "hazards.hazard": ("hazards:hazard-detail", _("隐患")),
}
LINKABLE_BY_URL = {url_name: label for label, (url_name, _text) in LINKABLE.items()}


# ---------------------------------------------------------------- 责任清单


def list_list(user) -> QuerySet[DutyList]:
    return (
        DutyList.objects.for_user(user)
        .select_related("holder_unit", "holder_user", "region", "owner_unit")
        .annotate(item_count=Count("items", distinct=True))
        .order_by(
            "-year", "holder_unit__kind", "holder_unit__name", "holder_user__real_name", "-version", "pk"
        )
    )


def access_list(user, pk, *, for_update: bool = False) -> DutyList:
    return access(
        DutyList.objects.select_related(
            "holder_unit", "holder_user", "region", "owner_unit", "reviewed_by", "created_by", "previous"
        ),
        user,
        pk,
        for_update=for_update,
    )


def items_of(duty_list: DutyList) -> QuerySet[DutyItem]:
    return duty_list.items.prefetch_related("industries", "regions").order_by("position")


def versions_of(duty_list: DutyList, user) -> QuerySet[DutyList]:
    """Every version of the same holder and year the user may see, newest first."""
    holder = (
        Q(holder_unit_id=duty_list.holder_unit_id)
        if duty_list.holder_unit_id
        else Q(holder_user_id=duty_list.holder_user_id)
    )
    return DutyList.objects.for_user(user).filter(holder, year=duty_list.year).order_by("-version")


def holder_units(user) -> QuerySet[Unit]:
    """The units whose list the user may draft: their own department, town or park committee (on first use
    made as `units.unit_for` does) — and, for the 安委办, the park committees of their region."""
    for membership in memberships_of(user):
        if membership.role == Role.DEPARTMENT and membership.department_id:
            units.unit_for(membership.department)
        elif (
            membership.role == Role.TOWN
            and membership.region is not None
            and membership.region.level == trees.TOWN
        ):
            units.unit_for(membership.region)
    own = units.units_of(user).filter(kind__in=(Unit.Kind.DEPARTMENT, Unit.Kind.TOWN), is_active=True)
    q = Q(pk__in=own.values("pk"))
    if _reviews(user):
        q |= Q(kind=Unit.Kind.PARK_COMMITTEE, pk__in=Unit.objects.for_user(user, REVIEW).values("pk"))
    return Unit.objects.filter(q, is_active=True).order_by("kind", "region_id", "name")


def _reviews(user) -> bool:
    from anlan.core.permissions import has_right

    return has_right(user, REVIEW)


def leader_choices(user) -> QuerySet:
    """Leaders (the LEADER role) of the regions the user reviews for: whose lists the 安委办 drafts."""
    if not _reviews(user):
        return get_user_model().objects.none()
    regions = [m.region_id for m in memberships_of(user) if m.role == Role.COMMITTEE_OFFICE and m.region_id]
    q = Q()
    for code in regions:
        low, high = core_rules.subtree_bounds(code, core_rules.level_of_code(code))
        q |= Q(region_id__gte=low, region_id__lte=high)
    if not regions:
        return get_user_model().objects.none()
    leader_ids = Membership.objects.filter(q, role=Role.LEADER, is_active=True).values("user_id")
    return (
        get_user_model().objects.filter(pk__in=leader_ids, is_active=True).order_by("real_name", "username")
    )


def leader_region(user) -> str | None:
    """The region of a leader's (first active) LEADER membership."""
    membership = (
        Membership.objects.filter(user=user, role=Role.LEADER, is_active=True).order_by("region_id").first()
    )
    return membership.region_id if membership else None


def open_version_exists(*, holder_unit_id=None, holder_user_id=None, year: int) -> bool:
    holder = Q(holder_unit_id=holder_unit_id) if holder_unit_id else Q(holder_user_id=holder_user_id)
    return DutyList.objects.filter(holder, year=year).exclude(status=DutyList.Status.APPROVED).exists()


def latest_version(*, holder_unit_id=None, holder_user_id=None, year: int) -> int:
    holder = Q(holder_unit_id=holder_unit_id) if holder_unit_id else Q(holder_user_id=holder_user_id)
    row = DutyList.objects.filter(holder, year=year).order_by("-version").values_list("version", flat=True)
    return row.first() or 0


# ---------------------------------------------------------------- 工作任务清单


def task_list(user) -> QuerySet[WorkTask]:
    return (
        WorkTask.objects.for_user(user)
        .select_related("unit", "region", "duty_item")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("due_on", "pk")
    )


def access_task(user, pk, *, for_update: bool = False) -> WorkTask:
    return access(
        WorkTask.objects.select_related(
            "unit", "region", "duty_item__duty_list", "created_by", "reported_by", "confirmed_by"
        ),
        user,
        pk,
        for_update=for_update,
    )


def access_evidence(user, pk) -> TaskEvidence:
    return access(TaskEvidence.objects.select_related("task"), user, pk)


def task_units(user) -> QuerySet[Unit]:
    """The units a user may give tasks to: their own (department, town), or — for the 安委办 — every
    department, town and park committee in their scope."""
    q = Q(pk__in=holder_units(user).values("pk"))
    if _reviews(user):
        q |= Q(pk__in=Unit.objects.for_user(user, REVIEW).filter(kind__in=TASK_KINDS).values("pk"))
    return Unit.objects.filter(q, is_active=True).order_by("kind", "region_id", "name")


def duty_items_of_unit(unit: Unit, year: int) -> QuerySet[DutyItem]:
    """The items of the unit's approved lists of the year (a task may name the listed duty it carries out)."""
    return DutyItem.objects.filter(
        duty_list__holder_unit=unit, duty_list__year=year, duty_list__status=DutyList.Status.APPROVED
    ).order_by("-duty_list__version", "position")


@dataclass
class Evidence:
    row: TaskEvidence
    title: str
    url: str
    kind: str


def evidence_of(task: WorkTask, user) -> list[Evidence]:
    """The task's evidence, each with a title and a link: a file's download, a linked record's page when the
    viewer can still see it (otherwise its title as linked, without a link)."""
    rows = list(task.evidence.select_related("record_type", "added_by").order_by("pk"))
    shown = []
    for row in rows:
        if row.file:
            shown.append(
                Evidence(
                    row, row.file_name, reverse("governance:evidence-file", args=[row.pk]), str(_("文件"))
                )
            )
            continue
        label = row.record_type.app_label + "." + row.record_type.model
        url_name, kind = LINKABLE.get(label, ("", ""))
        url = ""
        if url_name and record_visible(user, row.record_type, row.record_id):
            url = reverse(url_name, args=[row.record_id])
        shown.append(Evidence(row, row.record_title, url, str(kind)))
    return shown


def record_visible(user, content_type: ContentType, pk: int) -> bool:
    model = content_type.model_class()
    manager = model._default_manager if model is not None else None
    return bool(manager is not None and manager.for_user(user).filter(pk=pk).exists())


def resolve_record(user, link: str):
    """The record a pasted page link (or `kind:id`) names, if it is linkable and the user can see it:
    (content type, record) or None."""
    link = (link or "").strip()
    path = link.split("://", 1)[-1]
    path = "/" + path.split("/", 1)[1] if "://" in link and "/" in path else link
    try:
        match = resolve(path.split("?", 1)[0])
    except (Resolver404, NoReverseMatch):
        return None
    label = LINKABLE_BY_URL.get(match.view_name)
    pk = match.kwargs.get("pk")
    if label is None or pk is None:
        return None
    app_label, model_name = label.split(".")
    content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    model = content_type.model_class()
    record = model._default_manager.for_user(user).filter(pk=pk).first()
    return (content_type, record) if record is not None else None


def today() -> date:
    return timezone.localdate()


def with_shown_status(tasks, today_: date):
    """Each task with `shown_status` and `shown_label` (逾期 derived by rules.task_status)."""
    for task in tasks:
        task.shown_status = rules.task_status(task.status, task.due_on, today_, task.reported_on)
        task.shown_label = rules.TASK_STATUS_LABELS[task.shown_status]
    return tasks


def overdue_q(today_: date) -> Q:
    """SQL form of rules.task_is_overdue."""
    reported_in_time = Q(status=WorkTask.Status.REPORTED, reported_on__lte=F("due_on"))
    return Q(status__in=OPEN_TASK, due_on__lt=today_) & ~reported_in_time


# ---------------------------------------------------------------- 待办 and counts


def my_overdue_tasks(user) -> QuerySet[WorkTask]:
    """Overdue tasks of the user's own units (the 待办 of the unit)."""
    return (
        WorkTask.objects.for_user(user)
        .filter(overdue_q(today()), unit__in=units.units_of(user))
        .select_related("unit")
        .order_by("due_on", "pk")
    )


def overdue_tasks(user, **params) -> QuerySet[WorkTask]:
    """Overdue tasks in the user's scope (counted for the 安委办)."""
    return WorkTask.objects.for_user(user).filter(overdue_q(today()))


def reports_to_confirm(user) -> QuerySet[WorkTask]:
    """Completion reports awaiting the user's confirmation (the 安委办's 待办), none of their own unit."""
    return (
        WorkTask.objects.for_user(user, REVIEW)
        .filter(status=WorkTask.Status.REPORTED)
        .exclude(unit__in=units.units_of(user))
        .select_related("unit")
        .order_by("reported_on", "pk")
    )


def lists_to_review(user) -> QuerySet[DutyList]:
    """责任清单 submitted for review, none of the user's own."""
    return (
        DutyList.objects.for_user(user, REVIEW)
        .filter(status=DutyList.Status.SUBMITTED)
        .exclude(holder_unit__in=units.units_of(user))
        .exclude(holder_user=user)
        .select_related("holder_unit", "holder_user")
        .order_by("submitted_at", "pk")
    )


def task_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(
            title=f"{row.unit.name}：{row.title}",
            url=reverse("governance:task-detail", args=[row.pk]),
            due=row.due_on,
        )
        for row in rows[:limit]
    ]


def list_todo_items(rows, limit: int) -> list[TodoItem]:
    return [
        TodoItem(title=str(row), url=reverse("governance:list-detail", args=[row.pk])) for row in rows[:limit]
    ]


def overdue_url(user) -> str:
    return reverse("governance:task-list") + "?overdue=1"


def reports_url(user) -> str:
    return reverse("governance:task-list") + "?status=reported"


def lists_url(user) -> str:
    return reverse("governance:list-list") + "?status=submitted"


def overdue_for_sweep(today_: date) -> QuerySet[WorkTask]:
    """Every overdue task (the sweep tells each unit once per task)."""
    return WorkTask.objects.filter(overdue_q(today_)).select_related("unit")


# ---------------------------------------------------------------- 照单追责 / 尽职免责


@dataclass
class TaskRow:
    task: WorkTask
    outcome: str
    outcome_label: str
    evidence: list[Evidence]


@dataclass
class HolderRow:
    duty_list: DutyList
    items: list[DutyItem]
    tasks: list[TaskRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def accountability(
    user, accident, *, region_code: str, industry_id: int | None, accident_on: date, occurred_at
):
    """The holders whose approved 责任清单 (the version approved before the accident) covers the accident's
    enterprise — its industry and region — and, for unit holders, every task of that year's 工作任务清单 with
    what its record says on the accident's day (rules.task_outcome) and its evidence."""
    lineage = set(trees.industry_lineage(industry_id)) if industry_id else set()
    lists = (
        DutyList.objects.for_user(user)
        .filter(
            status=DutyList.Status.APPROVED,
            year=accident_on.year,
            region_id__in=trees.ancestor_codes(region_code),
            reviewed_at__lte=occurred_at,
        )
        .select_related("holder_unit", "holder_user")
        .order_by("-version")
    )
    newest: dict[tuple, DutyList] = {}
    for duty_list in lists:
        newest.setdefault((duty_list.holder_unit_id, duty_list.holder_user_id), duty_list)
    rows = []
    for duty_list in newest.values():
        covered = [
            item
            for item in items_of(duty_list)
            if rules.duty_covers(
                {i.pk for i in item.industries.all()},
                {r.pk for r in item.regions.all()},
                lineage,
                region_code,
            )
        ]
        if covered:
            rows.append(HolderRow(duty_list, covered))
    labels = dict(rules.TASK_OUTCOMES)
    unit_ids = [row.duty_list.holder_unit_id for row in rows if row.duty_list.holder_unit_id]
    tasks = (
        WorkTask.objects.for_user(user)
        .filter(unit_id__in=unit_ids, year=accident_on.year)
        .select_related("unit")
        .order_by("due_on", "pk")
    )
    by_unit: dict[int, list[WorkTask]] = {}
    for task in tasks:
        by_unit.setdefault(task.unit_id, []).append(task)
    for row in rows:
        row.counts = {code: 0 for code, _label in rules.TASK_OUTCOMES}
        for task in by_unit.get(row.duty_list.holder_unit_id, []):
            outcome = rules.task_outcome(task.status, task.due_on, task.completed_on, accident_on)
            row.counts[outcome] += 1
            row.tasks.append(TaskRow(task, outcome, str(labels[outcome]), evidence_of(task, user)))
    rows.sort(key=lambda r: (r.duty_list.holder_unit_id is None, r.duty_list.holder_name))
    return rows


# ---------------------------------------------------------------- 监管盲区


def _unsupervised_pairs(enterprises: QuerySet) -> dict[int, list[str]]:
    """The (industry → regions) of the enterprises' (region, main industry) pairs no department supervises
    (recipients.DepartmentRouter: the rule of `supervising_department`, three queries for all pairs)."""
    router = recipients.DepartmentRouter()
    pairs = enterprises.order_by().values_list("region_id", "industry_id").distinct()
    blind: dict[int, list[str]] = {}
    for region_id, industry_id in pairs:
        if industry_id is not None and router.department_id(region_id, industry_id) is None:
            blind.setdefault(industry_id, []).append(region_id)
    return blind


def _blind_q(blind: dict[int, list[str]], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for industry_id, regions in blind.items():
        q |= Q(**{f"{prefix}industry_id": industry_id, f"{prefix}region_id__in": regions})
    return q


def _active_enterprises(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.for_user(user).exclude(
        status__in=(Enterprise.Status.CLOSED, Enterprise.Status.DEREGISTERED)
    )


def blind_enterprises(user) -> QuerySet[Enterprise]:
    """Operating or suspended enterprises in scope whose main industry no department supervises where they are."""
    enterprises = _active_enterprises(user)
    blind = _unsupervised_pairs(enterprises)
    return (
        enterprises.filter(_blind_q(blind)).select_related("region", "industry").order_by("region_id", "name")
    )


def blind_industries(user) -> QuerySet:
    """Industries with enterprises in scope that no department supervises (one row each, with how many such
    enterprises): an SQL aggregate over the blind enterprises."""
    return (
        blind_enterprises(user)
        .order_by()
        .values("industry_id", "industry__code", "industry__name")
        .annotate(enterprise_count=Count("pk"))
        .order_by("industry__code")
    )


def blind_hazards(user) -> QuerySet:
    """Open hazards in scope (the hazards app's public selector) whose enterprise no department supervises."""
    from anlan.hazards.selectors import open_hazards

    blind = _unsupervised_pairs(_active_enterprises(user))
    hazards = open_hazards(user)
    return (
        hazards.filter(_blind_q(blind, "enterprise__"))
        .select_related("enterprise", "region")
        .order_by("due_on", "pk")
    )


# ---------------------------------------------------------------- 基础工作 (task kinds with facts)


def _int_fact(path: str):
    """Sum of one whole-number fact across rows, in SQL (a JSON key cast to an integer; PostgreSQL and SQLite)."""
    return Sum(Cast(KT(f"facts__{path}"), IntegerField()))


def task_years(user) -> list[int]:
    return list(WorkTask.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct())


def groundwork_summary(user, year: int, *, confirmed_only: bool = False) -> dict:
    """基础工作 of one year in the user's jurisdiction: tasks per kind (total, reported, done) and the totals
    of their facts. Counts and the sums of scalar facts (people reached, coverage, counts of squads and
    stations) are SQL aggregates over the scoped tasks; the repeated parts (三同时 projects, 隐患根治 levels)
    are lists inside the JSON, so those two are added up in Python — over one year's tasks of those two kinds
    in a county, a few dozen rows (a province-wide page would move them to related rows or a JSON SQL
    function). Facts count whatever the task's status, or only confirmed ones with `confirmed_only`."""
    tasks = WorkTask.objects.for_user(user).filter(year=year)
    by_kind = {
        row["kind"]: row
        for row in tasks.values("kind").annotate(
            total=Count("pk"),
            reported=Count("pk", filter=Q(status=WorkTask.Status.REPORTED)),
            done=Count("pk", filter=Q(status=WorkTask.Status.DONE)),
            with_facts=Count("pk", filter=~Q(facts={})),
        )
    }
    kinds = [
        {
            "kind": code,
            "label": label,
            **{k: by_kind.get(code, {}).get(k, 0) for k in ("total", "reported", "done", "with_facts")},
        }
        for code, label in rules.TASK_KINDS
    ]
    counted = tasks.exclude(facts={})
    if confirmed_only:
        counted = counted.filter(status=WorkTask.Status.DONE)

    def totals(kind: str, **sums) -> dict:
        row = counted.filter(kind=kind).aggregate(**sums)
        return {key: value or 0 for key, value in row.items()}

    month = totals(
        rules.KIND_SAFETY_MONTH,
        activities=_int_fact("activities"),
        people=_int_fact("participants"),
        target=_int_fact("target"),
        reached=_int_fact("reached"),
    )
    venue_sums = {}
    for code, _label in rules.LAW_VENUES:
        venue_sums[f"{code}_activities"] = _int_fact(f"venues__{code}__activities")
        venue_sums[f"{code}_people"] = _int_fact(f"venues__{code}__people")
    law = totals(rules.KIND_LAW_FIVE, target=_int_fact("target"), reached=_int_fact("reached"), **venue_sums)
    venues = [
        {"label": label, "activities": law[f"{code}_activities"], "people": law[f"{code}_people"]}
        for code, label in rules.LAW_VENUES
    ]
    law_people = sum(v["people"] for v in venues)
    law_activities = sum(v["activities"] for v in venues)
    road = totals(
        rules.KIND_RURAL_ROAD,
        joint_squads=_int_fact("joint_squads"),
        stations=_int_fact("stations"),
        persuaders=_int_fact("persuaders"),
        offices=Count("pk", filter=Q(facts__town_office=True)),
    )
    community_levels, community_statuses = dict(rules.COMMUNITY_LEVELS), dict(rules.COMMUNITY_STATUSES)
    communities = [
        {
            "level": row["fact_level"],
            "status": row["fact_status"],
            "n": row["n"],
            "level_label": community_levels.get(row["fact_level"], row["fact_level"]),
            "status_label": community_statuses.get(row["fact_status"], row["fact_status"]),
        }
        for row in counted.filter(kind=rules.KIND_SAFE_COMMUNITY)
        .values(fact_level=KT("facts__level"), fact_status=KT("facts__status"))
        .annotate(n=Count("pk"))
        .order_by("fact_level", "fact_status")
    ]
    # The two lists inside the JSON (see above): Python over the year's tasks of these kinds.
    projects = checked_bad = 0
    for facts in counted.filter(kind=rules.KIND_THREE_SIMULTANEITIES).values_list("facts", flat=True):
        projects += len(facts["projects"])
        checked_bad += sum(1 for p in facts["projects"] if p["result"] == "non_compliant")
    levels: dict[str, dict] = {}
    for facts in counted.filter(kind=rules.KIND_ROOT_HAZARD).values_list("facts", flat=True):
        for row in facts["levels"]:
            name = rules.root_level_label(row["level"], row.get("label", ""))
            level = levels.setdefault(name, {"label": name, "target": 0, "done": 0})
            level["target"] += row["target"]
            level["done"] += row["done"]
    order = {str(label): index for index, (_code, label) in enumerate(rules.ROOT_LEVELS)}
    root = sorted(levels.values(), key=lambda r: (order.get(r["label"], len(order)), r["label"]))
    for row in root:
        row["percent"] = rules.progress_percent(row["done"], row["target"])
    return {
        "kinds": kinds,
        "safety_month": {**month, "coverage": rules.coverage_percent(month["reached"], month["target"])},
        "law_five": {
            "venues": venues,
            "people": law_people,
            "activities": law_activities,
            "target": law["target"],
            "reached": law["reached"],
            "coverage": rules.coverage_percent(law["reached"], law["target"]),
        },
        "three_simul": {"projects": projects, "non_compliant": checked_bad},
        "communities": communities,
        "rural_road": road,
        "root_hazard": root,
        "people_reached": month["people"] + law_people,
    }
