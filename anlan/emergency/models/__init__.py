"""应急管理: duty (rosters, the duty log and 接报), incidents and their response, plans, drills, materials,
teams, shelters, experts and the towns' 四有. One module per sub-domain; every model keeps the `emergency` app
label. State machines: each model's `TRANSITIONS` table."""

from .drills import Drill, DrillProblem
from .duty import DutyCategory, DutyLogEntry, DutyRoster, DutyShift, DutySwap
from .forces import ConsultationAssignment, Expert, ExpertConsultation, RescueTeam, Shelter, TownCapacity
from .incident import Incident
from .materials import MaterialItem, StockMovement, Warehouse
from .plans import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion
from .response import (
    ControlPoint,
    FirstResponder,
    FirstResponse,
    FirstResponseAction,
    PublicRelease,
    ReleaseReview,
    Response,
    ResponseGroup,
    ResponseLevelChange,
    ResponseNote,
    ResponseTask,
)

__all__ = [
    "ConsultationAssignment",
    "ControlPoint",
    "Drill",
    "DrillProblem",
    "DutyCategory",
    "DutyLogEntry",
    "DutyRoster",
    "DutyShift",
    "DutySwap",
    "Expert",
    "ExpertConsultation",
    "FirstResponder",
    "FirstResponse",
    "FirstResponseAction",
    "Incident",
    "MaterialItem",
    "Plan",
    "PlanEvaluation",
    "PlanFiling",
    "PlanReview",
    "PlanVersion",
    "PublicRelease",
    "ReleaseReview",
    "RescueTeam",
    "Response",
    "ResponseGroup",
    "ResponseLevelChange",
    "ResponseNote",
    "ResponseTask",
    "Shelter",
    "StockMovement",
    "TownCapacity",
    "Warehouse",
]
