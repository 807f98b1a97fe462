"""Template tags of 两个清单: a task's shown status (逾期 derived by rules.task_status, never stored) and its 工作数据."""

from django import template
from django.utils.translation import gettext_lazy as _

from .. import rules

register = template.Library()


@register.simple_tag
def shown_status(task, today):
    """(status code, label) as shown: 逾期 when the task is overdue on `today`."""
    status = rules.task_status(task.status, task.due_on, today, task.reported_on)
    return status, rules.TASK_STATUS_LABELS[status]


@register.inclusion_tag("governance/duties/_facts.html")
def task_facts(task, may_edit=False):
    """The 工作数据 of a 基础工作 task as the page shows them: plain rows (label, value) and, for the repeated
    parts, a table; percentages from the rules (coverage_percent, progress_percent)."""
    kind, facts = task.kind, task.facts or {}
    shown = {
        "task": task,
        "has_facts": rules.kind_has_facts(kind),
        "facts": bool(facts),
        "may_edit_facts": may_edit,
        "rows": [],
        "table": None,
    }
    if not facts or not rules.kind_has_facts(kind):
        return shown
    label = rules.FACT_LABELS
    rows, table = shown["rows"], None

    def percent(value):
        return "—" if value is None else f"{value}%"

    if kind == rules.KIND_THREE_SIMULTANEITIES:
        stages, results = dict(rules.PROJECT_STAGES), dict(rules.PROJECT_RESULTS)
        table = {
            "head": [label["name"], label["enterprise"], label["stage"], label["result"], label["note"]],
            "rows": [
                [p["name"], p["enterprise"], stages[p["stage"]], results[p["result"]], p["note"]]
                for p in facts["projects"]
            ],
        }
    elif kind in (rules.KIND_SAFETY_MONTH, rules.KIND_LAW_FIVE):
        if kind == rules.KIND_SAFETY_MONTH:
            rows += [
                (label["activities"], facts["activities"]),
                (label["participants"], facts["participants"]),
            ]
        else:
            venues = dict(rules.LAW_VENUES)
            table = {
                "head": ["", label["activities"], label["people"]],
                "rows": [[venues[code], v["activities"], v["people"]] for code, v in facts["venues"].items()],
            }
        rows += [
            (label["target"], facts["target"]),
            (label["reached"], facts["reached"]),
            (_("覆盖率"), percent(rules.coverage_percent(facts["reached"], facts["target"]))),
        ]
    elif kind == rules.KIND_ROOT_HAZARD:
        rows.append((_("治理周期"), f"{facts['start_year']}—{facts['end_year']}"))
        table = {
            "head": [_("层级"), label["target"], label["done"], _("进度")],
            "rows": [
                [
                    rules.root_level_label(r["level"], r.get("label", "")),
                    r["target"],
                    r["done"],
                    percent(rules.progress_percent(r["done"], r["target"])),
                ]
                for r in facts["levels"]
            ],
        }
    rows.insert(0, (_("概况"), rules.facts_summary(kind, facts)))
    shown["table"] = table
    return shown
