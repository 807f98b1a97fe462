"""The credit app's models, one module per part. Every model keeps the `credit` app label."""

from .dishonesty import DishonestyCase, DishonestyDocumentCounter, DishonestySettings, DishonestySubject
from .rating import Colour, Rating, RatingConfig, RatingHistory

__all__: list[str] = [
    "Colour",
    "DishonestyCase",
    "DishonestyDocumentCounter",
    "DishonestySettings",
    "DishonestySubject",
    "Rating",
    "RatingConfig",
    "RatingHistory",
]
