"""应急管理: duty (rosters, the duty log and 接报), incidents and their response, plans, drills, materials,
teams, shelters, experts and the towns' 四有. One module per sub-domain; every model keeps the `emergency` app
label. State machines: each model's `TRANSITIONS` table."""

from .forces import ConsultationAssignment, Expert, ExpertConsultation, RescueTeam, Shelter, TownCapacity  # noqa: F401
from .incident import Incident

__all__ = ["Incident"]
