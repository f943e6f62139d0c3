"""Support's URLs, one module per part (networks, caseloads, requests, surveys, calendar)."""

from support.urls import calendar, caseloads, networks, requests, surveys

app_name = "support"

urlpatterns = [
    *networks.urlpatterns,
    *caseloads.urlpatterns,
    *requests.urlpatterns,
    *surveys.urlpatterns,
    *calendar.urlpatterns,
]
