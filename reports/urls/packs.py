"""The board decision pack and the auditor dossier (the autonomy office)."""

from django.urls import path

from reports.views import packs

urlpatterns = [
    path("office/board-pack/", packs.pack_board, name="pack_board"),
    path("office/board-pack/pack.pdf", packs.pack_board_pdf, name="pack_board_pdf"),
    path("office/dossier/", packs.dossier, name="dossier"),
    path("office/dossier/dossier.zip", packs.dossier_zip, name="dossier_zip"),
]
