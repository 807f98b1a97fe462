"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

from .people import Assessment, Certificate, StaffMember, TrainingRecord
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
from .selfcheck import (
    Checklist,
    ChecklistItem,
    MissedPeriod,
    RunResult,
    SelfInspectionRun,
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
    "Assessment",
    "Certificate",
    "StaffMember",
    "TrainingRecord",
    "Checklist",
    "ChecklistItem",
    "MissedPeriod",
    "RunResult",
    "SelfInspectionRun",
    "LiabilityPolicy",
    "PolicyService",
    "ResponsibilitySystem",
    "SafetySpending",
    "SpendingUse",
    "StandardisationGrade",
]
