"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

from .people import Assessment, Certificate, StaffMember, TrainingRecord
from .standard import (
    LiabilityPolicy,
    PolicyService,
    ResponsibilitySystem,
    SafetySpending,
    SpendingUse,
    StandardisationGrade,
)

__all__: list[str] = [
    "Assessment",
    "Certificate",
    "StaffMember",
    "TrainingRecord",
    "LiabilityPolicy",
    "PolicyService",
    "ResponsibilitySystem",
    "SafetySpending",
    "SpendingUse",
    "StandardisationGrade",
]
