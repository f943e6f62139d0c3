"""The public pages: the Autonomy Register, school and autonomy pages, open data."""

from django.urls import path

from reports.views import public

urlpatterns = [
    path("", public.register, name="register"),
    path("register.csv", public.register_csv, name="register_csv"),
    path("results.csv", public.results_csv, name="results_csv"),
    path("service-scores.csv", public.service_scores_csv, name="service_scores_csv"),
    path("schools/<str:code>/", public.school, name="school"),
    path("central-office/", public.central_office, name="central_office"),
    path("autonomies/<str:code>/", public.autonomy, name="autonomy"),
    path("language/", public.language_set, name="language"),
]
