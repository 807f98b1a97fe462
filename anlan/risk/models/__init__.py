"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

from .standard import (
    LiabilityPolicy,
    PolicyService,
    ResponsibilitySystem,
    SafetySpending,
    SpendingUse,
    StandardisationGrade,
)

__all__: list[str] = [
    "LiabilityPolicy",
    "PolicyService",
    "ResponsibilitySystem",
    "SafetySpending",
    "SpendingUse",
    "StandardisationGrade",
]
