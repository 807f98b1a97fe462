"""Handlers of other modules' events that end in a message to someone."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .services import notify


def job_finished(*, job) -> None:
    """`core.job_finished`: tell the owner of a background job that it is done (or failed), once."""
    if job.owner_id is None:
        return
    if job.status == job.Status.SUCCEEDED:
        title = _("后台任务已完成：%(label)s") % {"label": job.label}
        body = ""
        if job.result_name and job.expires_at:
            until = timezone.localtime(job.expires_at)
            body = _("文件“%(name)s”可在 %(until)s 前下载。") % {
                "name": job.result_name,
                "until": until.strftime("%Y-%m-%d %H:%M"),
            }
    else:
        title = _("后台任务失败：%(label)s") % {"label": job.label}
        body = job.error
    notify(
        [job.owner_id],
        kind="job",
        title=title[:200],
        body=body,
        url=reverse("core:job-detail", args=[job.pk]),
        dedupe_key=f"job:{job.pk}",
    )
