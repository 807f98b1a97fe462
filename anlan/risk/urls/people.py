"""Routes of the people part: staff, certificates, assessments, training, the 证书到期/逾期 list, the enterprise
panel and the accident trace."""

from django.urls import path

from ..views import people as views

urlpatterns = [
    path("people/staff/", views.staff_list, name="people-staff-list"),
    path("people/staff/export/", views.staff_export, name="people-staff-export"),
    path("people/staff/<int:pk>/", views.staff_detail, name="people-staff-detail"),
    path("people/staff/<int:pk>/edit/", views.staff_update, name="people-staff-update"),
    path(
        "people/staff/<int:pk>/certificates/new/", views.certificate_create, name="people-certificate-create"
    ),
    path("people/staff/<int:pk>/assessments/new/", views.assessment_create, name="people-assessment-create"),
    path("people/certificates/", views.certificate_list, name="people-certificate-list"),
    path("people/certificates/export/", views.certificate_export, name="people-certificate-export"),
    path("people/certificates/<int:pk>/", views.certificate_detail, name="people-certificate-detail"),
    path("people/certificates/<int:pk>/review/", views.certificate_review, name="people-certificate-review"),
    path("people/attention/", views.attention_list, name="people-attention"),
    path("people/attention/export/", views.attention_export, name="people-attention-export"),
    path("people/training/", views.training_list, name="people-training-list"),
    path("people/training/export/", views.training_export, name="people-training-export"),
    path("people/training/<int:pk>/", views.training_detail, name="people-training-detail"),
    path("people/enterprise/<int:pk>/", views.enterprise_panel, name="people-enterprise-panel"),
    path("people/enterprise/<int:pk>/staff/new/", views.staff_create, name="people-staff-create"),
    path("people/enterprise/<int:pk>/training/new/", views.training_create, name="people-training-create"),
    path("people/accidents/<int:pk>/", views.accident_trace, name="people-accident-trace"),
]
