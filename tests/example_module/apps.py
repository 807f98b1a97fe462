"""A minimal module, plugged in by INSTALLED_APPS alone: the walkthrough of docs/development.md.

It lets towns record checks of fire hydrants at crowded places (消防栓巡检). Everything it adds reaches the
kernel through `contribute`; nothing in core or in another app names it.
"""

from datetime import timedelta

from anlan.core import contract


class ExampleConfig(contract.ModuleConfig):
    name = "tests.example_module"
    label = "example_module"
    verbose_name = "消防栓巡检（示例模块）"

    def contribute(self, c: contract.Contributions) -> None:
        from anlan.core.models import Role

        c.rights({"example_module.check_hydrants": {Role.TOWN}})
        c.urls("example/", "tests.example_module.urls")
        c.nav(
            contract.NavEntry(
                "hydrants",
                "消防栓巡检",
                "example_module:hydrant-list",
                order=95,
                right="example_module.check_hydrants",
            )
        )
        c.panel(contract.Panel("hydrants", "example_module:enterprise-panel", order=90))
        c.action(
            contract.RecordAction(
                "core.enterprise",
                "check-hydrants",
                "巡检消防栓",
                "example_module:enterprise-panel",
                right="example_module.check_hydrants",
            )
        )
        c.todo(
            contract.TodoProvider(
                "example_module.hydrants",
                "待巡检消防栓",
                queryset="tests.example_module.selectors.hydrants_to_check",
                url="tests.example_module.selectors.hydrant_list_url",
                right="example_module.check_hydrants",
            )
        )
        c.indicator(
            contract.Indicator(
                "example_module.crowded_places",
                "人员密集场所",
                queryset="tests.example_module.selectors.crowded_places",
                url="tests.example_module.selectors.hydrant_list_url",
                right="example_module.check_hydrants",
            )
        )
        c.on("accidents.reported", "tests.example_module.handlers.accident_reported")
        c.sweep("example_module", "tests.example_module.sweeps.run", every=timedelta(days=1))
        c.demo("example_module", "tests.example_module.demo.build", after=["users"])
        c.matrix("tests.example_module.matrix")
