"""责任落实: the governance app's models, one module per part. Every model keeps the `governance` app label.
State machines: each model's `TRANSITIONS` table."""

from .assessment import AssessmentRun, AssessmentScheme, Indicator, ManualScore, ResultLine, UnitResult
from .duties import DutyItem, DutyList, TaskEvidence, WorkTask
from .problems import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit

__all__: list[str] = [
    "AccountabilityRecord",
    "AssessmentRun",
    "AssessmentScheme",
    "DutyItem",
    "DutyList",
    "GovernmentLetter",
    "Indicator",
    "ManualScore",
    "Problem",
    "ResultLine",
    "SupervisionVisit",
    "TaskEvidence",
    "UnitResult",
    "WorkTask",
]
