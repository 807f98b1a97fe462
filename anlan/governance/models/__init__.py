"""责任落实: the governance app's models, one module per part. Every model keeps the `governance` app label.
State machines: each model's `TRANSITIONS` table."""

from .campaigns import (
    Campaign,
    CampaignArea,
    CampaignMember,
    CampaignReport,
    CardReport,
    Decision,
    DecisionReport,
    DecisionTask,
    Meeting,
    TaskCard,
)

__all__: list[str] = [
    "Campaign",
    "CampaignArea",
    "CampaignMember",
    "CampaignReport",
    "CardReport",
    "Decision",
    "DecisionReport",
    "DecisionTask",
    "Meeting",
    "TaskCard",
]
