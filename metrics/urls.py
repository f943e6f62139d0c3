from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("metrics/import/", views.observation_import, name="observation_import"),
]
