"""What the five-colour rating (四化五色, seed-map B13) contributes: the ratings list and approval queue, the
county's criteria, the enterprise page's "why this colour" panel, the recompute job and its nightly sweep, the
ledger, the read-only API, the kernel attribute `credit.colour` (the approved colour, read by inspections' draw
weights) and the demo's ratings in every colour."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    office = frozenset({Role.COMMITTEE_OFFICE})
    c.rights(
        {
            "credit.view_ratings": SUPERVISORS | {Role.LEADER},
            "credit.export_ratings": SUPERVISORS | {Role.LEADER},
            "credit.recompute_rating": SUPERVISORS,
            "credit.approve_rating": office,
            "credit.configure_rating": office,
        }
    )
    c.nav(
        contract.NavEntry(
            "credit-ratings",
            _("五色评定"),
            "credit:rating-list",
            order=10,
            right="credit.view_ratings",
            group="credit",
            active="name:rating-",
        ),
        contract.NavEntry(
            "credit-rating-queue",
            _("五色评定审定"),
            "credit:rating-queue",
            order=11,
            right="credit.approve_rating",
            group="credit",
            active="name:rating-queue",
        ),
    )
    c.panel(contract.Panel("credit_rating", "credit:rating-enterprise-panel", order=5))
    c.enterprise_attribute(
        contract.EnterpriseAttribute(
            "credit.colour", _("五色评定（审定）"), "anlan.credit.selectors.rating.approved_colours"
        )
    )
    c.job("credit.recompute_ratings", "anlan.credit.services.rating.recompute_job", _("重新评定五色"))
    c.sweep("credit_ratings", "anlan.credit.services.rating.sweep", every=timedelta(hours=24))
    c.todo(
        contract.TodoProvider(
            "credit.ratings_pending",
            _("待审定的五色评定"),
            queryset="anlan.credit.views.rating.queue_rows",
            url="anlan.credit.views.rating.queue_url",
            order=40,
            right="credit.approve_rating",
        )
    )
    c.ledger("credit_ratings", "anlan.credit.views.rating.ledger", "credit.export_ratings", _("五色评定台账"))
    c.matrix("anlan.credit.tests.matrix_rating")
    c.api("credit/ratings", "anlan.credit.api.rating.RatingViewSet", "credit-rating")
    c.demo(
        "credit_ratings",
        "anlan.credit.demo.rating.step",
        after=[
            "accidents",
            "hazards",
            "inspections",
            "risk_register",
            "risk_standard",
            "risk_selfcheck",
            "risk_people",
            "credit_dishonesty",
        ],
    )
