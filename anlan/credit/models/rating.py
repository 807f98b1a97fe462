"""四化五色: the five-colour rating of enterprises. A county's criteria (`RatingConfig`, issue #18's default when
it has none), each enterprise's current rating (`Rating`: the colour computed from facts and its reasons, and
the colour the county office approved — the one other modules and the portal read), and every change of colour
with its reasons (`RatingHistory`). No national standard defines the five colours; this is Anlan's default,
configurable per county."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.core.models import Enterprise, Region
from anlan.core.scope import ScopedQuerySet, ScopeSpec
from anlan.core.workflow import Transition

from .. import rules

APPROVE_RATING = "credit.approve_rating"
RECOMPUTE_RATING = "credit.recompute_rating"
CONFIGURE_RATING = "credit.configure_rating"
VIEW_RATINGS = "credit.view_ratings"
EXPORT_RATINGS = "credit.export_ratings"


class Colour(models.TextChoices):
    RED = rules.RED, _("红色")
    ORANGE = rules.ORANGE, _("橙色")
    YELLOW = rules.YELLOW, _("黄色")
    BLUE = rules.BLUE, _("蓝色")
    GREEN = rules.GREEN, _("绿色")


class RatingConfig(models.Model):
    """五色评定标准 of one county: which criteria are on, the windows and thresholds. Without a row the county
    uses issue #18's default (`rules.DEFAULT_CONFIG`). Kept by the county's 安委办/应急管理局."""

    region = models.OneToOneField(
        Region, verbose_name=_("适用区划（县级）"), on_delete=models.PROTECT, related_name="+"
    )
    red_major_risk = models.BooleanField(_("红：最高风险为重大风险"), default=True)
    red_dishonest = models.BooleanField(_("红：列入严重失信主体名单"), default=True)
    red_serious_accident = models.BooleanField(_("红：近期发生较大及以上事故"), default=True)
    red_overdue_major_hazard = models.BooleanField(_("红：重大事故隐患逾期未整改"), default=True)
    orange_significant_risk = models.BooleanField(_("橙：最高风险为较大风险"), default=True)
    orange_open_major_hazard = models.BooleanField(_("橙：存在未销号的重大事故隐患"), default=True)
    orange_accident = models.BooleanField(_("橙：近期发生生产安全事故"), default=True)
    orange_penalty = models.BooleanField(_("橙：近期受到行政处罚"), default=True)
    yellow_general_risk = models.BooleanField(_("黄：最高风险为一般风险"), default=True)
    yellow_overdue_hazards = models.BooleanField(_("黄：一般事故隐患逾期未整改"), default=True)
    yellow_selfcheck_missing = models.BooleanField(_("黄：自查自改缺失"), default=True)
    yellow_selfcheck_unrecorded = models.BooleanField(_("黄：未记录自查自改"), default=False)
    green_enabled = models.BooleanField(_("评定绿色"), default=True)
    recent_months = models.PositiveSmallIntegerField(
        _("近期窗口（月）"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    clean_years = models.PositiveSmallIntegerField(
        _("绿色无事故无逾期年限（年）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    overdue_hazards_threshold = models.PositiveSmallIntegerField(
        _("逾期一般隐患阈值（项）"), default=1, validators=[MinValueValidator(1)]
    )
    selfcheck_missing_threshold = models.PositiveSmallIntegerField(
        _("自查缺失阈值（期）"), default=1, validators=[MinValueValidator(1)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(region="region")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    # The rules.RatingConfig fields this model keeps, in form order.
    FIELDS = tuple(rules.RatingConfig.__dataclass_fields__)

    class Meta:
        verbose_name = _("五色评定标准")
        verbose_name_plural = _("五色评定标准")

    def __str__(self) -> str:
        return f"{self.region.name} {_('五色评定标准')}"

    def to_rules(self) -> rules.RatingConfig:
        return rules.RatingConfig(**{name: getattr(self, name) for name in self.FIELDS})


class Rating(models.Model):
    """五色评定: an enterprise's colour computed from facts (`colour`, `reasons`, `inputs`) and the colour the
    county office approved (`approved_colour`, read by other modules and the portal). A recompute whose colour
    differs from the approved one leaves the rating 待审定 until approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审定")
        APPROVED = "approved", _("已审定")

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    colour = models.CharField(_("评定颜色"), max_length=10, choices=Colour.choices, blank=True)
    reasons = models.JSONField(_("评定理由"), default=list, blank=True)
    inputs = models.JSONField(_("评定依据数据"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("评定时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    approved_colour = models.CharField(_("审定颜色"), max_length=10, choices=Colour.choices, blank=True)
    approved_reasons = models.JSONField(_("审定理由"), default=list, blank=True)
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("enterprise")
    history = HistoricalRecords(excluded_fields=["inputs"])

    TRANSITIONS = (
        Transition(
            "approve",
            frozenset({Status.PENDING}),
            Status.APPROVED,
            APPROVE_RATING,
            _("审定"),
            style="success",
        ),
    )

    class Meta:
        verbose_name = _("五色评定")
        verbose_name_plural = _("五色评定")
        ordering = ["enterprise_id"]
        indexes = [
            models.Index(fields=["status", "enterprise"], name="credit_rating_status"),
            models.Index(fields=["approved_colour", "enterprise"], name="credit_rating_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_colour_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class RatingHistory(models.Model):
    """评定变化记录: one row each time an enterprise's computed colour changes (with the reasons then) and each
    time a colour is approved. A recompute that leaves the colour unchanged writes none. Append-only."""

    class Event(models.TextChoices):
        COMPUTED = "computed", _("重新评定")
        APPROVED = "approved", _("审定")

    rating = models.ForeignKey(
        Rating, verbose_name=_("五色评定"), on_delete=models.CASCADE, related_name="changes"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("生产经营单位"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("事项"), max_length=10, choices=Event.choices)
    colour = models.CharField(_("颜色"), max_length=10, choices=Colour.choices)
    previous_colour = models.CharField(_("原颜色"), max_length=10, choices=Colour.choices, blank=True)
    reasons = models.JSONField(_("理由"), default=list, blank=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec.through_enterprise("enterprise")

    class Meta:
        verbose_name = _("五色评定变化记录")
        verbose_name_plural = _("五色评定变化记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "at"], name="credit_rating_history")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.colour} {self.at:%Y-%m-%d}"
