"""Demo step (filled below)."""
