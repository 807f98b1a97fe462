"""Reference data of the risk module's parts (what the published rules say, with where it was found)."""
