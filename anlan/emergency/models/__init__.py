"""应急管理: duty (rosters, the duty log and 接报), incidents and their response, plans, drills, materials,
teams, shelters, experts and the towns' 四有. One module per sub-domain; every model keeps the `emergency` app
label. State machines: each model's `TRANSITIONS` table."""

from .incident import Incident
from .plans import Plan, PlanEvaluation, PlanFiling, PlanReview, PlanVersion  # noqa: F401

__all__ = ["Incident"]
