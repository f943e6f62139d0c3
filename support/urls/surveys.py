"""The surveys pages."""

urlpatterns = []
