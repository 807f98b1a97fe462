"""监督检查与执法: plans, the inspector pool, 双随机 draws, inspection records with checklists, enforcement
actions and their documents, 停产整顿 with 复产验收, and 安全生产记分. One module per sub-domain; every model
keeps the `inspections` app label and its table. State machines: each model's `TRANSITIONS` table."""

from .closure import ClosureProposal
from .common import THROUGH_DEPARTMENT, USER, DocumentKind, RiskLevel
from .enforcement import EnforcementAction, Letter
from .plans import Conflict, InspectionPlan, Inspector, PlanTarget, RandomDraw
from .scoring import ScoredPerson, ScoreEntry, ScoreProposal, ScoringRule
from .suspension import DEFAULT_CHAIN, Resumption, ResumptionStep, SignoffStep, Suspension
from .visits import THROUGH_INSPECTION, Answer, AnswerPhoto, Inspection
from .watch import JointMeasure, WatchPlan, WatchVisit, WatchVisitPhoto

# The tables under their former module-level names (docs and older imports use them).
DRAW_TRANSITIONS = RandomDraw.TRANSITIONS
INSPECTION_TRANSITIONS = Inspection.TRANSITIONS
ENFORCEMENT_TRANSITIONS = EnforcementAction.TRANSITIONS

__all__ = [
    "DEFAULT_CHAIN",
    "DRAW_TRANSITIONS",
    "ENFORCEMENT_TRANSITIONS",
    "INSPECTION_TRANSITIONS",
    "THROUGH_DEPARTMENT",
    "THROUGH_INSPECTION",
    "USER",
    "Answer",
    "ClosureProposal",
    "AnswerPhoto",
    "Conflict",
    "DocumentKind",
    "EnforcementAction",
    "Inspection",
    "InspectionPlan",
    "Inspector",
    "JointMeasure",
    "Letter",
    "PlanTarget",
    "RandomDraw",
    "Resumption",
    "ResumptionStep",
    "RiskLevel",
    "ScoredPerson",
    "ScoreEntry",
    "ScoreProposal",
    "ScoringRule",
    "SignoffStep",
    "Suspension",
    "WatchPlan",
    "WatchVisit",
    "WatchVisitPhoto",
]
