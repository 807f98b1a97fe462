"""The example module's permission-matrix rows: towns check hydrants; everyone in scope sees the panel."""

from tests.matrix import Route, page

AUDITED = []

ROUTES = [
    Route("example_module:hydrant-list", page(403, town_a=200, town_b=200)),
    Route(
        "example_module:enterprise-panel",
        page(200, town_b=404, dept_transport=404, expert=404),
        kwargs=lambda c: {"pk": c.enterprise_x.pk},
    ),
]
