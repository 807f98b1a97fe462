from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class RiskConfig(contract.ModuleConfig):
    """企业主体责任: what the enterprise itself keeps and supervisors see — the 双重预防 risk register, 自查自改,
    people's certificates and training, 安全生产标准化, 安责险 and the 一必须五到位 profile. Reads the other modules
    only through their public selectors and the kernel's contract."""

    name = "anlan.risk"
    label = "risk"
    verbose_name = _("企业主体责任")

    def contribute(self, c: contract.Contributions) -> None:
        from . import wiring

        c.nav_group("risk", _("企业主体责任"))
        c.urls("risk/", "anlan.risk.urls")
        # Each part (wiring/<part>.py, listed in wiring.PARTS) declares its own rights, pages, to-dos, sweeps,
        # events, enterprise attributes, matrix rows and demo step.
        for part in wiring.parts():
            part.contribute(c)
