"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

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
