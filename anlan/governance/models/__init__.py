"""责任落实: the governance app's models, one module per part. Every model keeps the `governance` app label.
State machines: each model's `TRANSITIONS` table."""

from .assessment import AssessmentRun, AssessmentScheme, Indicator, ManualScore, ResultLine, UnitResult
from .baobao import Assignment, Visit
from .campaigns import (
    Campaign,
    CampaignArea,
    CampaignMember,
    CampaignReport,
    CardReport,
    CardReportEvidence,
    Decision,
    DecisionReport,
    DecisionTask,
    Meeting,
    TaskCard,
)
from .duties import DutyItem, DutyList, TaskEvidence, WorkTask
from .problems import AccountabilityRecord, GovernmentLetter, Problem, SupervisionVisit

__all__: list[str] = [
    "AccountabilityRecord",
    "Assignment",
    "AssessmentRun",
    "AssessmentScheme",
    "Campaign",
    "CampaignArea",
    "CampaignMember",
    "CampaignReport",
    "CardReport",
    "CardReportEvidence",
    "Decision",
    "DecisionReport",
    "DecisionTask",
    "DutyItem",
    "DutyList",
    "GovernmentLetter",
    "Indicator",
    "ManualScore",
    "Meeting",
    "Problem",
    "ResultLine",
    "SupervisionVisit",
    "TaskCard",
    "TaskEvidence",
    "UnitResult",
    "Visit",
    "WorkTask",
]
