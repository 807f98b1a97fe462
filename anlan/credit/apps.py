from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class CreditConfig(contract.ModuleConfig):
    """信用监管: the enterprises' five-colour rating (四化五色) and the 严重失信主体名单 with its procedure and joint
    punishment. Reads the other modules only through their public selectors and the kernel's contract."""

    name = "anlan.credit"
    label = "credit"
    verbose_name = _("信用监管")

    def contribute(self, c: contract.Contributions) -> None:
        from . import wiring

        c.nav_group("credit", _("信用监管"))
        c.urls("credit/", "anlan.credit.urls")
        # Each part (wiring/<part>.py, listed in wiring.PARTS) declares its own contributions.
        for part in wiring.parts():
            part.contribute(c)
