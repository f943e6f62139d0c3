"""The guided first setup: the checklist read from the data, each step done and resumable, the office only."""

import datetime

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from schools.first_setup.models import SetupStep
from schools.first_setup.services import setup_checklist, setup_district_save, setup_school_year_add
from schools.models import District, SchoolYear
from schools.roster.models import RosterImport, RosterImportStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.schools.roster_urls")]


@pytest.fixture
def admin():
    return MembershipFactory(role="admin", user=UserFactory()).user


def done(key):
    return {step.key: step.done for step in setup_checklist()}[key]


def test_the_checklist_follows_the_data_and_resumes_where_it_was(admin, client_for, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert not any(step.done for step in setup_checklist())
    office = client_for(admin)
    page = office.get(reverse("schools:first_setup")).content.decode()
    assert "0 of 6 steps done." in page
    response = office.post(
        reverse("schools:first_setup_district"), {"name": "Riverside USD", "time_zone": "America/Denver"}
    )
    assert response.status_code == 302
    district = District.objects.get()
    assert (district.name, district.time_zone) == ("Riverside USD", "America/Denver")
    data = {"label": "2026-27", "start_date": "2026-07-01", "end_date": "2027-06-30", "first_day": "2026-08-17"}
    assert office.post(reverse("schools:first_setup_school_year"), data).status_code == 302
    assert office.post(reverse("schools:first_setup_confirm", args=["autonomy_catalog"])).status_code == 302
    RosterImport.objects.create(file_name="r.zip", data=b"", status=RosterImportStatus.APPLIED)
    RosterImport.objects.filter().update(finished_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC))
    page = office.get(reverse("schools:first_setup")).content.decode()  # a later visit: where it was left
    assert "4 of 6 steps done." in page and "Riverside USD, America/Denver" in page
    assert done("roster") and not done("metrics_catalog") and not done("identity_provider")
    # Confirming again keeps the first record.
    first = SetupStep.objects.get(key="autonomy_catalog")
    office.post(reverse("schools:first_setup_confirm", args=["autonomy_catalog"]))
    assert SetupStep.objects.get(key="autonomy_catalog").done_at == first.done_at


def test_bad_input_is_refused_naming_the_field(admin, client_for):
    with pytest.raises(ApplicationError) as caught:
        setup_district_save(actor=admin, name=" ", time_zone="Mars/Olympus")
    assert set(caught.value.fields) == {"name", "time_zone"} and not District.objects.exists()
    with pytest.raises(ApplicationError) as caught:
        setup_school_year_add(
            actor=admin,
            label="2026-28",
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2026, 6, 30),
            first_day=datetime.date(2026, 8, 17),
        )
    assert {"label", "end_date"} <= set(caught.value.fields) and not SchoolYear.objects.exists()
    office = client_for(admin)
    data = {"label": "2026-27", "start_date": "2026-07-01", "end_date": "2027-06-30", "first_day": "2027-08-17"}
    response = office.post(reverse("schools:first_setup_school_year"), data)
    assert (
        response.status_code == 400
        and "The first day of school must fall within the school year." in response.content.decode()
    )
    assert office.post(reverse("schools:first_setup_confirm", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("role", ["principal", "liaison", "viewer"])
def test_anyone_but_the_office_finds_no_such_page(role, client_for, school):
    client = client_for(MembershipFactory(role=role, school=school if role == "principal" else None).user)
    assert client.get(reverse("schools:first_setup")).status_code == 404
    assert client.post(reverse("schools:first_setup_district"), {"name": "X", "time_zone": "UTC"}).status_code == 404
    assert client.post(reverse("schools:first_setup_confirm", args=["autonomy_catalog"])).status_code == 404
    assert not District.objects.filter(name="X").exists() and not SetupStep.objects.exists()
