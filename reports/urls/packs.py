"""The board decision pack and the auditor dossier (the autonomy office)."""

urlpatterns: list = []
