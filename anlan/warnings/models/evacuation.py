"""转移避险: for one warning, each town's households to move — from the points the warning threatens (their
threatened households and people) and added by hand — followed until moved (and where they stay) and home
again; the 应转必转 rate is read from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import rules

EVACUATE = "warnings.evacuate"


class Evacuation(models.Model):
    """One town's 转移避险 for one warning (opened once; its households are the rows)."""

    warning = models.ForeignKey(
        "warnings.Warning", verbose_name=_("预警"), on_delete=models.CASCADE, related_name="evacuations"
    )
    town = models.ForeignKey(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("启动人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("启动时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="town")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转移避险")
        verbose_name_plural = _("转移避险")
        ordering = ["-created_at", "town_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["warning", "town"], name="warning_evacuation_once_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.warning} · {self.town.name}"


class Household(models.Model):
    """A household to move (户主, people); a row made from a point stands for all its threatened households."""

    evacuation = models.ForeignKey(
        Evacuation, verbose_name=_("转移避险"), on_delete=models.CASCADE, related_name="households"
    )
    point = models.ForeignKey(
        "warnings.Point",
        verbose_name=_("来自隐患点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head_name = models.CharField(_("户主"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    households = models.PositiveIntegerField(_("户数"), default=1)
    people = models.PositiveIntegerField(_("人数"))
    status = models.CharField(
        _("状态"), max_length=10, choices=rules.HOUSEHOLD_STATUSES, default=rules.TO_MOVE
    )
    shelter_kind = models.CharField(_("安置方式"), max_length=10, choices=rules.SHELTER_KINDS, blank=True)
    shelter = models.ForeignKey(
        "emergency.Shelter",
        verbose_name=_("避难场所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shelter_note = models.CharField(_("安置地点说明"), max_length=200, blank=True)
    moved_at = models.DateTimeField(_("转移时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("返回时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="evacuation__town")
    history = HistoricalRecords()

    # The state machine; services/evacuation.py performs each step.
    TRANSITIONS = (
        Transition(
            "move",
            frozenset({rules.TO_MOVE}),
            rules.MOVED,
            EVACUATE,
            _("登记已转移"),
            form="anlan.warnings.forms.evacuation.MoveForm",
        ),
        Transition(
            "return",
            frozenset({rules.MOVED}),
            rules.RETURNED,
            EVACUATE,
            _("登记已返回"),
            guards=(lambda household, user: _return_refusal(household),),
            confirm=_("确认该户已返回？"),
            style="success",
        ),
        Transition(
            "undo",
            frozenset({rules.MOVED}),
            rules.TO_MOVE,
            EVACUATE,
            _("撤回转移登记"),
            reason_required=True,
            style="secondary",
        ),
    )

    class Meta:
        verbose_name = _("转移户")
        verbose_name_plural = _("转移户")
        ordering = ["evacuation", "status", "point_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evacuation", "point"],
                condition=Q(point__isnull=False),
                name="warning_household_once_per_point",
            )
        ]
        indexes = [models.Index(fields=["evacuation", "status"], name="warning_household_status")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.head_name:
            return self.head_name
        return str(_("%(point)s受威胁群众") % {"point": self.point.name if self.point_id else ""})


def _return_refusal(household):
    from anlan.core.workflow import Refusal

    if rules.may_return(household.evacuation.warning.status):
        return None
    return Refusal("household_return_early", str(_("预警解除前不得组织群众返回。")))
