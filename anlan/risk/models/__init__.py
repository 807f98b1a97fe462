"""The risk app's models, one module per part. Every model keeps the `risk` app label."""

__all__: list[str] = []
