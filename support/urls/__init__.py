"""Support's URLs, one module per part (networks, caseloads, requests, surveys, calendar)."""

from django.urls import path

from support.urls import calendar, caseloads, networks, requests, surveys
from support.views.home import support_home

app_name = "support"

urlpatterns = [
    path("", support_home, name="home"),
    *networks.urlpatterns,
    *caseloads.urlpatterns,
    *requests.urlpatterns,
    *surveys.urlpatterns,
    *calendar.urlpatterns,
]
