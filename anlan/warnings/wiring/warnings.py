"""What the warnings part contributes to the kernel (called from apps.py).

Rights: supervisors (安委办, departments such as 气象、水利、自然资源, towns) draft warnings and import CAP alerts;
only the 安委办/应急管理局 issues, adjusts and lifts them — 突发事件应对法 第六十四条: the county-level government
issues, here its 应急管理部门 acting for the county — and the services also require acting for the issuing unit.
Recipients confirm and report measures as themselves (no role right needed)."""

from django.utils.translation import gettext_lazy as _

from anlan.core import contract


def contribute(c: contract.Contributions) -> None:
    from anlan.core.models import Role
    from anlan.core.permissions import SUPERVISORS

    c.rights(
        {
            "warnings.draft": SUPERVISORS,
            # 突发事件应对法 第六十四条: 县级以上地方人民政府 issue warnings.
            "warnings.issue": {Role.COMMITTEE_OFFICE},
            "warnings.view_board": SUPERVISORS | {Role.LEADER},
            # 突发事件应对法 第六十五条: each 人员密集场所 names its warning receiver.
            "warnings.manage_receivers": SUPERVISORS | {Role.ENTERPRISE},
            "warnings.export": SUPERVISORS | {Role.LEADER},
        }
    )
    c.event("warnings.issued", "A warning was issued or re-issued at a new level: payload `warning`.")
    c.event("warnings.lifted", "A warning was lifted: payload `warning`.")
