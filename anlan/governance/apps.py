from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class GovernanceConfig(contract.ModuleConfig):
    """责任体系: who is responsible for what (两个清单, 包保), whether they did it (督查, campaigns), and what follows
    (考核, 问责). Reads the other modules only through their public selectors and the kernel's contract."""

    name = "anlan.governance"
    label = "governance"
    verbose_name = _("责任落实")

    def contribute(self, c: contract.Contributions) -> None:
        from . import wiring

        c.nav_group("governance", _("责任落实"))
        c.urls("governance/", "anlan.governance.urls")
        # Each part (wiring/<part>.py, listed in wiring.PARTS) declares its own rights, pages, to-dos, sweeps,
        # events, matrix rows and demo step.
        for part in wiring.parts():
            part.contribute(c)
