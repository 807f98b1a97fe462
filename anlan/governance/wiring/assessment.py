"""What 考核 contributes: the 安委办 drafts and publishes the year's scheme, enters manual scores (a second 安委办
user confirms them), scores the county's towns and departments and publishes the results; leaders read the
results in progress; after publication every government user reads the ranking and each unit its own result.
Seed-map H1 「实行负面清单扣分与重点工作考核量分并行的年度工作考核机制」, H2 「从严实行“一票否决”」."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role

    office = frozenset({Role.COMMITTEE_OFFICE})
    c.rights(
        {
            "governance.manage_assessment": office,
            "governance.review_assessment": office,
            "governance.view_assessment": office | {Role.LEADER},
            "governance.export_assessment": frozenset(
                {Role.COMMITTEE_OFFICE, Role.DEPARTMENT, Role.TOWN, Role.LEADER}
            ),
        }
    )
    c.nav(
        contract.NavEntry(
            "governance-assessment-schemes",
            _("考核方案"),
            "governance:assessment-scheme-list",
            order=60,
            right=("governance.manage_assessment", "governance.view_assessment"),
            group="governance",
            active="name:assessment-scheme",
        ),
        contract.NavEntry(
            "governance-assessment-runs",
            _("考核结果"),
            "governance:assessment-run-list",
            order=61,
            right="governance.export_assessment",
            group="governance",
            active="name:assessment-r",
        ),
    )
    c.job("governance.assessment_score", "anlan.governance.services.assessment.score_job", _("计算考核结果"))
    c.job(
        "governance.assessment_published",
        "anlan.governance.services.assessment.published_job",
        _("通知考核结果"),
    )
    c.ledger(
        "governance_assessment_ranking",
        "anlan.governance.views.assessment.ranking_ledger",
        "governance.export_assessment",
        _("考核排名表"),
    )
    c.matrix("anlan.governance.tests.matrix_assessment")
    c.api(
        "governance/assessment-runs",
        "anlan.governance.api.assessment.RunViewSet",
        "governance-assessment-run",
    )
    c.api(
        "governance/assessment-results",
        "anlan.governance.api.assessment.ResultViewSet",
        "governance-assessment-result",
    )
    c.demo(
        "governance_assessment",
        "anlan.governance.demo.assessment.step",
        after=["units", "accidents", "hazards", "inspections", "governance_duties", "governance_campaigns"],
    )
