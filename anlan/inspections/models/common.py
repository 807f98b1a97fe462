"""Shared pieces of the inspection models: the user model, the department scope, this module's document kinds
and the risk levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anlan.core.scope import ScopeSpec

from .. import rules

USER = settings.AUTH_USER_MODEL

THROUGH_DEPARTMENT = ScopeSpec(region="department__region", department="department")


class DocumentKind(models.TextChoices):
    """Documents of this module, numbered by anlan.documents per issuer, kind and year. The 责令限期整改指令书
    shares its kind (and sequence) with anlan.documents.DocumentKind.RECTIFICATION_ORDER."""

    INSPECTION_RECORD = "inspection_record", _("现场检查记录")
    RECTIFICATION_ORDER = "rectification_order", _("责令限期整改指令书")
    RECHECK_OPINION = "recheck_opinion", _("整改复查意见书")
    WARNING_LETTER = "warning_letter", _("警示提醒书")
    ADVICE_LETTER = "advice_letter", _("安全监管行政建议书")
    SUMMONS = "summons", _("约谈通知书")
    SUSPENSION_ORDER = "suspension_order", _("责令停产停业整顿指令书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    REFERRAL = "referral", _("案件移送书")
    RESUMPTION_NOTICE = "resumption_notice", _("复产通知")
    CLOSURE_PROPOSAL = "closure_proposal", _("提请关闭建议")


class RiskLevel(models.TextChoices):
    MAJOR = rules.RISK_MAJOR, _("重大风险（红）")
    HIGH = rules.RISK_HIGH, _("较大风险（橙）")
    MEDIUM = rules.RISK_MEDIUM, _("一般风险（黄）")
    LOW = rules.RISK_LOW, _("低风险（蓝）")
