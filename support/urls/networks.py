"""The networks pages."""

urlpatterns = []
