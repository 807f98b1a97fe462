"""What the problems part contributes: 督查 of the county 安委办 and the problems it assigns to departments, towns
and park committees — each problem a hazard record whose responsible unit is the assignee, so its plan →
rectification → 销号 (by the issuer, never the assignee), 待办, overdue sweeps and statistics are the hazards
app's — the 问题 + 制度措施 两个清单, 两书一函 to units with their written replies, and the accountability records
(约谈、通报批评、警示、问责). Rights, pages, the letters' 待办, ledgers, matrix rows, read-only API and the demo.
Seed-map rows B7, B10, C12, C13, H5."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            # The 安委办 issues (督查, 交办, 两书一函, 问责) and closes out what it issued (seed-map B7, C12, H5).
            "governance.manage_problems": {Role.COMMITTEE_OFFICE},
            # The assigned department or town answers (plan, report, written reply) — as its own unit only.
            "governance.answer_problems": SUPERVISORS,
            "governance.export_problems": SUPERVISORS | {Role.LEADER},
        }
    )
    # Government units' work: the enterprise, the grid worker and the expert have no part in it.
    GOVERNMENT = ("governance.answer_problems", "governance.export_problems")
    c.nav(
        contract.NavEntry(
            "governance-visits",
            _("督查"),
            "governance:visit-list",
            order=40,
            right=("governance.manage_problems", "governance.export_problems"),
            group="governance",
            active="name:visit-",
        ),
        contract.NavEntry(
            "governance-problems",
            _("督查问题"),
            "governance:problem-list",
            right=GOVERNMENT,
            order=41,
            group="governance",
            active="name:problem-",
        ),
        contract.NavEntry(
            "governance-measures",
            _("制度措施清单"),
            "governance:measure-list",
            right=GOVERNMENT,
            order=42,
            group="governance",
            active="name:measure-",
        ),
        contract.NavEntry(
            "governance-letters",
            _("两书一函"),
            "governance:letter-list",
            right=GOVERNMENT,
            order=43,
            group="governance",
            active="name:letter-",
        ),
        contract.NavEntry(
            "governance-accountability",
            _("问责记录"),
            "governance:accountability-list",
            right=GOVERNMENT,
            order=44,
            group="governance",
            active="name:accountability-",
        ),
    )
    c.todo(
        contract.TodoProvider(
            "governance.letters_to_reply",
            _("待回复的两书一函"),
            queryset="anlan.governance.selectors.problems.my_letters",
            url="anlan.governance.views.problems.my_letters_url",
            items="anlan.governance.selectors.problems.letter_todo_items",
            order=10,
        ),
    )
    c.ledger(
        "governance_problems",
        "anlan.governance.views.problems.ledger",
        "governance.export_problems",
        _("督查问题整改台账"),
    )
    c.importer(
        "governance_problems",
        "anlan.governance.services.problem_imports.import_problems",
        "governance.manage_problems",
        _("交办问题清单"),
    )
    c.ledger(
        "governance_accountability",
        "anlan.governance.views.problems.accountability_ledger",
        "governance.export_problems",
        _("问责记录台账"),
    )
    c.matrix("anlan.governance.tests.matrix_problems")
    c.api("governance/problems", "anlan.governance.api.problems.ProblemViewSet", "governance-problem")
    c.api("governance/letters", "anlan.governance.api.problems.LetterViewSet", "governance-letter")
    c.api(
        "governance/accountability",
        "anlan.governance.api.problems.AccountabilityViewSet",
        "governance-accountability",
    )
    c.demo("governance_problems", "anlan.governance.demo.problems.step", after=["users", "hazards"])
