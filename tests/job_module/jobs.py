"""The test job: `steps` steps of `pause` seconds, reporting progress; it appends "<job>:<attempt>" to the log
file `<JOB_LOG_DIR>/<log_name>.log` when it finishes, so a test can count runs across processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from anlan.core.errors import DomainError
from anlan.core.models import Job


def steps(run) -> dict:
    params = run.params
    total = int(params.get("steps", 1))
    if params.get("fail") == "domain":
        raise DomainError("test_refused", "测试任务被拒绝")
    if params.get("fail") == "crash":
        raise RuntimeError("boom")
    for done in range(1, total + 1):
        time.sleep(float(params.get("pause", 0)))
        if params.get("supersede") and done == 1:
            # What the reaper and a second worker do meanwhile: re-queue and claim the job again.
            Job.objects.filter(pk=run.job.pk).update(attempt=run.job.attempt + 1)
        run.progress(done, total)
    if params.get("file"):
        with run.result_file("result.txt") as handle:
            handle.write(b"done")
    log_dir = os.environ.get("JOB_LOG_DIR")
    if log_dir:
        with (Path(log_dir) / f"{params.get('log_name', 'jobs')}.log").open("a") as log:
            log.write(f"{run.job.pk}:{run.job.attempt}\n")
    return {"steps": total}
