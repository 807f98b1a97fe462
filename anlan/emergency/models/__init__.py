"""应急管理: duty (rosters, the duty log and 接报), incidents and their response, plans, drills, materials,
teams, shelters, experts and the towns' 四有. One module per sub-domain; every model keeps the `emergency` app
label. State machines: each model's `TRANSITIONS` table."""

from .drills import Drill, DrillProblem
from .duty import DutyLogEntry, DutyRoster, DutyShift, DutySwap
from .forces import ConsultationAssignment, Expert, ExpertConsultation, RescueTeam, Shelter, TownCapacity
from .incident import Incident
from .materials import MaterialItem, StockMovement, Warehouse
from .plans import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion

__all__ = [
    "ConsultationAssignment",
    "Drill",
    "DrillProblem",
    "DutyLogEntry",
    "DutyRoster",
    "DutyShift",
    "DutySwap",
    "Expert",
    "ExpertConsultation",
    "Incident",
    "MaterialItem",
    "Plan",
    "PlanEvaluation",
    "PlanFiling",
    "PlanReview",
    "PlanVersion",
    "RescueTeam",
    "Shelter",
    "StockMovement",
    "TownCapacity",
    "Warehouse",
]
