"""Background jobs in one process (anlan/core/jobs.py): enqueue and run, claim once, progress, result files
for their owner only, failures, the reaper, the scheduler's slots and the housekeeping job. The same tests
run on SQLite and PostgreSQL; tests/test_workers.py starts real worker processes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from anlan.core import jobs
from anlan.core.contract import registry
from anlan.core.models import Job, ScheduleSlot, WorkerBeat
from anlan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _steps(owner=None, **params) -> Job:
    return jobs.enqueue("job_module.steps", owner=owner, params={"steps": 3, **params})


def _reload(job: Job) -> Job:
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------- enqueue and run


def test_a_job_is_queued_with_its_task_and_runs_once_in_a_worker(job_module, cast):
    job = _steps(cast["county_office"], file=True)
    assert job.status == Job.Status.QUEUED and job.task_id
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    assert jobs.work_off() >= 1

    job = _reload(job)
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempt == 1
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.result == {"steps": 3}
    assert job.result_name == "result.txt" and job.result_size == 4
    assert default_storage.open(job.result_file).read() == b"done"
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_an_unknown_kind_is_refused_when_enqueued(job_module):
    with pytest.raises(KeyError, match="nope"):
        jobs.enqueue("nope")
    assert not Job.objects.exists()


def test_a_job_enqueued_twice_runs_once(job_module):
    job = _steps(log_name="twice")
    jobs.run_job.enqueue(job.pk)  # a duplicate task for the same job
    jobs.work_off()
    job = _reload(job)
    assert job.status == Job.Status.SUCCEEDED and job.attempt == 1
    outcomes = [row.return_value for row in DBTaskResult.objects.filter(status="SUCCESSFUL")]
    assert {"steps": 3} in outcomes and {"skipped": "not queued"} in outcomes


def test_a_job_of_a_rolled_back_transaction_never_runs(job_module):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _steps()
        raise RuntimeError("the request failed")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_owner_is_told_once_when_the_job_is_done(job_module, cast):
    owner = cast["county_office"]
    job = _steps(owner, file=True)
    jobs.work_off()
    message = Notification.objects.get(recipient=owner)
    assert message.title == "后台任务已完成：分步任务"
    assert "result.txt" in message.body
    assert message.url == reverse("core:job-detail", args=[job.pk])
    jobs.work_off()
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_a_scheduled_job_has_no_owner_and_tells_nobody(job_module):
    _steps()
    jobs.work_off()
    assert not Notification.objects.exists()


# ---------------------------------------------------------------- failures


def test_a_refused_job_fails_with_the_refusal_for_its_owner(job_module, cast):
    owner = cast["county_office"]
    job = _steps(owner, fail="domain")
    jobs.work_off()
    job = _reload(job)
    assert job.status == Job.Status.FAILED
    assert job.error == "测试任务被拒绝"
    assert Notification.objects.get(recipient=owner).title == "后台任务失败：分步任务"


def test_a_crashing_job_fails_with_a_plain_message_and_keeps_the_traceback(job_module, cast):
    job = _steps(cast["county_office"], fail="crash")
    jobs.work_off()
    job = _reload(job)
    assert job.status == Job.Status.FAILED
    assert "RuntimeError" in job.error and "系统管理员" in job.error
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "FAILED" and "boom" in task.traceback


def test_a_run_whose_attempt_was_taken_over_neither_reports_nor_finishes(job_module, cast):
    job = _steps(cast["county_office"], supersede=True, file=True)
    jobs.work_off()
    job = _reload(job)
    # The run saw its attempt change at its first progress report and stopped without touching the row.
    assert job.status == Job.Status.RUNNING and job.attempt == 2
    assert job.progress_done == 0 and not job.result_file
    assert not Notification.objects.exists()


# ---------------------------------------------------------------- pages


def test_the_job_page_shows_progress_and_the_download_to_its_owner_only(job_module, cast, client):
    owner = cast["county_office"]
    job = _steps(owner, file=True)
    client.force_login(owner)
    page = client.get(reverse("core:job-detail", args=[job.pk])).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page
    jobs.work_off()

    page = client.get(reverse("core:job-detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已完成" in page and "hx-trigger" not in page
    assert reverse("core:job-download", args=[job.pk]) in page
    download = client.get(reverse("core:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"done"
    assert "result.txt" in download["Content-Disposition"]
    assert job.label in client.get(reverse("core:job-list")).content.decode()

    for other in ("town_a", "leader"):
        client.force_login(cast[other])
        assert client.get(reverse("core:job-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404
        assert job.label not in client.get(reverse("core:job-list")).content.decode()


def test_an_expired_file_is_no_longer_offered_or_served(job_module, cast, client):
    owner = cast["county_office"]
    job = _steps(owner, file=True)
    jobs.work_off()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(owner)
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404
    assert "下载文件已过期" in client.get(reverse("core:job-detail", args=[job.pk])).content.decode()


def test_the_job_list_is_empty_for_a_new_user(cast, client):
    client.force_login(cast["town_b"])
    page = client.get(reverse("core:job-list")).content.decode()
    assert "暂无后台任务" in page


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("core:job-list"))
    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------- the reaper


def _running_on(worker_id: str, **params) -> Job:
    job = _steps(**params)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempt=1, worker_id=worker_id)
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", worker_ids=[worker_id])
    return _reload(job)


def _beat(worker_id: str, seconds_ago: float) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": "h", "pid": 1, "started_at": now, "beat_at": now - timedelta(seconds=seconds_ago)},
    )


def test_the_reaper_requeues_the_jobs_of_a_silent_worker_and_they_finish_once(job_module):
    assert jobs.dead_after() == timedelta(seconds=60)  # the default ANLAN_WORKER_DEAD_SECONDS
    _beat("dead", seconds_ago=61)
    job = _running_on("dead")
    old_task = job.task_id

    assert jobs.reap() == {"requeued": 1, "failed": 0, "tasks_closed": 1}
    job = _reload(job)
    assert job.status == Job.Status.QUEUED and job.worker_id == "" and job.task_id != old_task
    assert DBTaskResult.objects.get(pk=old_task).status == "FAILED"

    jobs.work_off()
    job = _reload(job)
    assert job.status == Job.Status.SUCCEEDED and job.attempt == 2
    assert jobs.reap() == {"requeued": 0, "failed": 0, "tasks_closed": 0}


def test_the_reaper_leaves_a_live_worker_alone(job_module):
    _beat("alive", seconds_ago=59)
    job = _running_on("alive")
    assert jobs.reap() == {"requeued": 0, "failed": 0, "tasks_closed": 0}
    assert _reload(job).status == Job.Status.RUNNING


def test_a_worker_that_never_beat_is_dead(job_module):
    job = _running_on("ghost")
    assert jobs.reap()["requeued"] == 1
    assert _reload(job).status == Job.Status.QUEUED


def test_after_three_interrupted_runs_the_job_fails_and_its_owner_is_told(job_module, cast):
    job = _steps(cast["county_office"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempt=jobs.MAX_ATTEMPTS, worker_id="x")
    assert jobs.reap()["failed"] == 1
    job = _reload(job)
    assert job.status == Job.Status.FAILED and "连续 3 次中断" in job.error
    assert Notification.objects.get(recipient=cast["county_office"]).title.startswith("后台任务失败")


def test_a_heartbeat_creates_then_refreshes_the_worker_row():
    jobs.beat("w1")
    first = WorkerBeat.objects.get(pk="w1").beat_at
    jobs.beat("w1")
    assert WorkerBeat.objects.get(pk="w1").beat_at >= first
    assert WorkerBeat.objects.count() == 1


# ---------------------------------------------------------------- schedules


AT = timezone.make_aware(datetime(2026, 12, 2, 10, 0, 0))


@pytest.mark.parametrize(
    ("every", "offset", "now", "start"),
    [
        (timedelta(hours=1), timedelta(0), AT, AT),
        (timedelta(hours=1), timedelta(0), AT - timedelta(microseconds=1), AT - timedelta(hours=1)),
        (timedelta(hours=1), timedelta(0), AT + timedelta(minutes=59, seconds=59), AT),
        (timedelta(days=1), timedelta(hours=2), AT, AT.replace(hour=2)),
        (timedelta(days=1), timedelta(hours=2), AT.replace(hour=1), AT.replace(day=1, hour=2)),
        (timedelta(minutes=15), timedelta(0), AT + timedelta(minutes=44), AT + timedelta(minutes=30)),
    ],
)
def test_a_slot_starts_at_local_origin_plus_offset_plus_whole_periods(every, offset, now, start):
    assert jobs.slot_start(every, offset, now) == start


def test_every_sweep_and_declared_schedule_is_scheduled(job_module):
    names = {due.name for due in jobs.schedules()}
    assert {
        "sweep:hazards",
        "sweep:accidents",
        "sweep:receipts",
        "cleanup",
        "backup",
        "job_module.tick",
    } <= names


def test_each_slot_is_claimed_once_by_however_many_schedulers(job_module):
    first = jobs.tick(now=AT, worker_id="a", seen={})
    second = jobs.tick(now=AT + timedelta(milliseconds=10), worker_id="b", seen={})
    assert {job.kind for job in first} >= {"core.sweep", "job_module.steps"}
    assert [job for job in second if job.kind == "core.sweep"] == []
    assert ScheduleSlot.objects.filter(schedule="sweep:hazards").count() == 1
    slot = ScheduleSlot.objects.get(schedule="sweep:hazards")
    assert (slot.claimed_by, slot.slot, slot.job.kind) == ("a", AT, "core.sweep")
    # the next hour's slot is a new one
    later = jobs.tick(now=AT + timedelta(hours=1), worker_id="b", seen={})
    assert "sweep:hazards" in {job.params.get("sweep") and f"sweep:{job.params['sweep']}" for job in later}


def test_a_scheduler_does_not_retry_a_slot_it_already_saw(job_module, django_assert_max_num_queries):
    seen: dict = {}
    jobs.tick(now=AT, seen=seen)
    with django_assert_max_num_queries(0):
        assert jobs.tick(now=AT + timedelta(milliseconds=100), seen=seen) == []


def test_a_scheduled_sweep_runs_as_a_job_and_records_its_counts(job_module):
    jobs.tick(now=timezone.now(), seen={})
    jobs.work_off()
    sweep = Job.objects.get(kind="core.sweep", params__sweep="hazards")
    assert sweep.status == Job.Status.SUCCEEDED
    assert set(sweep.result) >= {"reminded", "overdue_flagged"}


def test_the_worker_batch_runs_what_is_due_and_exits(job_module):
    call_command("anlan_worker", "--batch", "-v", "0")
    assert Job.objects.filter(kind="core.sweep").count() == len(registry().sweeps)  # one per module sweep
    assert not Job.objects.exclude(status__in=Job.FINISHED).exists()
    assert ScheduleSlot.objects.count() == len(jobs.schedules())


# ---------------------------------------------------------------- housekeeping


def test_cleanup_deletes_expired_files_and_old_records_only(job_module, cast):
    owner = cast["county_office"]
    fresh, stale, old = (_steps(owner, file=True) for _ in range(3))
    jobs.work_off()
    now = timezone.now()
    Job.objects.filter(pk=stale.pk).update(expires_at=now - timedelta(minutes=1))
    Job.objects.filter(pk=old.pk).update(finished_at=now - jobs.KEEP_FINISHED - timedelta(days=1))
    stale_file, old_file = _reload(stale).result_file, _reload(old).result_file

    result = jobs.cleanup_job(jobs.JobRun(_reload(fresh)))

    assert result["expired_files"] == 1 and result["jobs"] == 1
    assert not default_storage.exists(stale_file) and not default_storage.exists(old_file)
    assert default_storage.exists(_reload(fresh).result_file)
    assert _reload(stale).result_file == ""
    assert not Job.objects.filter(pk=old.pk).exists()
