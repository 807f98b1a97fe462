"""提请关闭: an enterprise with a 重大事故隐患 penalised 3 times within 180 days or 4 times within a year
(安全生产法 第一百一十三条) is flagged; the supervising department drafts the 提请关闭建议 to the government,
the county office records the government's decision, and a closure bars the 主要负责人 for five years."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Department, Enterprise
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .common import USER
from .enforcement import EnforcementAction


class ClosureProposal(models.Model):
    """提请关闭建议 for an enterprise that met 第一百一十三条: the penalties counted, their window, the draft and
    the government's decision."""

    class Status(models.TextChoices):
        FLAGGED = "flagged", _("已达提请关闭条件")
        PROPOSED = "proposed", _("已提请关闭")
        CLOSED = "closed", _("已决定关闭")
        NOT_CLOSED = "not_closed", _("决定不予关闭")
        DISMISSED = "dismissed", _("不予提请")

    OPEN = (Status.FLAGGED, Status.PROPOSED)

    # The department (or the 安委办) drafts the 提请关闭建议 with facts and basis (its DOCX is issued then), or
    # dismisses the flag with a reason (e.g. penalties revoked); the county office records the government's
    # decision: 关闭 (decision number and date; the enterprise is closed and its 主要负责人 barred) or not.
    TRANSITIONS: tuple[Transition, ...] = (
        Transition(
            "propose",
            frozenset({Status.FLAGGED}),
            Status.PROPOSED,
            "inspections.propose_closure",
            _("提请关闭"),
            form="anlan.inspections.forms.ClosureDraftForm",
        ),
        Transition(
            "dismiss",
            frozenset({Status.FLAGGED}),
            Status.DISMISSED,
            "inspections.propose_closure",
            _("不予提请"),
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "close",
            frozenset({Status.PROPOSED}),
            Status.CLOSED,
            "inspections.decide_closure",
            _("政府决定关闭"),
            form="anlan.inspections.forms.ClosureDecisionForm",
            style="danger",
        ),
        Transition(
            "keep_open",
            frozenset({Status.PROPOSED}),
            Status.NOT_CLOSED,
            "inspections.decide_closure",
            _("政府决定不予关闭"),
            reason_required=True,
            style="secondary",
        ),
    )

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="closure_proposals"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("提请部门"), on_delete=models.PROTECT, related_name="closure_proposals"
    )
    actions = models.ManyToManyField(
        EnforcementAction, verbose_name=_("计入的行政处罚"), related_name="closure_proposals"
    )
    window_start = models.DateField(_("首次处罚日期"))
    window_end = models.DateField(_("末次处罚日期"))
    window_days = models.PositiveSmallIntegerField(_("统计期间（日）"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.FLAGGED, db_index=True
    )
    facts = models.TextField(_("违法事实"), blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("提请关闭建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        USER, verbose_name=_("提请人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("提请日期"), null=True, blank=True)
    decision_number = models.CharField(_("关闭决定文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    reason = models.TextField(_("不予提请/不予关闭的理由"), blank=True)
    flagged_on = models.DateField(_("触发日期"))
    objects = ScopedQuerySet.as_manager()
    # Supervisors of the enterprise's region and industry, and the department itself; never the enterprise's
    # own users (no enterprise path) nor grid workers or experts.
    scope = ScopeSpec(region="enterprise__region", industry="enterprise__industry", department="department")
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        verbose_name = _("提请关闭")
        verbose_name_plural = _("提请关闭")
        ordering = ["-flagged_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["flagged", "proposed"]),
                name="closure_proposal_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def status_style(self) -> str:
        return {
            self.Status.FLAGGED: "warning",
            self.Status.PROPOSED: "primary",
            self.Status.CLOSED: "danger",
        }.get(self.status, "secondary")
