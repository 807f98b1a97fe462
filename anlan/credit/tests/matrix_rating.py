"""Permission-matrix rows of the five-colour rating (filled below)."""

ROUTES: list = []
AUDITED: list = []
