"""The caseloads pages."""

urlpatterns = []
