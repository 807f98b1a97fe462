"""The governance module's URLconf: each part keeps its routes in a module of its own."""

from . import assessment, baobao, campaigns, duties, problems

app_name = "governance"

urlpatterns: list = [
    *duties.urlpatterns,
    *problems.urlpatterns,
    *assessment.urlpatterns,
    *campaigns.urlpatterns,
    *baobao.urlpatterns,
]
