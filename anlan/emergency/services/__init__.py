"""Use cases of the emergency module, one module per sub-domain (see models/__init__.py)."""
