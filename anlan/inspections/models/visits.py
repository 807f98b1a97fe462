"""Visits and checklists: 监督检查 records (whose scope hides a planned 四不两直 visit from the enterprise), their
checklist answers and the photos of the answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, Enterprise, Grid, Industry, Membership, Region, Role
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import guards
from .common import USER
from .plans import Inspector, RandomDraw

# Who never sees a 四不两直 visit before it happens: the enterprise, and the grid worker (who lives next to it).
UNANNOUNCED_HIDDEN_FROM = (Role.ENTERPRISE, Role.GRID_WORKER)


def hide_planned_unannounced(membership: Membership, q: Q) -> Q:
    """`ScopeSpec.refine` of inspections: an enterprise's users and the grid workers never see a 四不两直 visit
    that is still planned (no list entry, no detail, no API row, no count) — it appears once recorded."""
    if membership.role not in UNANNOUNCED_HIDDEN_FROM:
        return q
    return q & ~Q(kind=Inspection.Kind.UNANNOUNCED, status=Inspection.Status.PLANNED)


class Inspection(models.Model):
    """监督检查记录: planned (by hand or by a draw), then recorded on site with the checklist answers."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("日常检查")
        SPECIAL = "special", _("专项检查")
        RANDOM = "random", _("双随机抽查")
        UNANNOUNCED = "unannounced", _("四不两直/暗查暗访")
        SUPERVISION = "supervision", _("督查")
        RECHECK = "recheck", _("回头看")
        EXPERT = "expert", _("专家会诊")
        JOINT = "joint", _("联合执法")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待检查")
        RECORDED = "recorded", _("已检查")
        CANCELLED = "cancelled", _("已取消")

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", _("未发现问题")
        PROBLEMS = "problems", _("发现问题")
        NOT_FOUND = "not_found", _("检查对象不存在或已停业")

    # Recording asks for the checklist (its own page); a 双随机 inspection is never cancelled (guards.not_drawn).
    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "record",
            frozenset({Status.PLANNED}),
            Status.RECORDED,
            "inspections.inspect",
            _("记录检查结果"),
            guards=(guards.of_its_department,),
            form="anlan.inspections.forms.RecordForm",
        ),
        Transition(
            "cancel",
            frozenset({Status.PLANNED}),
            Status.CANCELLED,
            "inspections.inspect",
            _("取消检查"),
            reason_required=True,
            guards=(guards.not_drawn, guards.of_its_department),
            style="danger",
        ),
    )

    kind = models.CharField(_("检查类型"), max_length=20, choices=Kind.choices)
    # The lead department (牵头部门 of a 联合执法); none for a town's or a leader's own check (`conducted_by`).
    department = models.ForeignKey(
        Department,
        verbose_name=_("检查部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    conducted_by = models.CharField(_("检查单位"), max_length=120, blank=True)
    checkers = models.CharField(_("检查人员"), max_length=200, blank=True)
    draw = models.ForeignKey(
        RandomDraw,
        verbose_name=_("双随机抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产经营单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    place = models.CharField(_("检查场所"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("所属网格"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checklist = models.CharField(_("检查表"), max_length=40)
    team = models.ManyToManyField(Inspector, verbose_name=_("检查组"), related_name="inspections")
    planned_on = models.DateField(_("计划检查日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    arrived_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("检查结束时间"), null=True, blank=True)
    people_met = models.CharField(_("被检查单位人员"), max_length=200, blank=True)
    escort = models.CharField(_("陪同人员"), max_length=200, blank=True)
    result = models.CharField(_("检查结果"), max_length=20, choices=Result.choices, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    production_during_suspension = models.BooleanField(_("停产整顿期间擅自生产"), default=False)
    is_late = models.BooleanField(_("逾期检查"), default=False)
    early_reason = models.TextField(_("提前检查原因"), blank=True)
    signature_scan = models.FileField(
        _("签字确认扫描件"), upload_to="inspections/signatures/%Y/", blank=True, max_length=200
    )
    record_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("现场检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="region",
        industry="industry",
        grid="grid",
        enterprise="enterprise",
        department="department",
        refine=hide_planned_unannounced,
    )
    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["region", "planned_on"], name="inspection_region_planned"),
            models.Index(fields=["department", "planned_on"], name="inspection_department_planned"),
            models.Index(fields=["enterprise", "planned_on"], name="inspection_enterprise_planned"),
            models.Index(fields=["industry", "region"], name="inspection_industry_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject} · {self.planned_on}"

    @property
    def subject(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.place

    @property
    def is_unannounced(self) -> bool:
        return self.kind == self.Kind.UNANNOUNCED

    @property
    def is_own_check(self) -> bool:
        """A town's or a leader's own check (四不两直, 督查): no department, no enforcement."""
        return self.department_id is None

    @property
    def inspecting_body(self) -> str:
        return self.department.name if self.department_id else self.conducted_by


THROUGH_INSPECTION = ScopeSpec(
    region="inspection__region",
    industry="inspection__industry",
    grid="inspection__grid",
    enterprise="inspection__enterprise",
    department="inspection__department",
)


class Answer(models.Model):
    """One checklist item answered: 符合 / 不符合 / 不适用. A 不符合 answer is a finding and opens a hazard."""

    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("符合")
        NON_COMPLIANT = "non_compliant", _("不符合")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("监督检查"), on_delete=models.CASCADE, related_name="answers"
    )
    item_key = models.CharField(_("检查项"), max_length=40)
    item_text = models.TextField(_("检查内容"))
    basis = models.CharField(_("依据"), max_length=300)
    result = models.CharField(_("检查结论"), max_length=20, choices=Result.choices)
    note = models.TextField(_("情况说明"), blank=True)
    grade = models.CharField(_("隐患等级"), max_length=20, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("登记隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_answer",
    )
    objects = ScopedQuerySet.as_manager()
    scope = THROUGH_INSPECTION
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查项结论")
        verbose_name_plural = _("检查项结论")
        ordering = ["inspection_id", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item_key"], name="answer_one_per_item")]
        indexes = [models.Index(fields=["inspection", "result"], name="answer_inspection_result")]

    def __str__(self) -> str:
        return f"{self.item_key} {self.get_result_display()}"

    @property
    def is_finding(self) -> bool:
        return self.result == self.Result.NON_COMPLIANT

    @property
    def finding_text(self) -> str:
        """The failed item stated as a finding (the checklist data's wording), never "requirement：result"."""
        from ..data.checklists import ITEMS

        item = ITEMS.get(self.item_key)
        return item.finding_text if item is not None else self.item_text


class AnswerPhoto(models.Model):
    """A photo taken for a checklist answer."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("检查项结论"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("照片"), upload_to="inspections/%Y/%m/", max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self) -> str:
        return self.name
