"""The surveys pages: the autonomy office's cycles, a principal's answers, results and scorecards."""

from django.urls import path

from support.views import surveys as views

urlpatterns = [
    path("surveys/", views.survey_home, name="surveys"),
    path("surveys/new/", views.survey_cycle_new, name="survey_cycle_new"),
    path("surveys/<int:pk>/", views.survey_cycle, name="survey_cycle"),
    path("surveys/<int:pk>/edit/", views.survey_cycle_edit, name="survey_cycle_edit"),
    path("surveys/<int:pk>/open/", views.survey_cycle_open, name="survey_cycle_open"),
    path("surveys/<int:pk>/close/", views.survey_cycle_close, name="survey_cycle_close"),
    path("surveys/<int:pk>/schools/<str:code>/answer/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("surveys/departments/<str:department>/", views.survey_scorecard, name="survey_scorecard"),
]
