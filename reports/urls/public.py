"""The public pages: the Autonomy Register, school and autonomy pages, open data."""

urlpatterns: list = []
