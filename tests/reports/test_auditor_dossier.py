"""The auditor dossier: a zip per school and school year that opens, lists its files in a README, holds
each contract version as a PDF with its signature record, and CSVs of the grants, flags and requests with
the right rows; the autonomy office only; a bad school or year refused naming the field."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from autonomy.services import grant_change
from reports.services.packs import auditor_dossier_build
from schools.models import Role, SchoolYear
from tests.factories import SchoolYearFactory
from tests.reports.test_board_pack import pack_world
from tests.world import NO_ROLE


@pytest.fixture
def world(db):
    return pack_world()


@pytest.fixture
def year(world):
    return SchoolYear.objects.get(label="2026-27")


def _zip(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_zip_holds_the_listed_files_and_the_readme_lists_them(world, year):
    own = world["own"]
    dossier = auditor_dossier_build(school=own, school_year=year)
    archive = _zip(dossier.content)
    versions = [f"contracts/contract-{own.code}-2026-27-v{n}.pdf" for n in (1, 2)]
    expected = [
        "README.txt",
        *versions,
        "contract_signatures.csv",
        "grants.csv",
        "grant_events.csv",
        "flags.csv",
        "flag_notices.csv",
        "flag_evidence.csv",
        "flag_events.csv",
        "flag_notices.pdf",
        "requests.csv",
    ]
    assert archive.namelist() == expected == dossier.files
    assert dossier.filename == f"dossier-{own.code}-2026-27.zip"
    readme = archive.read("README.txt").decode()
    assert f"{own.name} ({own.code}), school year 2026-27" in readme
    for name in expected[1:]:
        assert f"- {name}: " in readme, name


def test_every_contract_version_is_a_pdf_with_its_signature_record(world, year):
    archive = _zip(auditor_dossier_build(school=world["own"], school_year=year).content)
    contracts = {1: world["contracts"][True], 2: world["amendment"]}
    signatures = {row["version"]: row for row in _rows(archive, "contract_signatures.csv")}
    assert set(signatures) == {"1", "2"}
    for version, contract in contracts.items():
        contract.refresh_from_db()
        text = _pdf_text(archive.read(f"contracts/contract-{world['own'].code}-2026-27-v{version}.pdf"))
        assert f"version {version}" in text
        assert contract.signed_name and contract.signed_name in text
        assert contract.countersigned_name and contract.countersigned_name in text
        assert contract.signed_content_sha256 in text and contract.countersigned_content_sha256 in text
        row = signatures[str(version)]
        assert row["principal_content_sha256"] == contract.signed_content_sha256
        assert row["district_content_sha256"] == contract.countersigned_content_sha256
        assert row["principal_name"] == contract.signed_name
    assert signatures["2"]["amendment_reason"] == "Adding the budget autonomy."
    assert signatures["1"]["status"] == "Replaced by an amendment"


def test_the_csvs_hold_the_schools_grants_flags_and_requests(world, year):
    archive = _zip(auditor_dossier_build(school=world["own"], school_year=year).content)
    grants = _rows(archive, "grants.csv")
    assert sorted((g["autonomy_code"], g["status"]) for g in grants) == [
        ("money.budget", "Active"),
        ("people.hiring", "Active"),
    ]
    events = _rows(archive, "grant_events.csv")
    assert [(e["autonomy"], e["action"], e["to_status"], e["reason"]) for e in events if e["action"] != "issue"] == [
        ("Hire and dismiss staff", "suspend", "Suspended", "Hiring rules were not followed."),
        ("Hire and dismiss staff", "restore", "Active", "Hiring reviewed and in order."),
    ]
    assert len(events) == 4  # and the two grants issued
    flag = world["flags"][True]
    (flag_row,) = _rows(archive, "flags.csv")
    assert flag_row["flag"] == str(flag.pk) and flag_row["level"] == "2" and flag_row["period"] == "2026-27"
    (notice,) = _rows(archive, "flag_notices.csv")
    assert flag.deficiency in notice["notice"] and "Contract provision: Section 5.1" in notice["notice"]
    (evidence,) = _rows(archive, "flag_evidence.csv")
    assert evidence["benchmark"] == "ela" and evidence["period"] == "2026-27"
    assert [e["action"] for e in _rows(archive, "flag_events.csv")] == ["open", "escalate"]
    notices = _pdf_text(archive.read("flag_notices.pdf"))
    assert " ".join(flag.deficiency.split()) in notices and "Contract provision: Section 5.1" in notices
    assert "Proficiency in ELA is at least 50%." in notices
    assert "Raised to level 2, corrective action plan required. No plan was received." in notices
    requests = _rows(archive, "requests.csv")
    assert sorted((r["autonomy"], r["item_decision"], r["item_note"]) for r in requests) == [
        ("Choose curriculum", "Declined", "Not this year."),
        ("Control the school budget", "Approved", "Budget freedom from July."),
    ]
    assert {r["decision_note"] for r in requests} == {"A strong plan for the school's budget."}


def test_nothing_of_another_school_is_in_the_dossier(world, year):
    archive = _zip(auditor_dossier_build(school=world["own"], school_year=year).content)
    other = world["other"]
    for name in archive.namelist():
        if name.endswith(".pdf"):
            text = _pdf_text(archive.read(name))
        else:
            text = archive.read(name).decode("utf-8-sig")
        assert other.name not in text and other.code not in text, name
        assert "Repeated hiring breaches." not in text and "The plan lacks outcomes" not in text, name


def test_a_year_no_contract_covers_says_so_and_still_opens(world):
    earlier = SchoolYearFactory(
        label="2024-25",
        start_date=datetime.date(2024, 7, 1),
        end_date=datetime.date(2025, 6, 30),
        first_day=datetime.date(2024, 8, 19),
    )
    archive = _zip(auditor_dossier_build(school=world["own"], school_year=earlier).content)
    assert not [name for name in archive.namelist() if name.startswith("contracts/")]
    assert "No flag was opened about this school year." in _pdf_text(archive.read("flag_notices.pdf"))
    assert "No contract version covers this school year." in archive.read("README.txt").decode()
    assert _rows(archive, "flags.csv") == [] and _rows(archive, "requests.csv") == []


@pytest.fixture
def office(world, client_for):
    return client_for(world["users"][Role.ADMIN])


def test_the_office_downloads_the_zip_from_the_page(world, office):
    page = office.get(reverse("reports:dossier"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("reports:dossier_zip") in html and 'for="id_school"' in html and 'for="id_school_year"' in html
    response = office.get(reverse("reports:dossier_zip"), {"school": world["own"].code, "school_year": "2026-27"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f'filename="dossier-{world["own"].code}-2026-27.zip"' in response["Content-Disposition"]
    assert "README.txt" in _zip(response.content).namelist()


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.LIAISON, Role.REVIEWER, Role.VIEWER, NO_ROLE])
@pytest.mark.parametrize("name", ["reports:dossier", "reports:dossier_zip"])
def test_anyone_but_the_autonomy_office_gets_404(world, client_for, role, name):
    query = {"school": world["own"].code, "school_year": "2026-27"}
    response = client_for(world["users"][role]).get(reverse(name), query)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"school_year": "2026-27"}, "school", "Choose a school."),
        ({"school": "NOPE", "school_year": "2026-27"}, "school", "Choose a school from the list."),
        ({"school": "OWN", "school_year": "2099-00"}, "school_year", "Choose a school year from the list."),
        ({"school": "OWN", "school_year": "２０２６-27"}, "school_year", "Choose a school year from the list."),
        ({"school": "OWN", "school_year": "9" * 40}, "school_year", "Choose a school year from the list."),
        ({"school": "OWN"}, "school_year", "Choose a school year."),
    ],
)
def test_a_bad_school_or_year_is_refused_naming_the_field(world, office, query, field, message):
    query = {key: world["own"].code if value == "OWN" else value for key, value in query.items()}
    response = office.get(reverse("reports:dossier_zip"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page


def test_a_reason_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(world, year):
    grant_change(
        actor=world["users"][Role.ADMIN],
        grant_id=world["grants"][True].pk,
        action="suspend",
        reason='=HYPERLINK("http://example.com","look")',
    )
    archive = _zip(auditor_dossier_build(school=world["own"], school_year=year).content)
    reasons = [e["reason"] for e in _rows(archive, "grant_events.csv")]
    assert '\'=HYPERLINK("http://example.com","look")' in reasons
    assert not [reason for reason in reasons if reason.startswith("=")]
