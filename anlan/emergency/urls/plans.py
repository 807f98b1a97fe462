"""Routes of the plans part (joined in urls/__init__.py under the `emergency` namespace)."""

from django.urls import path

from ..views import plans as views

urlpatterns: list = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/export/", views.plan_export, name="plan-export"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan-update"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:pk>/sign/", views.plan_sign, name="plan-sign"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan-revise"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan-end"),
    path("plans/<int:pk>/evaluate/", views.plan_evaluate, name="plan-evaluate"),
    path("plans/<int:pk>/file/", views.plan_file, name="plan-file"),
    path("plans/<int:pk>/versions/<int:version_pk>/file/", views.version_file, name="plan-version-file"),
    path("plan-filings/<int:pk>/", views.filing_check, name="plan-filing-check"),
    path("plan-filings/<int:pk>/accept/", views.filing_accept, name="plan-filing-accept"),
    path("plan-filings/<int:pk>/return/", views.filing_return, name="plan-filing-return"),
    path("plan-filings/<int:pk>/registration.docx", views.filing_docx, name="plan-filing-docx"),
]
