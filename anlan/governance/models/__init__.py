"""责任落实: the governance app's models, one module per part. Every model keeps the `governance` app label.
State machines: each model's `TRANSITIONS` table."""

from .duties import DutyItem, DutyList, TaskEvidence, WorkTask

__all__: list[str] = ["DutyItem", "DutyList", "TaskEvidence", "WorkTask"]
