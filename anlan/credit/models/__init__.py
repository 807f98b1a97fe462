"""The credit app's models, one module per part. Every model keeps the `credit` app label."""

__all__: list[str] = []
