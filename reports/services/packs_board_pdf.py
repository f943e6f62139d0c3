"""The board decision pack as a PDF (ReportLab, as the contract PDF): a title page with the district and the
dates, then one section per kind of decision, each a table, and a sentence where a section is empty."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.services.packs_board import BoardPack, day_words


def pdf_paragraph(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class PdfStyles:
    """The packs' PDF styles, shared by the board pack and the dossier's flag notices."""

    def __init__(self):
        sheet = getSampleStyleSheet()
        self.title = sheet["Title"]
        self.heading = sheet["Heading2"]
        self.body = ParagraphStyle("body", parent=sheet["BodyText"], fontSize=9.5, leading=12)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.head = ParagraphStyle("head", parent=self.cell, fontName="Helvetica-Bold")
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8.5, leading=11, textColor=colors.HexColor("#4a5562")
        )


def pdf_document(buffer, *, pagesize, margin: float, title: str) -> SimpleDocTemplate:
    """A pack's PDF, written into `buffer`: the same margin (in inches) all round, and the portal as its author."""
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin * inch,
        rightMargin=margin * inch,
        topMargin=margin * inch,
        bottomMargin=margin * inch,
        title=title,
        author="SGS Portal",
    )


def render_board_pack_pdf(pack: BoardPack) -> bytes:
    styles = PdfStyles()
    buffer = BytesIO()
    period = f"{day_words(pack.since)} to {day_words(pack.until)}"
    title = f"Board decision pack — {pack.district}, {period}"
    document = pdf_document(buffer, pagesize=landscape(LETTER), margin=0.6, title=title)
    story = _title_page(pack, period, styles)
    for heading, lede, header, widths, rows, empty in _sections(pack):
        story.append(pdf_paragraph(heading, styles.heading))
        story.append(pdf_paragraph(lede, styles.small))
        story.append(Spacer(1, 4))
        if rows:
            story.append(pdf_table(header, rows, widths, styles))
        else:
            story.append(pdf_paragraph(empty, styles.body))
        story.append(Spacer(1, 10))
    document.build(story)
    return buffer.getvalue()


def _title_page(pack: BoardPack, period: str, styles: PdfStyles) -> list:
    totals = [
        ("Requests decided", len(pack.requests)),
        ("Grant changes", len(pack.grant_changes)),
        ("Contracts and amendments in force", len(pack.contracts_in_force)),
        ("Amendments opened", len(pack.amendments_started)),
        ("Flags opened", len(pack.flags_opened)),
        ("Flags raised a level", len(pack.flags_raised)),
    ]
    story = [
        Spacer(1, 1.2 * inch),
        pdf_paragraph("Board decision pack", styles.title),
        pdf_paragraph(pack.district, styles.heading),
        pdf_paragraph(f"Decisions and changes from {period}", styles.body),
        Spacer(1, 18),
        pdf_table(["In this pack", "How many"], [[label, str(count)] for label, count in totals], [3.5, 1.2], styles),
        Spacer(1, 18),
        pdf_paragraph(f"Prepared {day_words(pack.made_at)} from SGS Portal's records.", styles.small),
        PageBreak(),
    ]
    return story


def _when(at) -> str:
    return day_words(timezone.localtime(at))


def _sections(pack: BoardPack) -> list[tuple]:
    """(heading, lede, header, column widths in inches, rows, sentence when empty), in the page's order."""
    requests = [
        [
            f"{r.school} ({r.school_code})",
            r.call,
            r.outcome,
            "\n".join(f"{i.autonomy}: {i.decision}" + (f" — {i.note}" if i.note else "") for i in r.items),
            r.note or "—",
            f"{_when(r.decided_at)}, {r.decided_by}",
        ]
        for r in pack.requests
    ]
    grants = [
        [
            f"{g.school} ({g.school_code})",
            g.autonomy,
            g.change,
            f"{g.from_status} → {g.to_status}",
            g.reason,
            _when(g.at),
        ]
        for g in pack.grant_changes
    ]
    in_force = [
        [f"{c.school} ({c.school_code})", c.term, c.what, c.reason or "—", _when(c.at)] for c in pack.contracts_in_force
    ]
    amendments = [
        [f"{c.school} ({c.school_code})", c.term, c.what, c.reason or "—", c.status, _when(c.at)]
        for c in pack.amendments_started
    ]
    opened = [
        [f"{f.school} ({f.school_code})", f.rung, f.provision, f.what, f.status, _when(f.at)] for f in pack.flags_opened
    ]
    raised = [[f"{f.school} ({f.school_code})", f.what, f.rung, f.status, _when(f.at)] for f in pack.flags_raised]
    register = [[label, str(count)] for label, count in pack.register]
    return [
        (
            "The register's changes",
            "How many autonomies were granted, put at risk, suspended, revoked or restored in these dates.",
            ["Change", "Grants"],
            [4.0, 1.2],
            register,
            "No change.",
        ),
        (
            "Requests decided",
            "Schools' requests for autonomy the autonomy office approved or declined, with its note.",
            ["School", "Call", "Decision", "Each autonomy", "Decision note", "Decided"],
            [1.6, 1.4, 0.8, 2.4, 2.0, 1.5],
            requests,
            "No request was decided in these dates.",
        ),
        (
            "Grants changed",
            "Every change to a school's autonomy, with the reason recorded.",
            ["School", "Autonomy", "Change", "From → to", "Reason", "When"],
            [1.6, 1.6, 1.1, 1.4, 2.7, 1.3],
            grants,
            "No grant changed in these dates.",
        ),
        (
            "Contracts signed or amended",
            "Contract versions countersigned by the district, which put them in force.",
            ["School", "Term", "What", "Why amended", "In force from"],
            [1.8, 1.5, 2.0, 3.2, 1.2],
            in_force,
            "No contract was countersigned in these dates.",
        ),
        (
            "Amendments opened",
            "New versions of a contract started in these dates, and where each stands now.",
            ["School", "Term", "What", "Why amended", "Status now", "Opened"],
            [1.7, 1.4, 1.4, 2.6, 1.3, 1.3],
            amendments,
            "No amendment was opened in these dates.",
        ),
        (
            "Flags opened",
            "Cases opened when a school missed what its contract asks.",
            ["School", "Level now", "Provision", "What was missed", "Status now", "Opened"],
            [1.6, 1.7, 1.2, 2.7, 1.2, 1.3],
            opened,
            "No flag was opened in these dates.",
        ),
        (
            "Flags raised a level",
            "Cases raised one step of the contract's ladder, by the autonomy office or when a deadline passed.",
            ["School", "Why", "Flag now at", "Status now", "Raised"],
            [1.7, 3.6, 1.9, 1.3, 1.3],
            raised,
            "No flag was raised in these dates.",
        ),
    ]


def pdf_table(header, rows, widths, styles: PdfStyles) -> Table:
    data = [[pdf_paragraph(cell, styles.head) for cell in header]] + [
        [pdf_paragraph(cell, styles.cell) for cell in row] for row in rows
    ]
    table = Table(data, colWidths=[w * inch for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1b1f24")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5dbe2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
