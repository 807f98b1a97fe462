"""Template tags of 两个清单: a task's shown status (逾期 derived by rules.task_status, never stored)."""

from django import template

from .. import rules

register = template.Library()


@register.simple_tag
def shown_status(task, today):
    """(status code, label) as shown: 逾期 when the task is overdue on `today`."""
    status = rules.task_status(task.status, task.due_on, today, task.reported_on)
    return status, rules.TASK_STATUS_LABELS[status]
