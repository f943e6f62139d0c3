from django.urls import path

from impact.views import decisions, outcomes, pilots, uptake, use

app_name = "impact"

urlpatterns = [
    path("", uptake.uptake_page, name="uptake"),
    path("uptake.csv", uptake.uptake_csv, name="uptake_csv"),
    path("use/", use.use_page, name="use"),
    path("use.csv", use.use_csv, name="use_csv"),
    path("outcomes/", outcomes.outcomes_page, name="outcomes"),
    path("outcomes.csv", outcomes.outcomes_csv, name="outcomes_csv"),
    path("decisions/", decisions.decisions_page, name="decisions"),
    path("pilots/", pilots.pilots_page, name="pilots"),
    path("pilots/<int:pk>/", pilots.pilot_page, name="pilot"),
]
