"""The requests pages."""

urlpatterns = []
