"""Settings of the benchmarks: Anlan's production settings plus the benchmark job kind (bench/jobapp)."""

from anlan.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.jobapp"]  # noqa: F405
