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

__all__: list[str] = [
    "ControlLevel",
    "ControlMeasure",
    "GradingSettings",
    "HazardCheck",
    "Level",
    "RiskAssessment",
    "RiskPoint",
    "SitePlan",
]
