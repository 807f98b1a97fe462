"""责任落实: the governance app's models, one module per part. Every model keeps the `governance` app label.
State machines: each model's `TRANSITIONS` table."""

from .assessment import AssessmentRun, AssessmentScheme, Indicator, ManualScore, ResultLine, UnitResult

__all__: list[str] = [
    "AssessmentRun",
    "AssessmentScheme",
    "Indicator",
    "ManualScore",
    "ResultLine",
    "UnitResult",
]
