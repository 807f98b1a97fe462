"""Routes of the response part (joined in urls/__init__.py under the `emergency` namespace): incidents, their
response, tasks, 先期处置, public releases (one public page by token) and the chronicle."""

from django.urls import path

from ..views import response as views

urlpatterns: list = [
    path("incidents/", views.incident_list, name="response-list"),
    path("incidents/export/", views.incident_export, name="response-export"),
    path("incidents/new/", views.incident_create, name="response-incident-create"),
    path("incidents/<int:pk>/", views.incident_detail, name="response-incident-detail"),
    path("incidents/<int:pk>/close/", views.incident_close, name="response-incident-close"),
    path("incidents/<int:pk>/chronicle.docx", views.chronicle_docx, name="response-chronicle"),
    path("incidents/<int:pk>/start/", views.response_start, name="response-start"),
    path("incidents/<int:pk>/first-response/", views.first_response, name="response-first"),
    path("incidents/<int:pk>/releases/new/", views.release_create, name="response-release-create"),
    path("responses/<int:pk>/level/", views.response_level, name="response-level"),
    path("responses/<int:pk>/end/", views.response_end, name="response-end"),
    path("responses/<int:pk>/groups/", views.group_add, name="response-group-add"),
    path("responses/<int:pk>/tasks/", views.task_add, name="response-task-add"),
    path("responses/<int:pk>/control-points/", views.control_add, name="response-control-add"),
    path("responses/<int:pk>/notes/", views.note_add, name="response-note-add"),
    path("control-points/<int:pk>/lift/", views.control_lift, name="response-control-lift"),
    path("response-tasks/", views.task_list, name="response-task-list"),
    path("response-tasks/<int:pk>/", views.task_detail, name="response-task-detail"),
    path("response-tasks/<int:pk>/confirm/", views.task_confirm, name="response-task-confirm"),
    path("response-tasks/<int:pk>/complete/", views.task_complete, name="response-task-complete"),
    path("releases/<int:pk>/", views.release_detail, name="response-release-detail"),
    path("releases/<int:pk>/edit/", views.release_edit, name="response-release-edit"),
    path("releases/<int:pk>/submit/", views.release_submit, name="response-release-submit"),
    path("releases/<int:pk>/publish/", views.release_publish, name="response-release-publish"),
    path("releases/<int:pk>/correct/", views.release_correct, name="response-release-correct"),
    path("release-reviews/<int:pk>/", views.review, name="response-review"),
    path("public/releases/<str:token>/", views.release_public, name="response-release-public"),
]
