"""A test-only module with background work: one job kind and one schedule every second, used by the job
tests in this process and by the worker processes they start (tests/settings_worker.py)."""

from datetime import timedelta

from anlan.core import contract


class JobModuleConfig(contract.ModuleConfig):
    name = "tests.job_module"
    label = "job_module"
    verbose_name = "后台任务测试模块"

    def contribute(self, c: contract.Contributions) -> None:
        c.job("job_module.steps", "tests.job_module.jobs.steps", "分步任务")
        c.schedule("job_module.tick", "job_module.steps", every=timedelta(seconds=1), log_name="ticks")
