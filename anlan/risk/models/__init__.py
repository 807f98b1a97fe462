"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

from .register import (
    ControlLevel,
    ControlMeasure,
    GradingSettings,
    HazardCheck,
    Level,
    RiskAssessment,
    RiskPoint,
    SitePlan,
)
from .standard import (
    LiabilityPolicy,
    PolicyService,
    ResponsibilitySystem,
    SafetySpending,
    SpendingUse,
    StandardisationGrade,
)

__all__: list[str] = [
    "ControlLevel",
    "ControlMeasure",
    "GradingSettings",
    "HazardCheck",
    "Level",
    "RiskAssessment",
    "RiskPoint",
    "SitePlan",
    "LiabilityPolicy",
    "PolicyService",
    "ResponsibilitySystem",
    "SafetySpending",
    "SpendingUse",
    "StandardisationGrade",
]
