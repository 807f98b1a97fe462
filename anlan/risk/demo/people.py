"""Demo step of the people part (filled in below)."""


def step(demo) -> None:
    return None
