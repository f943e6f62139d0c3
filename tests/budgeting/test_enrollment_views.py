"""Finance's enrollment pages: who sees them, what they show, and that a refused file or count saves nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from budgeting.models import AllocationSet, EnrollmentCount, EnrollmentSnapshot, FormulaVersion, SnapshotKind
from budgeting.services.enrollment import enrollment_import
from schools.models import Role
from tests.budgeting.enrollment_world import HEADER, district, year
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

GOOD = HEADER + "S0001,k5,1204\nS0001,poverty,120\nS0002,k5,200\nS0002,g68,150\n"


@pytest.fixture
def world(db):
    return district()


@pytest.fixture
def finance(client_for, make_member):
    return client_for(make_member(Role.REVIEWER, function="finance"))


def _import(world, text=GOOD, *, kind=SnapshotKind.PROJECTED, as_of=datetime.date(2027, 3, 1), school_year=None):
    report = enrollment_import(
        actor=None, school_year=school_year or world["year"], kind=kind, as_of=as_of, text=text, label="e.csv"
    )
    assert report.ok, report.errors
    return report.snapshot


def _pages(snapshot):
    return [
        reverse("budgeting:enrollment_snapshots"),
        reverse("budgeting:enrollment_import"),
        reverse("budgeting:enrollment_project"),
        reverse("budgeting:enrollment_snapshot", args=[snapshot.pk]),
        reverse("budgeting:enrollment_count_set", args=[snapshot.pk]),
    ]


@pytest.mark.parametrize(
    "role, function, seen",
    [
        (Role.ADMIN, "", True),
        (Role.REVIEWER, "finance", True),
        (Role.REVIEWER, "hr", False),
        (Role.PRINCIPAL, "", False),
        (Role.LIAISON, "", False),
        (Role.VIEWER, "", False),
    ],
)
def test_only_finance_sees_the_pages(world, client_for, make_member, role, function, seen):
    snapshot = _import(world)
    school = world["schools"][0] if role == Role.PRINCIPAL else None
    client = client_for(make_member(role, school=school, function=function))
    for url in _pages(snapshot):
        assert client.get(url).status_code == (200 if seen else 404), url
    post = client.post(reverse("budgeting:enrollment_count_set", args=[snapshot.pk]), {})
    assert post.status_code == (400 if seen else 404)


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    assert client.get(reverse("budgeting:enrollment_snapshots")).status_code == 302


def test_the_list_shows_each_snapshot_by_year_with_schools_and_students(world, finance):
    _import(world)
    _import(world, GOOD.replace("1204", "1210"), kind=SnapshotKind.OFFICIAL, as_of=datetime.date(2027, 10, 1))
    page = finance.get(reverse("budgeting:enrollment_snapshots")).content.decode()
    assert '<h2 id="year-' in page and "2027-28" in page
    assert "Mar 1, 2027" in page and "Oct 1, 2027" in page and "Official count" in page
    assert '<td class="num">1,554</td>' in page and '<td class="num">1,560</td>' in page  # grade bands only


def test_the_snapshot_page_shows_counts_totals_and_the_change(world, finance):
    _import(world, HEADER + "S0001,k5,1000\nS0002,k5,300\n", kind=SnapshotKind.OFFICIAL, school_year=year("2026-27"))
    snapshot = _import(world)
    page = finance.get(reverse("budgeting:enrollment_snapshot", args=[snapshot.pk])).content.decode()
    assert "<caption" in page and 'scope="row"' in page
    assert "1,204" in page and "1,554" in page  # S0001's K-5, and every school's students
    assert "+204" in page and "students gained" in page  # S0001: 1,000 → 1,204
    assert "+50" in page  # S0002: 300 → 350
    assert "+254" in page  # every school: 1,300 → 1,554
    assert "<h1>Enrollment: 2027-28 projection of Mar 1, 2027</h1>" in page
    assert "since the 2026-27 official count of Mar 1, 2027" in page
    assert "Adjust a count" in page


def test_a_school_new_in_this_snapshot_says_so(world, finance):
    _import(world, HEADER + "S0001,k5,1300\n", kind=SnapshotKind.OFFICIAL, school_year=year("2026-27"))
    snapshot = _import(world)
    page = finance.get(reverse("budgeting:enrollment_snapshot", args=[snapshot.pk])).content.decode()
    assert "not counted before" in page and "−96" in page and "students lost" in page


def test_the_snapshot_page_costs_the_same_queries_for_1_or_20_schools(world, finance, django_assert_num_queries):
    _import(world, HEADER + "S0001,k5,10\n", kind=SnapshotKind.OFFICIAL, school_year=year("2026-27"))
    small = _import(world, HEADER + "S0001,k5,10\nS0001,ell,2\n")
    schools = [SchoolFactory(code=f"B{n:03d}") for n in range(20)]
    rows = "".join(
        f"{school.code},k5,{n}\n{school.code},g68,5\n{school.code},ell,1\n" for n, school in enumerate(schools)
    )
    large = _import(world, HEADER + rows, as_of=datetime.date(2027, 4, 1))
    finance.get(reverse("budgeting:enrollment_snapshot", args=[small.pk]))  # the session, warmed
    # The signed-in user (the session and their roles are cached); the snapshot, its categories, their
    # totals, the schools (count and page), the page's counts; the previous snapshot and its students (by
    # school and in all); whether allocations use the snapshot. A change to this number is a reviewed diff.
    with django_assert_num_queries(11) as one:
        assert finance.get(reverse("budgeting:enrollment_snapshot", args=[small.pk])).status_code == 200
    with django_assert_num_queries(len(one.captured_queries)):
        assert finance.get(reverse("budgeting:enrollment_snapshot", args=[large.pk])).status_code == 200


def test_the_list_costs_the_same_queries_for_1_or_6_snapshots(world, finance, django_assert_num_queries):
    _import(world)
    url = reverse("budgeting:enrollment_snapshots")
    finance.get(url)
    with django_assert_num_queries(2) as one:  # the signed-in user; the snapshots, counted, with their years
        assert finance.get(url).status_code == 200
    for day in range(2, 7):
        _import(
            world,
            kind=SnapshotKind.OFFICIAL,
            as_of=datetime.date(2027, 10, day),
            school_year=year(f"20{day + 20}-{day + 21}"),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert "2026-27" in finance.get(url).content.decode()


def test_the_snapshot_page_is_paginated_with_totals_over_every_school(world, finance, monkeypatch):
    from budgeting import selectors_enrollment

    monkeypatch.setattr(selectors_enrollment, "SCHOOLS_PER_PAGE", 1)
    snapshot = _import(world)
    url = reverse("budgeting:enrollment_snapshot", args=[snapshot.pk])
    first, second = finance.get(url).content.decode(), finance.get(url + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "S0001" in first and "S0002" not in first.split("<tbody>")[1].split("</tbody>")[0]
    assert "All 2 schools" in first and "All 2 schools" in second and "1,554" in second


def test_an_upload_saves_the_snapshot_and_shows_it(world, finance):
    response = finance.post(
        reverse("budgeting:enrollment_import"),
        {
            "school_year": "2027-28",
            "kind": "projected",
            "as_of": "2027-03-01",
            "file": SimpleUploadedFile("spring.csv", GOOD.encode(), content_type="text/csv"),
        },
        follow=True,
    )
    snapshot = EnrollmentSnapshot.objects.get()
    assert response.redirect_chain == [(reverse("budgeting:enrollment_snapshot", args=[snapshot.pk]), 302)]
    assert "Imported the 2027-28 projection of Mar 1, 2027: 2 schools, 1,554 students." in response.content.decode()
    response = finance.post(
        reverse("budgeting:enrollment_import"),
        {
            "school_year": "2027-28",
            "kind": "projected",
            "as_of": "2027-03-01",
            "file": SimpleUploadedFile("again.csv", GOOD.encode(), content_type="text/csv"),
        },
        follow=True,
    )
    assert "No changes: the 2027-28 projection of Mar 1, 2027 already holds these counts." in response.content.decode()
    assert EnrollmentSnapshot.objects.count() == 1


def test_an_upload_with_bad_rows_lists_them_and_saves_nothing(world, finance):
    text = GOOD + "S9999,k5,1\nS0001,g68,-2\n"
    response = finance.post(
        reverse("budgeting:enrollment_import"),
        {
            "school_year": "2027-28",
            "kind": "official",
            "as_of": "2027-10-01",
            "file": SimpleUploadedFile("f.csv", text.encode()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported from f.csv" in page
    assert '<th scope="row" class="num">6</th><td>unknown school &#x27;S9999&#x27;</td>' in page
    assert '<th scope="row" class="num">7</th><td>students -2 is negative; a count is 0 or more</td>' in page
    assert not EnrollmentSnapshot.objects.exists()


def test_an_upload_form_without_its_terms_names_each_field(world, finance):
    response = finance.post(reverse("budgeting:enrollment_import"), {"school_year": "1999-00", "as_of": "soon"})
    page = response.content.decode()
    assert response.status_code == 400
    for words in (
        "School year: Choose a school year",
        "Kind of count: Choose projected",
        "Counted on: Enter a date",
        "CSV file: Choose the CSV file",
    ):
        assert words in page
    assert not EnrollmentSnapshot.objects.exists()


def test_an_upload_replacing_counts_allocations_use_is_refused(world, finance):
    snapshot = _import(world)
    formula = FormulaVersion.objects.create(school_year=world["year"], number=1)
    AllocationSet.objects.create(formula=formula, snapshot=snapshot, computed_at=timezone.now())
    response = finance.post(
        reverse("budgeting:enrollment_import"),
        {
            "school_year": "2027-28",
            "kind": "projected",
            "as_of": "2027-03-01",
            "file": SimpleUploadedFile("new.csv", GOOD.replace("1204", "1300").encode()),
        },
    )
    assert response.status_code == 409 and "Allocations were computed on this snapshot" in response.content.decode()
    assert EnrollmentCount.objects.get(snapshot=snapshot, school__code="S0001", category__code="k5").students == 1204
    page = finance.get(reverse("budgeting:enrollment_snapshot", args=[snapshot.pk])).content.decode()
    assert "Adjust a count" not in page and "Allocations were computed on this snapshot" in page


def test_a_projection_from_the_page(world, finance):
    _import(world, HEADER + "S0001,k5,300\nS0001,g68,200\n", kind=SnapshotKind.OFFICIAL, school_year=year("2026-27"))
    response = finance.post(
        reverse("budgeting:enrollment_project"), {"school_year": "2027-28", "as_of": "2027-03-01"}, follow=True
    )
    snapshot = EnrollmentSnapshot.objects.get(kind=SnapshotKind.PROJECTED)
    assert snapshot.source == "projection"
    assert "Saved the 2027-28 projection of Mar 1, 2027: 1 school, 600 students." in response.content.decode()


def test_a_projection_without_counts_before_is_refused_on_the_field(world, finance):
    year("2026-27")
    response = finance.post(reverse("budgeting:enrollment_project"), {"school_year": "2027-28", "as_of": "2027-03-01"})
    assert response.status_code == 400
    assert (
        "There is no official count of 2026-27 to project 2027-28 from: import it first." in response.content.decode()
    )
    assert not EnrollmentSnapshot.objects.exists()


def test_finance_adjusts_a_count_from_the_page(world, finance):
    snapshot = _import(world)
    url = reverse("budgeting:enrollment_count_set", args=[snapshot.pk])
    assert 'value="S0001" selected' in finance.get(url + "?school=S0001").content.decode()
    response = finance.post(url, {"school": "S0001", "category": "k5", "students": "1,250"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("budgeting:enrollment_snapshot", args=[snapshot.pk])
    assert "now counts 1,250 students in Grades K-5" in response.content.decode()
    assert EnrollmentCount.objects.get(snapshot=snapshot, school__code="S0001", category__code="k5").students == 1250


@pytest.mark.parametrize(
    "students, message",
    [("٣", "Enter a whole number"), ("-5", "Enter a whole number"), ("2000000", "Students is a whole number from 0")],
)
def test_a_bad_count_names_the_field_and_saves_nothing(world, finance, students, message):
    snapshot = _import(world)
    url = reverse("budgeting:enrollment_count_set", args=[snapshot.pk])
    response = finance.post(url, {"school": "S0001", "category": "k5", "students": students})
    assert response.status_code == 400 and message in response.content.decode()
    assert EnrollmentCount.objects.get(snapshot=snapshot, school__code="S0001", category__code="k5").students == 1204


def test_an_official_count_is_not_adjusted_from_the_page(world, finance):
    snapshot = _import(world, kind=SnapshotKind.OFFICIAL)
    url = reverse("budgeting:enrollment_count_set", args=[snapshot.pk])
    assert "official count is not changed by hand" in finance.get(url).content.decode()
    response = finance.post(url, {"school": "S0001", "category": "k5", "students": "5"})
    assert response.status_code == 400 and "official count is not changed by hand" in response.content.decode()
    assert EnrollmentCount.objects.get(snapshot=snapshot, school__code="S0001", category__code="k5").students == 1204


def test_an_unknown_snapshot_is_a_404(world, finance):
    assert finance.get(reverse("budgeting:enrollment_snapshot", args=[999])).status_code == 404
    assert finance.get(reverse("budgeting:enrollment_count_set", args=[999])).status_code == 404


@pytest.mark.parametrize(
    "content, message",
    [
        ((HEADER + "S0001,k5,3\n").replace("\n", "\r").encode(), "holds a carriage return (CR) outside quotes"),
        ("school,category,students\nS0001,k5,3\n".encode("utf-16"), "The file is not UTF-8 text"),
    ],
    ids=["bare CR", "not UTF-8"],
)
def test_an_unreadable_file_is_refused_as_the_observation_upload_refuses_it(world, finance, content, message):
    response = finance.post(
        reverse("budgeting:enrollment_import"),
        {
            "school_year": "2027-28",
            "kind": "official",
            "as_of": "2027-10-01",
            "file": SimpleUploadedFile("f.csv", content),
        },
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not EnrollmentSnapshot.objects.exists()
