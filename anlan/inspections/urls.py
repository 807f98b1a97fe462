from django.urls import include, path

from anlan.core.entry import transition_patterns

from . import views
from .models import ClosureProposal, EnforcementAction, Inspection, RandomDraw

app_name = "inspections"

# The steps of the TRANSITIONS tables served by one view each (`<slug>-<transition>`); an inspection's `record`
# and a suspension's `apply` ask for more than a reason and keep pages of their own.
CANCEL = [t for t in Inspection.TRANSITIONS if t.name == "cancel"]

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_create, name="inspection-create"),
    path("own-checks/new/", views.own_check_create, name="own-check-create"),
    path("statistics/", views.inspection_statistics, name="statistics"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/record/", views.inspection_record, name="inspection-record"),
    path("", include(transition_patterns("inspection", CANCEL, views.inspection_transition))),
    path("<int:pk>/signature/", views.inspection_signature, name="inspection-signature"),
    path("<int:pk>/enforcement/new/", views.enforcement_create, name="enforcement-create"),
    path("<int:pk>/letters/new/", views.letter_create, name="letter-create"),
    path(
        "enforcement/",
        include(
            transition_patterns("enforcement", EnforcementAction.TRANSITIONS, views.enforcement_transition)
        ),
    ),
    path("photos/<int:pk>/", views.answer_photo, name="answer-photo"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("inspectors/", views.inspector_list, name="inspector-list"),
    path("inspectors/new/", views.inspector_create, name="inspector-create"),
    path("inspectors/<int:pk>/", views.inspector_edit, name="inspector-edit"),
    path("inspectors/<int:pk>/conflicts/new/", views.conflict_create, name="conflict-create"),
    path("draws/", views.draw_list, name="draw-list"),
    path("draws/new/", views.draw_create, name="draw-create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw-detail"),
    path("draws/", include(transition_patterns("draw", RandomDraw.TRANSITIONS, views.draw_transition))),
    path("suspensions/", views.suspension_list, name="suspension-list"),
    path("suspensions/<int:pk>/", views.suspension_detail, name="suspension-detail"),
    path("suspensions/<int:pk>/apply/", views.resumption_apply, name="resumption-apply"),
    path(
        "suspensions/<int:pk>/supervision/",
        views.suspension_link_supervision,
        name="suspension-link-supervision",
    ),
    path("suspensions/<int:pk>/joint-measures/new/", views.joint_measure_create, name="joint-measure-create"),
    path("joint-measures/<int:pk>/", views.joint_measure_detail, name="joint-measure-detail"),
    path("joint-measures/<int:pk>/confirm/", views.joint_measure_confirm, name="joint-measure-confirm"),
    path("joint-measures/<int:pk>/lift/", views.joint_measure_lift, name="joint-measure-lift"),
    path("watch/", views.watch_list, name="watch-list"),
    path("watch/<int:pk>/", views.watch_detail, name="watch-detail"),
    path("watch/<int:pk>/edit/", views.watch_edit, name="watch-edit"),
    path("watch/<int:pk>/visits/new/", views.watch_visit_create, name="watch-visit-create"),
    path("watch/photos/<int:pk>/", views.watch_visit_photo, name="watch-visit-photo"),
    path("resumptions/<int:pk>/decide/", views.resumption_decide, name="resumption-decide"),
    path("resumptions/<int:pk>/proof/", views.resumption_proof, name="resumption-proof"),
    path("closures/", views.closure_list, name="closure-list"),
    path("closures/<int:pk>/", views.closure_detail, name="closure-detail"),
    path(
        "closures/",
        include(transition_patterns("closure", ClosureProposal.TRANSITIONS, views.closure_transition)),
    ),
    path("score-proposals/<int:pk>/decide/", views.score_proposal_decide, name="score-proposal-decide"),
    path("scores/", views.person_list, name="person-list"),
    path("scores/new/", views.person_create, name="person-create"),
    path("scores/<int:pk>/", views.person_detail, name="person-detail"),
    path("scores/<int:pk>/new/", views.score_create, name="score-create"),
    path("enterprises/<int:pk>/", views.enterprise_inspections, name="enterprise-inspections"),
]
