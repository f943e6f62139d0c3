"""The contract as a PDF (ReportLab), with the same wording as the page and the signature record: each
signature's name, account, time, address and the SHA-256 of the content signed."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contracts.benchmark_wording import benchmark_sentence
from contracts.commitment_wording import commitment_sentence, commitment_status_words
from contracts.models import PerformanceContract
from contracts.wording import CLIMBING, LADDER_STEPS, contract_ladder


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
        title=_("Performance contract — %(school)s") % {"school": contract.school.name},
        author="SGS Portal",
    )
    school = contract.school
    story = [
        _p(_("Performance contract"), styles["Title"]),
        _p(f"{school.name} ({school.code})", styles["Heading2"]),
        _p(
            _("Term %(start)s to %(end)s · version %(version)s · %(status)s")
            % {
                "start": contract.term_start,
                "end": contract.term_end,
                "version": contract.version,
                "status": contract.get_status_display(),
            },
            body,
        ),
        Spacer(1, 8),
        _p(contract.summary, body),
        _p(_("What the school may decide"), styles["Heading2"]),
    ]
    grants = list(contract.grants.all())
    if grants:
        rows = [[_("Decision"), _("Domain"), _("Accountability model")]] + [
            [_p(g.autonomy.name, body), _p(g.autonomy.get_domain_display(), body), _p(g.get_model_display(), body)]
            for g in grants
        ]
        story.append(_table(rows, [3.3 * inch, 1.0 * inch, 2.5 * inch]))
    else:
        story.append(_p(_("The contract covers no autonomy yet."), body))
    story.append(_p(_("What the school must achieve"), styles["Heading2"]))
    for benchmark in contract.benchmarks.all():
        line = benchmark_sentence(benchmark)
        if benchmark.binding_grant_id:
            line += _(" Keeping “%(autonomy)s” depends on it.") % {"autonomy": benchmark.binding_grant.autonomy.name}
        story.append(_p(f"• {line}", body))
    story.append(_p(_("What happens if it does not"), styles["Heading2"]))
    ladder = contract_ladder(contract.rules.all()) if contract.rules.all() else []
    for rung in ladder:
        step = _("Step %(level)s of %(steps)s: %(label)s") % {
            "level": rung.level,
            "steps": LADDER_STEPS,
            "label": rung.label,
        }
        story.append(_p(step, step_style))
        for rule in rung.rules:
            story.append(_p(f"• {rule.sentence} ({rule.provision})", body))
        if rung.reached_by_climbing:
            story.append(_p(CLIMBING, small))
    if not ladder:
        story.append(_p(_("No intervention rule yet."), body))
    story.append(_p(_("What central office commits to"), styles["Heading2"]))
    commitments = list(contract.commitments.all())
    for commitment in commitments:
        story.append(_p(f"• {commitment_sentence(commitment)}", body))
        story.append(_p(_("Status: %(words)s") % {"words": commitment_status_words(commitment)}, small))
    if not commitments:
        story.append(_p(_("This contract lists no commitment of central office."), body))
    # The heading and the signature record stay on one page.
    story.append(KeepTogether([_p(_("Signatures"), styles["Heading2"]), *_signature_tables(contract, body, small)]))
    story.append(Spacer(1, 10))
    printed = date_format(timezone.localtime(), _("F j, Y"))
    story.append(_p(_("Printed %(printed_on)s from SGS Portal.") % {"printed_on": printed}, small))
    document.build(story)
    return buffer.getvalue()


def _signature_tables(contract: PerformanceContract, body, small) -> list:
    """For each side: the name, the account, the time, the address and the SHA-256 of the content signed."""
    mono = ParagraphStyle("mono", parent=small, fontName="Courier", fontSize=8, leading=10)
    sides = [
        (_("Principal"), _("not signed"), contract.signed_name, contract.signed_by, contract.signed_at,
         contract.signed_address, contract.signed_content_sha256),
        (_("District"), _("not countersigned"), contract.countersigned_name, contract.countersigned_by,
         contract.countersigned_at, contract.countersigned_address, contract.countersigned_content_sha256),
    ]  # fmt: skip
    tables = []
    for who, unsigned, name, account, at, address, sha256 in sides:
        if at is None:
            rows = [[who, _p(unsigned, body)]]
        else:
            rows = [
                [who, _p(name, body)],
                [_("Account"), _p(account.get_username() if account else _("not recorded"), body)],
                [
                    _("Signed"),
                    _p(f"{date_format(timezone.localtime(at), _('F j, Y'))} {timezone.localtime(at):%H:%M %Z}", body),
                ],
                [_("Address"), _p(address or _("not recorded"), body)],
                [_("Content SHA-256"), _p(sha256, mono) if sha256 else _p(_("not recorded"), body)],
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
