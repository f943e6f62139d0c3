"""What the catalog page and the district overview's rows keep in the shared cache (core.versions): a change
made through the services, the catalog page, the roster or a saved row is on the next page; a row written
behind their back is not, which shows the page really is kept. tests/core/test_cache_two_processes.py
shows the same across two workers sharing Redis."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from autonomy.models import Autonomy, AutonomyGrant
from autonomy.services import autonomy_catalog_update, grant_change, grants_issue
from core.versions import version_get
from schools.models import Network, Role, School
from schools.services.liaisons import school_liaison_set
from tests.factories import NetworkFactory, SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 7, 1)
CATALOG = reverse("autonomy:catalog")
OVERVIEW = reverse("autonomy:district_overview")


def _issue(schools, code="people.hiring"):
    return grants_issue(
        schools=schools, autonomy=Autonomy.objects.get(code=code), actor=None, reason="Pilot", starts_on=START
    )


def _held_today(client, code="people.hiring") -> str:
    page = client.get(CATALOG).content.decode()
    entry = page.split(f'href="{reverse("autonomy:catalog_entry", args=[code])}"', 1)[1]
    return re.search(r'<p class="held-today">(.*?)</p>', entry, re.S)[1]


def _row(client, school) -> str:
    page = client.get(OVERVIEW).content.decode()
    return re.search(rf"<tr>\s*<th scope=\"row\"><a href=\"[^\"]*/{school.code}/\">.*?</tr>", page, re.S)[0]


# --- The catalog page --------------------------------------------------------------------------------


def test_the_catalog_shows_a_grant_issued_or_revoked_on_the_next_page(
    fragments, on_commit, make_member, client_for, school
):
    admin = make_member(Role.ADMIN)
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    assert "No school holds it today" in _held_today(client)
    with on_commit():
        (grant, *_) = _issue([school, SchoolFactory()])
    assert "<strong>2 schools</strong>" in _held_today(client)
    with on_commit():
        grant_change(actor=admin, grant_id=grant.pk, action="revoke", reason="Audit findings", notify_school=False)
    assert "<strong>1 school</strong>" in _held_today(client)


def test_the_catalog_is_kept_until_an_entry_is_saved(fragments, on_commit, make_member, client_for, school):
    admin = make_member(Role.ADMIN)
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    assert "Hire and dismiss staff" in client.get(CATALOG).content.decode()

    Autonomy.objects.filter(code="people.hiring").update(name="Written behind the page's back")
    assert "Written behind" not in client.get(CATALOG).content.decode()  # kept

    with on_commit():
        autonomy_catalog_update(actor=admin, code="people.hiring", texts={"name": "Choose and keep staff"})
    page = client.get(CATALOG).content.decode()
    assert "Choose and keep staff" in page


def test_a_warm_catalog_reads_no_row_of_the_catalog(fragments, make_member, client_for, school):
    client = client_for(make_member(Role.PRINCIPAL, school=school))
    client.get(CATALOG)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CATALOG).status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "autonomy_autonomy" not in tables and "autonomy_eligibilitycriterion" not in tables


def test_the_drawn_catalog_is_kept_apart_for_those_who_see_the_evidence_and_those_who_do_not(
    fragments, on_commit, make_member, client_for, school
):
    """The office reads a decision with a link to its evidence; a principal reads it without. Each is kept,
    and a decision recorded later is on both on the next page."""
    office, principal = client_for(make_member(Role.ADMIN)), client_for(make_member(Role.PRINCIPAL, school=school))
    assert "Latest evaluation decision" not in principal.get(CATALOG).content.decode()
    evidence = "/impact/outcomes/?autonomy=program.assessment&amp;metric=ela_proficiency"
    with on_commit():
        recorded = office.post(
            reverse("impact:decisions"),
            {
                "autonomy": "program.assessment",
                "decision": "extend",
                "rationale": "+3 points from year two.",
                "evidence_path": evidence.replace("&amp;", "&"),
            },
        )
    assert recorded.status_code == 302
    for _ in range(2):  # built, then kept: the same words each time, for each reader
        office_page, principal_page = office.get(CATALOG).content.decode(), principal.get(CATALOG).content.decode()
        assert "Latest evaluation decision" in office_page and evidence in office_page
        assert "Latest evaluation decision" in principal_page and evidence not in principal_page


# --- The district overview's rows ------------------------------------------------------------------------


def test_the_overviews_rows_show_each_change_through_the_services_on_the_next_page(
    fragments, on_commit, make_member, client_for
):
    network = NetworkFactory(name="North")
    school = SchoolFactory(network=network)
    liaison = make_member(Role.LIAISON, first_name="Lena", last_name="Ortiz")
    client = client_for(make_member(Role.ADMIN))
    assert "None" in _row(client, school)

    with on_commit():
        _issue([school])
    assert "Hire and dismiss staff</li>" in _row(client, school)

    with on_commit():
        school_liaison_set(school=school, liaison=liaison)
    assert "Lena Ortiz" in _row(client, school)

    network.name = "North Star"
    with on_commit():
        network.save()
    assert "North Star" in _row(client, school)

    liaison.last_name = "Ortiz-Vega"
    with on_commit():
        liaison.save()
    assert "Lena Ortiz-Vega" in _row(client, school)

    entry = Autonomy.objects.get(code="people.hiring")
    entry.name = "Choose and keep staff"
    with on_commit():
        entry.save()  # as the admin saves it
    assert "Choose and keep staff</li>" in _row(client, school)


def test_the_overviews_rows_are_kept_until_a_version_moves(fragments, on_commit, make_member, client_for):
    school = SchoolFactory(name="Addams Elementary")
    client = client_for(make_member(Role.ADMIN))
    assert "Addams Elementary" in _row(client, school)

    School.objects.filter(pk=school.pk).update(enrollment=9999)  # behind the services' back
    AutonomyGrant.objects.all().delete()
    assert "9,999" not in _row(client, school)

    school.refresh_from_db()
    school.enrollment = 444
    with on_commit():
        school.save()
    assert "444" in _row(client, school)


def test_a_sign_in_does_not_move_the_schools_version(fragments, make_member, client_for):
    client = client_for(make_member(Role.ADMIN))
    before = version_get("schools")
    client.get(OVERVIEW)
    assert version_get("schools") == before


def test_central_office_all_read_the_same_kept_rows_and_others_their_own(
    fragments, on_commit, make_member, client_for, school
):
    other = SchoolFactory()
    with on_commit():
        _issue([school, other])
    office, viewer = client_for(make_member(Role.ADMIN)), client_for(make_member(Role.VIEWER))
    office.get(OVERVIEW)
    with CaptureQueriesContext(connection) as queries:
        page = viewer.get(OVERVIEW).content.decode()
    assert other.name in page and school.name in page
    assert not any("autonomy_autonomygrant" in query["sql"] for query in queries.captured_queries)

    liaison = make_member(Role.LIAISON)
    school_liaison_set(school=school, liaison=liaison)
    page = client_for(liaison).get(OVERVIEW).content.decode()
    assert school.name in page and other.name not in page  # a liaison's caseload, drawn for them


def test_the_rows_are_kept_per_page_filter_and_language(fragments, on_commit, make_member, client_for):
    north = Network.objects.create(name="North")
    first = SchoolFactory(name="Aardvark School", network=north)
    second = SchoolFactory(name="Zebra School")
    client = client_for(make_member(Role.ADMIN))
    assert second.name in client.get(OVERVIEW).content.decode()
    filtered = client.get(OVERVIEW, {"network": north.pk}).content.decode()
    assert first.name in filtered and second.name not in filtered
    with on_commit():
        _issue([first])
    english = client.get(OVERVIEW).content.decode()
    spanish = client.get(OVERVIEW, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Hire and dismiss staff</li>" in english
    assert ">Contratar y despedir al personal</li>" in spanish


def test_a_filter_that_matches_no_school_says_so_for_central_office(fragments, make_member, client_for):
    SchoolFactory(name="Aardvark School")
    page = client_for(make_member(Role.ADMIN)).get(OVERVIEW, {"q": "no such school"}).content.decode()
    assert "No school matches these filters." in page and "Aardvark School" not in page


# --- The decision-rights matrix's rows ---------------------------------------------------------------

MATRIX = reverse("autonomy:grants_matrix")


def _matrix_cells(client, school, **filters) -> list[str]:
    """The statuses of a school's cells on the matrix ("active", "suspended", "none"…), column by column."""
    page = client.get(MATRIX, filters).content.decode()
    row = re.search(rf"<tr>\s*<th scope=\"row\"><a href=\"[^\"]*/{school.code}/grants/\">.*?</tr>", page, re.S)
    return re.findall(r'<td class="cell cell-([a-z_]+)">', row[0]) if row else []


def test_the_matrixs_rows_show_each_change_through_the_services_on_the_next_page(
    fragments, on_commit, make_member, client_for
):
    school = SchoolFactory(name="Addams Elementary")
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    assert set(_matrix_cells(client, school)) == {"none"}

    with on_commit():
        (grant,) = _issue([school])
    assert _matrix_cells(client, school).count("active") == 1

    with on_commit():
        grant_change(actor=admin, grant_id=grant.pk, action="suspend", reason="Audit findings", notify_school=False)
    assert _matrix_cells(client, school).count("suspended") == 1 and "active" not in _matrix_cells(client, school)

    school.name = "Jane Addams Elementary"
    with on_commit():
        school.save()
    assert "Jane Addams Elementary" in client.get(MATRIX).content.decode()


def test_the_matrixs_rows_are_kept_until_a_version_moves(fragments, on_commit, make_member, client_for):
    school, other = SchoolFactory(), SchoolFactory()
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    with on_commit():
        (grant, other_grant) = _issue([school, other])
    assert _matrix_cells(client, school).count("active") == 1

    AutonomyGrant.objects.filter(pk=grant.pk).update(status="suspended")  # behind the services' back
    assert _matrix_cells(client, school).count("active") == 1  # kept
    with CaptureQueriesContext(connection) as queries:
        client.get(MATRIX)
    assert not any("autonomy_autonomygrant" in query["sql"] for query in queries.captured_queries)

    with on_commit():
        grant_change(actor=admin, grant_id=other_grant.pk, action="revoke", reason="Audit", notify_school=False)
    assert _matrix_cells(client, school).count("suspended") == 1  # read afresh
    assert "active" not in _matrix_cells(client, other)


def test_central_office_share_the_matrixs_rows_and_a_liaison_gets_only_the_caseload(
    fragments, on_commit, make_member, client_for
):
    mine, other = SchoolFactory(), SchoolFactory()
    liaison = make_member(Role.LIAISON)
    with on_commit():
        school_liaison_set(school=mine, liaison=liaison)
        _issue([mine, other])
    office, viewer = client_for(make_member(Role.ADMIN)), client_for(make_member(Role.VIEWER))
    assert _matrix_cells(office, other).count("active") == 1  # kept now
    with CaptureQueriesContext(connection) as queries:
        assert _matrix_cells(viewer, other).count("active") == 1
    assert not any("autonomy_autonomygrant" in query["sql"] for query in queries.captured_queries)

    page = client_for(liaison).get(MATRIX).content.decode()
    assert mine.name in page and other.name not in page  # drawn for the liaison
    principal = client_for(make_member(Role.PRINCIPAL, school=other))
    page = principal.get(MATRIX).content.decode()
    assert other.name in page and mine.name not in page


def test_the_matrixs_rows_are_kept_per_filter_page_and_language(fragments, on_commit, make_member, client_for):
    north = Network.objects.create(name="North")
    first = SchoolFactory(name="Aardvark School", network=north)
    second = SchoolFactory(name="Zebra School")
    client = client_for(make_member(Role.ADMIN))
    with on_commit():
        _issue([first])
    assert second.name in client.get(MATRIX).content.decode()
    filtered = client.get(MATRIX, {"network": north.pk}).content.decode()
    assert first.name in filtered and second.name not in filtered
    held = client.get(MATRIX, {"status": "active"}).content.decode()
    assert first.name in held and second.name not in held
    assert _matrix_cells(client, first, domain="people") != _matrix_cells(client, first)  # other columns
    assert "No school matches these filters." in client.get(MATRIX, {"q": "no such school"}).content.decode()
    english = client.get(MATRIX).content.decode()
    spanish = client.get(MATRIX, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<span class="visually-hidden">Not held</span>' in english
    assert '<span class="visually-hidden">Not held</span>' not in spanish


def test_a_warm_matrix_costs_the_same_queries_for_1_and_40_schools(
    fragments, on_commit, make_member, client_for, django_assert_num_queries
):
    client = client_for(make_member(Role.ADMIN))
    with on_commit():
        _issue([SchoolFactory()])
    client.get(MATRIX)  # warm: session, roles and the kept rows
    # user, the catalog's columns, the count: no school row, no grant, no network (the filter's are kept too)
    with django_assert_num_queries(3):
        client.get(MATRIX)
    with on_commit():
        _issue(SchoolFactory.create_batch(39))
    client.get(MATRIX)
    with django_assert_num_queries(3):
        assert client.get(MATRIX).status_code == 200


def test_without_a_shared_cache_the_matrixs_rows_are_drawn_on_every_request(
    settings, on_commit, make_member, client_for
):
    settings.CACHE_FRAGMENTS = False
    school = SchoolFactory()
    client = client_for(make_member(Role.ADMIN))
    with on_commit():
        _issue([school])
    assert _matrix_cells(client, school).count("active") == 1
    AutonomyGrant.objects.filter(school=school).update(status="suspended")
    assert _matrix_cells(client, school).count("suspended") == 1
