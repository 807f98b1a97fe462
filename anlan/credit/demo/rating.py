"""Demo data of the five-colour rating (filled below)."""


def step(demo):
    return None
