"""The auditor dossier: one zip per school and school year, made in memory when asked for, from the other
apps' records (read only). It holds every contract version of the year as its PDF with the signature
record, the grants ledger and its events, the flags with their notices, evidence and steps, the requests
with each decision, and a README listing the files.

A contract version belongs to the year when the year falls within its term; a grant when it started by the
year's last day; a flag when it is about the year's results or was opened during it; a request when it was
made or decided during it. Drafts never put to the school are left out: they were never part of an agreement.
"""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Spacer

from accountability.models import FlagEvent, InterventionFlag
from accountability.selectors import flag_evidence
from accountability.services import notice_text
from autonomy.models import AutonomyGrant, AutonomyRequest, GrantEvent, RequestItem
from contracts.models import Benchmark, ContractStatus, InterventionRule, PerformanceContract
from contracts.pdf import render_contract_pdf
from core.spreadsheets import spreadsheet_cell
from reports.services.packs_board import day_bounds, day_words, district_name, person
from reports.services.packs_board_pdf import PdfStyles, pdf_document, pdf_paragraph, pdf_table
from schools.models import School, SchoolYear


@dataclass(frozen=True)
class Dossier:
    filename: str
    content: bytes
    files: list[str]


def _iso(at) -> str:
    if at is None:
        return ""
    if isinstance(at, datetime.datetime):
        return timezone.localtime(at).isoformat(timespec="seconds")
    return at.isoformat()


# A step of a grant or a flag (each a core.models.StatusEvent), as the CSVs write it.
EVENT_COLUMNS = ["at", "action", "from_status", "to_status", "by", "reason"]


def _event_cells(event) -> list:
    return [
        _iso(event.at),
        event.action,
        event.get_from_status_display(),
        event.get_to_status_display(),
        person(event.actor),
        event.reason,
    ]


def _csv(header: list[str], rows) -> bytes:
    # UTF-8 with a byte-order mark so a spreadsheet opens accents and dashes as they are.
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _contract_versions(school: School, year: SchoolYear) -> list[PerformanceContract]:
    """With the parts contracts/pdf.py draws, so a version's PDF costs no query of its own."""
    return list(
        PerformanceContract.objects.filter(
            school=school, term_start__start_date__lte=year.start_date, term_end__start_date__gte=year.start_date
        )
        .exclude(status=ContractStatus.DRAFT)
        .select_related("school", "term_start", "term_end", "signed_by", "countersigned_by")
        .prefetch_related(
            Prefetch("benchmarks", queryset=Benchmark.objects.select_related("metric", "binding_grant__autonomy")),
            Prefetch("rules", queryset=InterventionRule.objects.select_related("benchmark__metric")),
            "grants__autonomy",
        )
        .order_by("lineage", "version")
    )


def _contract_file(contract: PerformanceContract) -> str:
    return f"contracts/contract-{contract.school.code}-{contract.term_start}-v{contract.version}.pdf"


def _signature_rows(contracts: list[PerformanceContract]) -> bytes:
    header = [
        "file",
        "version",
        "status",
        "term",
        "amendment_reason",
        "principal_name",
        "principal_account",
        "principal_signed_at",
        "principal_address",
        "principal_content_sha256",
        "district_name",
        "district_account",
        "district_countersigned_at",
        "district_address",
        "district_content_sha256",
    ]
    rows = [
        [
            _contract_file(c),
            c.version,
            c.get_status_display(),
            f"{c.term_start} to {c.term_end}",
            c.amendment_reason,
            c.signed_name,
            c.signed_by.get_username() if c.signed_by else "",
            _iso(c.signed_at),
            c.signed_address or "",
            c.signed_content_sha256,
            c.countersigned_name,
            c.countersigned_by.get_username() if c.countersigned_by else "",
            _iso(c.countersigned_at),
            c.countersigned_address or "",
            c.countersigned_content_sha256,
        ]
        for c in contracts
    ]
    return _csv(header, rows)


def _grants(school: School, year: SchoolYear) -> list[AutonomyGrant]:
    return list(
        AutonomyGrant.objects.filter(school=school, starts_on__lte=year.end_date)
        .select_related("autonomy", "granted_by")
        .prefetch_related(Prefetch("events", queryset=GrantEvent.objects.select_related("actor").order_by("at", "pk")))
        .order_by("starts_on", "pk")
    )


def _grant_files(grants: list[AutonomyGrant]) -> dict[str, bytes]:
    ledger = _csv(
        ["grant", "autonomy_code", "autonomy", "model", "status", "starts_on", "ends_on", "granted_by", "reason"],
        [
            [
                g.pk,
                g.autonomy.code,
                g.autonomy.name,
                g.get_model_display(),
                g.get_status_display(),
                _iso(g.starts_on),
                _iso(g.ends_on),
                person(g.granted_by),
                g.reason,
            ]
            for g in grants
        ],
    )
    events = _csv(
        ["grant", "autonomy", *EVENT_COLUMNS, "evidence"],
        [
            [
                g.pk,
                g.autonomy.name,
                *_event_cells(e),
                json.dumps(e.evidence, sort_keys=True, ensure_ascii=False) if e.evidence else "",
            ]
            for g in grants
            for e in g.events.all()
        ],
    )
    return {"grants.csv": ledger, "grant_events.csv": events}


def _flags(school: School, year: SchoolYear) -> list[InterventionFlag]:
    start, end = day_bounds(year.start_date, year.end_date)
    return list(
        InterventionFlag.objects.filter(school=school)
        .filter(Q(period=year.label) | Q(opened_at__gte=start, opened_at__lt=end))
        .select_related("rule__benchmark__metric")
        .prefetch_related(Prefetch("events", queryset=FlagEvent.objects.select_related("actor").order_by("at", "pk")))
        .order_by("opened_at", "pk")
    )


def _flag_files(flags: list[InterventionFlag]) -> dict[str, bytes]:
    listing = _csv(
        ["flag", "opened_at", "period", "level", "status", "provision", "deficiency", "remedy", "deadline", "plan"],
        [
            [
                f.pk,
                _iso(f.opened_at),
                f.period,
                f.level,
                f.get_status_display(),
                f.provision,
                f.deficiency,
                f.remedy,
                _iso(f.deadline),
                f.plan,
            ]
            for f in flags
        ],
    )
    evidences = {f.pk: flag_evidence(flag=f) for f in flags}
    notices = _csv(["flag", "notice"], [[f.pk, notice_text(f)] for f in flags])
    evidence = _csv(
        ["flag", "benchmark", "what_it_asks", "result", "value", "target", "period", "note"],
        [
            [f.pk, line.key, line.sentence, line.status_words, line.value, line.target, line.period, line.note]
            for f in flags
            for line in evidences[f.pk]
        ],
    )
    steps = _csv(["flag", *EVENT_COLUMNS], [[f.pk, *_event_cells(e)] for f in flags for e in f.events.all()])
    return {
        "flags.csv": listing,
        "flag_notices.csv": notices,
        "flag_evidence.csv": evidence,
        "flag_events.csv": steps,
        "flag_notices.pdf": _flags_pdf(flags, evidences),
    }


def _flags_pdf(flags: list[InterventionFlag], evidences: dict) -> bytes:
    """The flags to read: for each, its notice as the school reads it, the results it was opened on, and
    its steps."""
    styles = PdfStyles()
    buffer = io.BytesIO()
    document = pdf_document(
        buffer, pagesize=LETTER, margin=0.7, title="Intervention flags: notices, evidence and steps"
    )
    story = [pdf_paragraph("Intervention flags: notices, evidence and steps", styles.title)]
    if not flags:
        story.append(pdf_paragraph("No flag was opened about this school year.", styles.body))
    for flag in flags:
        story += [
            pdf_paragraph(
                f"Flag {flag.pk}, opened {day_words(flag.opened_at)}: level {flag.level}, {flag.get_status_display()}",
                styles.heading,
            ),
            pdf_paragraph("Notice", styles.head),
            pdf_paragraph(notice_text(flag), styles.body),
            Spacer(1, 6),
            pdf_paragraph("Evidence", styles.head),
            pdf_table(
                ["Benchmark", "Result", "Value", "Target", "Period"],
                [[e.sentence, e.status_words, e.value, e.target, e.period] for e in evidences[flag.pk]],
                [2.6, 0.9, 0.9, 1.4, 0.9],
                styles,
            ),
            Spacer(1, 6),
            pdf_paragraph("Steps", styles.head),
            pdf_table(
                ["When", "Step", "By", "Reason"],
                [[day_words(e.at), e.action.replace("_", " "), person(e.actor), e.reason] for e in flag.events.all()],
                [1.2, 0.9, 1.3, 3.3],
                styles,
            ),
            Spacer(1, 12),
        ]
    document.build(story)
    return buffer.getvalue()


def _requests(school: School, year: SchoolYear) -> list[AutonomyRequest]:
    start, end = day_bounds(year.start_date, year.end_date)
    return list(
        AutonomyRequest.objects.filter(school=school)
        .filter(Q(created_at__gte=start, created_at__lt=end) | Q(decided_at__gte=start, decided_at__lt=end))
        .select_related("call", "decided_by")
        .prefetch_related(Prefetch("items", queryset=RequestItem.objects.select_related("autonomy")))
        .order_by("created_at", "pk")
    )


def _request_file(requests: list[AutonomyRequest]) -> bytes:
    header = [
        "request",
        "call",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_note",
        "autonomy",
        "item_decision",
        "item_note",
        "override_reason",
    ]
    rows = []
    for r in requests:
        common = [
            r.pk,
            r.call.title,
            r.get_status_display(),
            _iso(r.submitted_at),
            _iso(r.decided_at),
            person(r.decided_by) if r.decided_at else "",
            r.decision_note,
        ]
        items = list(r.items.all())
        rows += [
            [*common, i.autonomy.name, i.get_decision_display(), i.decision_note, i.override_reason] for i in items
        ] or [[*common, "", "", "", ""]]
    return _csv(header, rows)


FILE_NOTES = {
    "contract_signatures.csv": "Each contract version's signature record: who signed, when, from where, and "
    "the SHA-256 of the content signed, on both sides.",
    "grants.csv": "The grants ledger: every autonomy the school was granted by the year's end, and its status now.",
    "grant_events.csv": "Every change to those grants: when, from what to what, who, why and on which evidence.",
    "flags.csv": "The intervention flags about the year: the deficiency, the provision, the remedy, the deadline.",
    "flag_notices.csv": "Each flag's notice to the school, as it reads now.",
    "flag_evidence.csv": "The results each flag was opened on, benchmark by benchmark.",
    "flag_events.csv": "Each flag's steps: opened, acknowledged, plans, raised, resolved.",
    "flag_notices.pdf": "The same flags to read: each notice, the results it was opened on, and its steps.",
    "requests.csv": "The school's requests for autonomy made or decided in the year, one row per autonomy asked "
    "for, with each decision and its note.",
}


def _readme(school: School, year: SchoolYear, files: dict[str, bytes], contracts) -> bytes:
    lines = [
        f"Auditor dossier — {school.name} ({school.code}), school year {year.label}",
        district_name(),
        f"The school year runs from {day_words(year.start_date)} to {day_words(year.end_date)}.",
        f"Prepared {day_words(timezone.now())} from SGS Portal's records.",
        "",
        "Files:",
    ]
    versions = {_contract_file(c): c for c in contracts}
    for name in files:
        if name in versions:
            c = versions[name]
            note = f"Contract version {c.version} ({c.get_status_display()}), with its signature record."
        else:
            note = FILE_NOTES.get(name, "")
        lines.append(f"- {name}: {note}")
    if not contracts:
        lines.append("No contract version covers this school year.")
    lines += [
        "",
        "Drafts never proposed to the school are left out. Dates and times are in the district's time zone; "
        "CSV files are UTF-8.",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def auditor_dossier_build(*, school: School, school_year: SchoolYear) -> Dossier:
    """The caller has checked that the person is the autonomy office."""
    contracts = _contract_versions(school, school_year)
    files: dict[str, bytes] = {_contract_file(c): render_contract_pdf(c) for c in contracts}
    files["contract_signatures.csv"] = _signature_rows(contracts)
    files.update(_grant_files(_grants(school, school_year)))
    files.update(_flag_files(_flags(school, school_year)))
    files["requests.csv"] = _request_file(_requests(school, school_year))
    readme = _readme(school, school_year, files, contracts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, content in files.items():
            archive.writestr(name, content)
    return Dossier(
        filename=f"dossier-{school.code}-{school_year.label}.zip",
        content=buffer.getvalue(),
        files=["README.txt", *files],
    )
