"""The calendar pages."""

urlpatterns = []
