"""Views of the emergency module, one module per part (routes in urls/<part>.py)."""
