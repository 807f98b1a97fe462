"""The credit app's models, one module per part. Every model keeps the `credit` app label."""

from .rating import Colour, Rating, RatingConfig, RatingHistory

__all__: list[str] = ["Colour", "Rating", "RatingConfig", "RatingHistory"]
