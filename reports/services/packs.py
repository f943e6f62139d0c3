"""The autonomy office's packs: the board decision pack (a page and a PDF) and the auditor dossier (a zip).
Both are read from the other apps' records when asked for; nothing is written."""

from reports.services.packs_board import BoardPack, board_pack_build
from reports.services.packs_board_pdf import render_board_pack_pdf
from reports.services.packs_dossier import Dossier, auditor_dossier_build

__all__ = ["BoardPack", "Dossier", "auditor_dossier_build", "board_pack_build", "render_board_pack_pdf"]
