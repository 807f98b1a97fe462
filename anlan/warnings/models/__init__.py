"""预警与监测: warnings and their recipients, points, patrols, evacuation, monitoring alarms, 会商研判. Every
model keeps the `warnings` app label. State machines: each model's `TRANSITIONS` table."""

from .alarms import Alarm
from .consult import Bulletin, BulletinMeasure, Consultation, MeasureReport
from .evacuation import Evacuation, Household
from .points import Observation, Patrol, Point
from .warning import PlaceReceiver, Warning, WarningRecipient
from .webhooks import WebhookDelivery

__all__ = [
    "Alarm",
    "Bulletin",
    "BulletinMeasure",
    "Consultation",
    "Evacuation",
    "Household",
    "MeasureReport",
    "Observation",
    "Patrol",
    "PlaceReceiver",
    "Point",
    "Warning",
    "WarningRecipient",
    "WebhookDelivery",
]
