"""四级包保 (seed-map A6): the county 安委办 keeps the list of leaders paired with a town, an enterprise or a
geohazard point (安全生产包保 or 防汛挂联), each at one of the four levels with a visit frequency; the leader (or
the office for them) records each visit with what was checked and found. The next visit's due day is kept as a
column (rules.baobao_visit_due) so "overdue" is one indexed filter, and the daily sweep flags each due day
once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Region, Role, Unit
from anlan.core.scope import NOTHING, ScopedQuerySet, ScopeSpec

from .. import rules

MANAGE_BAOBAO = "governance.manage_baobao"
EXPORT_BAOBAO = "governance.export_baobao"


def _not_by_department(membership, q: Q) -> Q:
    """A department's territorial scope is the whole county: the 包保 list is not its business (its own leaders
    see their pairings as the paired leader, the `participant` path)."""
    return NOTHING if membership.role == Role.DEPARTMENT else q


class Assignment(models.Model):
    """包保关系: one leader paired with one target — a town, an enterprise or a geohazard point — for a year, at
    one of the four levels, with the visit frequency required; kept by the county 安委办 (`owner_unit`)."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("包保领导"), on_delete=models.PROTECT, related_name="+"
    )
    leader_post = models.CharField(_("职务"), max_length=100, help_text=_("如：县委常委、副县长"))
    level = models.CharField(_("包保层级"), max_length=8, choices=rules.BAOBAO_LEVELS)
    kind = models.CharField(_("包保类别"), max_length=8, choices=rules.BAOBAO_KINDS)
    target_type = models.CharField(_("包保对象类型"), max_length=10, choices=rules.BAOBAO_TARGET_TYPES)
    town = models.ForeignKey(
        Unit,
        verbose_name=_("乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    point = models.ForeignKey(
        "warnings.Point",
        verbose_name=_("地质灾害隐患点"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    started_on = models.DateField(_("包保开始日期"))
    every_days = models.PositiveSmallIntegerField(_("走访频次（天）"), help_text=_("每隔多少天至少走访一次"))
    is_active = models.BooleanField(_("有效"), default=True)
    note = models.TextField(_("包保职责"), blank=True)
    owner_unit = models.ForeignKey(Unit, verbose_name=_("安委办"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    last_visited_on = models.DateField(_("最近走访日期"), null=True, blank=True)
    due_on = models.DateField(_("下次走访时限"))
    overdue_flagged_for = models.DateField(_("逾期提醒所对应的时限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    # The target's region (a town sees what lies in it), the enterprise itself, the office keeping the list,
    # and the paired leader wherever their own membership sits.
    scope = ScopeSpec(
        region="region",
        enterprise="enterprise",
        owner_unit="owner_unit",
        participant="leader",
        refine=_not_by_department,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("包保关系")
        verbose_name_plural = _("包保关系")
        ordering = ["level", "leader_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target_type="town", town__isnull=False, enterprise__isnull=True, point__isnull=True)
                    | Q(
                        target_type="enterprise",
                        town__isnull=True,
                        enterprise__isnull=False,
                        point__isnull=True,
                    )
                    | Q(target_type="point", town__isnull=True, enterprise__isnull=True, point__isnull=False)
                ),
                name="gov_baobao_one_target",
            )
        ]
        indexes = [
            models.Index(fields=["region", "is_active", "due_on"], name="gov_baobao_region_due"),
            models.Index(fields=["leader", "is_active"], name="gov_baobao_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.leader_name} · {self.target_name}"

    @property
    def leader_name(self) -> str:
        return self.leader.display_name

    @property
    def target(self):
        return {"town": self.town, "enterprise": self.enterprise, "point": self.point}.get(self.target_type)

    @property
    def target_name(self) -> str:
        target = self.target
        return getattr(target, "name", "") or "—"


class Visit(models.Model):
    """包保走访/督导: one visit of the paired leader to the target — the day, what was checked, what was found and
    how many problems; recorded by the leader or by the office for them. Findings stay text here (a hazard
    is registered through the hazards module's own pages)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("包保关系"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    checked = models.TextField(_("检查督导内容"))
    findings = models.TextField(_("发现问题"), blank=True)
    problems_found = models.PositiveIntegerField(_("发现问题数"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(
        region="assignment__region",
        enterprise="assignment__enterprise",
        owner_unit="assignment__owner_unit",
        participant="assignment__leader",
        refine=_not_by_department,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("包保走访")
        verbose_name_plural = _("包保走访")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.visited_on}"
