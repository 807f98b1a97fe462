"""The credit app's models, one module per part. Every model keeps the `credit` app label."""

from .dishonesty import DishonestyCase, DishonestyDocumentCounter, DishonestySettings, DishonestySubject

__all__: list[str] = [
    "DishonestyCase",
    "DishonestyDocumentCounter",
    "DishonestySettings",
    "DishonestySubject",
]
