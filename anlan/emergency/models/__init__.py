"""应急管理: duty (rosters, the duty log and 接报), incidents and their response, plans, drills, materials,
teams, shelters, experts and the towns' 四有. One module per sub-domain; every model keeps the `emergency` app
label. State machines: each model's `TRANSITIONS` table."""

from .duty import DutyLogEntry, DutyRoster, DutyShift, DutySwap
from .incident import Incident
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
    "ControlPoint",
    "FirstResponder",
    "FirstResponse",
    "FirstResponseAction",
    "PublicRelease",
    "ReleaseReview",
    "Response",
    "ResponseGroup",
    "ResponseLevelChange",
    "ResponseNote",
    "ResponseTask",
    "DutyLogEntry",
    "DutyRoster",
    "DutyShift",
    "DutySwap",
    "Incident",
    "Plan",
    "PlanEvaluation",
    "PlanFiling",
    "PlanReview",
    "PlanVersion",
]
