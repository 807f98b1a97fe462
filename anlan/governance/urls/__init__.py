"""The governance module's URLconf: each part keeps its routes in a module of its own."""

from . import assessment

app_name = "governance"

urlpatterns: list = [*assessment.urlpatterns]
