"""Routes of 两个清单 (责任清单, 工作任务清单), 照单追责 and 监管盲区."""

from django.urls import include, path

from anlan.core.entry import transition_patterns

from ..models import DutyList, WorkTask
from ..views import duties as views

urlpatterns = [
    path("duty-lists/", views.list_list, name="list-list"),
    path("duty-lists/new/", views.list_create, name="list-create"),
    path("duty-lists/<int:pk>/", views.list_detail, name="list-detail"),
    path("duty-lists/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("duty-lists/<int:pk>/revise/", views.list_revise, name="list-revise"),
    path("duty-lists/", include(transition_patterns("list", DutyList.TRANSITIONS, views.list_transition))),
    path("duty-items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("duty-items/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/new/", views.task_create, name="task-create"),
    path("tasks/export/", views.task_export, name="task-export"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/facts/", views.task_facts, name="task-facts"),
    path("tasks/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("tasks/groundwork/", views.groundwork, name="groundwork"),
    path("tasks/", include(transition_patterns("task", WorkTask.TRANSITIONS, views.task_transition))),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence-file"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("liability/", views.accountability, name="accountability"),
    path("liability/accidents/<int:pk>/", views.accident_duties, name="accident-duties"),
    path("blind-spots/", views.blind_spots, name="blind-spots"),
    path("blind-spots/export/", views.blind_export, name="blind-export"),
]
