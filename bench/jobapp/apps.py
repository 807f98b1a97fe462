"""The benchmarks' own job kind (bench/settings.py installs this app): a job that does almost nothing, so
that the benchmark measures the queue itself."""

from anlan.core import contract


class BenchJobsConfig(contract.ModuleConfig):
    name = "bench.jobapp"
    label = "bench_jobs"
    verbose_name = "Benchmark jobs"

    def contribute(self, c: contract.Contributions) -> None:
        c.job("bench.noop", "bench.jobapp.jobs.noop", "Benchmark job")
