from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/<slug:action>/", views.flag_action, name="flag_action"),
    path("schools/<slug:code>/results/", views.school_results, name="school_results"),
    path("evaluation/", views.evaluation_runs, name="evaluation_runs"),
    path("evaluation/held/<slug:decision>/", views.evaluation_run_decide, name="evaluation_run_decide"),
    path("evaluation/eligible/", views.eligibility_findings, name="eligibility_findings"),
    path("evaluation/eligible/<int:pk>/invite/", views.eligibility_finding_invite, name="eligibility_invite"),
]
