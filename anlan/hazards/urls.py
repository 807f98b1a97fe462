from django.urls import path

from . import filing_views, views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="hazard-list"),
    path("new/", views.hazard_create, name="hazard-create"),
    path("export/", views.hazard_export, name="hazard-export"),
    path("import/", views.hazard_import, name="hazard-import"),
    path("import/template/", views.hazard_import_template, name="hazard-import-template"),
    path("statistics/", views.hazard_statistics, name="hazard-statistics"),
    path("<int:pk>/", views.hazard_detail, name="hazard-detail"),
    path("<int:pk>/plan/", views.hazard_plan, name="hazard-plan"),
    path("<int:pk>/submit/", views.hazard_submit, name="hazard-submit"),
    path("<int:pk>/fix-on-the-spot/", views.hazard_fix_on_the_spot, name="hazard-fix-on-the-spot"),
    path("<int:pk>/witness-fix/", views.hazard_witness_fix, name="hazard-witness-fix"),
    path("<int:pk>/verify/", views.hazard_verify, name="hazard-verify"),
    path("<int:pk>/reject/", views.hazard_reject, name="hazard-reject"),
    path("<int:pk>/void/", views.hazard_void, name="hazard-void"),
    path("<int:pk>/expert/", views.hazard_assign_expert, name="hazard-assign-expert"),
    path("<int:pk>/extensions/new/", views.extension_create, name="extension-create"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension-decide"),
    path("<int:pk>/supervise/", views.supervision_create, name="supervision-create"),
    path("<int:pk>/recheck/", views.recheck_create, name="recheck-create"),
    path("supervisions/", views.supervision_list, name="supervision-list"),
    path("supervisions/<int:pk>/lift/", views.supervision_lift, name="supervision-lift"),
    path("supervisions/<int:pk>/letter/", views.supervision_letter, name="supervision-letter"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("leads/", views.lead_list, name="lead-list"),
    path("leads/new/", views.lead_create, name="lead-create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/confirm/", views.lead_confirm, name="lead-confirm"),
    path("leads/<int:pk>/dismiss/", views.lead_dismiss, name="lead-dismiss"),
    path("enterprises/<int:pk>/", views.enterprise_hazards, name="enterprise-hazards"),
    # 隐患排查治理统计分析表 (16号令 第十四条)
    path("filings/", filing_views.filing_report, name="filing-report"),
    path("filings/missing/", filing_views.filing_missing, name="filing-missing"),
    path("filings/missing/export/", filing_views.filing_missing_export, name="filing-missing-export"),
    path("filings/rules/", filing_views.filing_rules, name="filing-rules"),
    path("filings/enterprises/<int:pk>/", filing_views.filing_list, name="filing-list"),
    path("filings/enterprises/<int:pk>/generate/", filing_views.filing_generate, name="filing-generate"),
    path("filings/<int:pk>/", filing_views.filing_detail, name="filing-detail"),
    path("filings/<int:pk>/analysis/", filing_views.filing_analysis, name="filing-analysis"),
    path("filings/<int:pk>/confirm/", filing_views.filing_confirm, name="filing-confirm"),
    path("filings/<int:pk>/export/", filing_views.filing_export, name="filing-export"),
]
