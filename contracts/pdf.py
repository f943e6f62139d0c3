"""The contract as a PDF (ReportLab), with the same wording as the page and the signature record: each
signature's name, account, time, address and the SHA-256 of the content signed."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contracts.commitment_wording import commitment_sentence, commitment_status_words
from contracts.models import PerformanceContract
from contracts.wording import CLIMBING, LADDER_STEPS, benchmark_sentence, contract_ladder


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def render_contract_pdf(contract: PerformanceContract) -> bytes:
    """Expects the contract from contracts.selectors.contract_get_for_user (parts prefetched)."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=13)
    step_style = ParagraphStyle("step", parent=body, fontName="Helvetica-Bold", spaceBefore=4)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#4a5562"))
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
        title=f"Performance contract — {contract.school.name}",
        author="SGS Portal",
    )
    school = contract.school
    story = [
        _p("Performance contract", styles["Title"]),
        _p(f"{school.name} ({school.code})", styles["Heading2"]),
        _p(
            f"Term {contract.term_start} to {contract.term_end} · version {contract.version} · "
            f"{contract.get_status_display()}",
            body,
        ),
        Spacer(1, 8),
        _p(contract.summary, body),
        _p("What the school may decide", styles["Heading2"]),
    ]
    grants = list(contract.grants.all())
    if grants:
        rows = [["Decision", "Domain", "Accountability model"]] + [
            [_p(g.autonomy.name, body), _p(g.autonomy.get_domain_display(), body), _p(g.get_model_display(), body)]
            for g in grants
        ]
        story.append(_table(rows, [3.3 * inch, 1.0 * inch, 2.5 * inch]))
    else:
        story.append(_p("The contract covers no autonomy yet.", body))
    story.append(_p("What the school must achieve", styles["Heading2"]))
    for benchmark in contract.benchmarks.all():
        line = benchmark_sentence(benchmark)
        if benchmark.binding_grant_id:
            line += f" Keeping “{benchmark.binding_grant.autonomy.name}” depends on it."
        story.append(_p(f"• {line}", body))
    story.append(_p("What happens if it does not", styles["Heading2"]))
    ladder = contract_ladder(contract.rules.all()) if contract.rules.all() else []
    for rung in ladder:
        story.append(_p(f"Step {rung.level} of {LADDER_STEPS}: {rung.label}", step_style))
        for rule in rung.rules:
            story.append(_p(f"• {rule.sentence} ({rule.provision})", body))
        if rung.reached_by_climbing:
            story.append(_p(CLIMBING, small))
    if not ladder:
        story.append(_p("No intervention rule yet.", body))
    story.append(_p("What central office commits to", styles["Heading2"]))
    commitments = list(contract.commitments.all())
    for commitment in commitments:
        story.append(_p(f"• {commitment_sentence(commitment)}", body))
        story.append(_p(f"Status: {commitment_status_words(commitment)}", small))
    if not commitments:
        story.append(_p("This contract lists no commitment of central office.", body))
    # The heading and the signature record stay on one page.
    story.append(KeepTogether([_p("Signatures", styles["Heading2"]), *_signature_tables(contract, body, small)]))
    story.append(Spacer(1, 10))
    story.append(_p(f"Printed {timezone.localtime():%B %-d, %Y} from SGS Portal.", small))
    document.build(story)
    return buffer.getvalue()


def _signature_tables(contract: PerformanceContract, body, small) -> list:
    """For each side: the name, the account, the time, the address and the SHA-256 of the content signed."""
    mono = ParagraphStyle("mono", parent=small, fontName="Courier", fontSize=8, leading=10)
    sides = [
        ("Principal", "not signed", contract.signed_name, contract.signed_by, contract.signed_at,
         contract.signed_address, contract.signed_content_sha256),
        ("District", "not countersigned", contract.countersigned_name, contract.countersigned_by,
         contract.countersigned_at, contract.countersigned_address, contract.countersigned_content_sha256),
    ]  # fmt: skip
    tables = []
    for who, unsigned, name, account, at, address, sha256 in sides:
        if at is None:
            rows = [[who, _p(unsigned, body)]]
        else:
            rows = [
                [who, _p(name, body)],
                ["Account", _p(account.get_username() if account else "not recorded", body)],
                ["Signed", _p(f"{timezone.localtime(at):%B %-d, %Y %H:%M %Z}", body)],
                ["Address", _p(address or "not recorded", body)],
                ["Content SHA-256", _p(sha256, mono) if sha256 else _p("not recorded", body)],
            ]
        tables += [_table(rows, [1.4 * inch, 5.4 * inch], header=False), Spacer(1, 6)]
    return tables


def _table(rows, widths, *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0) if header else (0, -1), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1b1f24")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5dbe2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
