"""The caseload pages: the district's caseloads (over the limit said in words, schools without a liaison
named, how the time share is worked out), the office's settings and assignments, and a liaison's caseload
page with flags, last contact and next step; each list in the same queries for 1 row as for 20."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.models import Role, School
from support.models import PartnershipEntry, ServicePolicy
from tests.factories import SchoolFactory
from tests.home.builders import open_flag, proposed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_member):
    return make_member(Role.ADMIN, is_superuser=True, is_staff=True)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- the district's caseloads ------------------------------------------------------------------------


def test_the_district_view_says_who_is_over_the_limit_in_words_and_names_schools_without_a_liaison(
    make_member, client_for, admin
):
    over = make_member(Role.LIAISON, first_name="Olga", last_name="Okafor")
    at = make_member(Role.LIAISON, first_name="Abe", last_name="Arnold")
    SchoolFactory.create_batch(14, liaison=over)
    SchoolFactory.create_batch(12, liaison=at)
    SchoolFactory(name="Zeta Elementary", code="Z001", liaison=None)

    html = client_for(admin).get(reverse("support:caseload_district")).content.decode()

    assert "1 liaison is over the limit of 12 schools:</strong>\n  Olga Okafor (14 schools)." in html
    assert '<span class="status status-suspended">Over the limit by 2</span>' in html
    assert '<span class="status status-held">At the limit</span>' in html
    assert "Zeta Elementary" in html and reverse("support:school_liaison_edit", args=["Z001"]) in html
    assert reverse("liaison_caseload", args=[over.pk]) in html
    assert "divided by the working time of the weeks elapsed: weeks × 40 hours × 60 minutes" in html
    assert reverse("support:caseload_settings") in html


def test_a_reviewer_reads_the_district_view_without_the_offices_controls(make_member, client_for):
    make_member(Role.LIAISON)
    SchoolFactory(code="Z002", liaison=None)
    html = client_for(make_member(Role.REVIEWER, function="finance")).get(reverse("support:caseload_district"))
    html = html.content.decode()
    assert "Z002" in html
    assert reverse("support:school_liaison_edit", args=["Z002"]) not in html
    assert reverse("support:caseload_settings") not in html


def test_the_district_page_costs_the_same_queries_for_one_liaison_as_for_twenty(
    make_member, client_for, admin, django_assert_num_queries
):
    client = client_for(admin)

    def add():
        liaison = make_member(Role.LIAISON)
        school = SchoolFactory(liaison=liaison)
        PartnershipEntry.objects.create(school=school, liaison=liaison, kind="visit", on=days(0), minutes=30)

    add()
    client.get(reverse("support:caseload_district"))
    # the user, then the district view's four reads (the session, roles and the inbox count are cached)
    with django_assert_num_queries(5) as first:
        client.get(reverse("support:caseload_district"))
    for _ in range(19):
        add()
    with django_assert_num_queries(len(first)):
        response = client.get(reverse("support:caseload_district"))
    assert len(response.context["caseloads"].loads) == 20


# --- the office's settings and assignments -----------------------------------------------------------


def test_the_office_changes_the_settings_and_a_bad_value_is_refused_naming_its_field(client_for, admin):
    client = client_for(admin)
    url = reverse("support:caseload_settings")
    refused = client.post(
        url, {"caseload_limit": "0", "liaison_hours_per_week": "40", "principal_time_target_percent": "61"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'href="#id_caseload_limit">Caseload limit (schools per liaison): Enter between 1 and 100 schools.' in html
    assert not ServicePolicy.objects.exists()
    saved = client.post(
        url, {"caseload_limit": "13", "liaison_hours_per_week": "38", "principal_time_target_percent": "65"}
    )
    assert saved.status_code == 302
    assert ServicePolicy.objects.get().caseload_limit == 13


def test_the_office_assigns_a_liaison_over_the_limit_and_is_told(make_member, client_for, admin):
    liaison = make_member(Role.LIAISON, first_name="Ruth", last_name="Baker")
    SchoolFactory.create_batch(12, liaison=liaison)
    school = SchoolFactory(name="Carver High", liaison=None)
    client = client_for(admin)
    form = client.get(reverse("support:school_liaison_edit", args=[school.code])).content.decode()
    assert "Ruth Baker (12 schools — at the limit)" in form
    response = client.post(
        reverse("support:school_liaison_edit", args=[school.code]), {"liaison": liaison.pk}, follow=True
    )
    html = response.content.decode()
    assert School.objects.get(pk=school.pk).liaison == liaison
    assert "Carver High&#x27;s liaison is now Ruth Baker." in html
    assert "Ruth Baker now holds 13 schools, over the district&#x27;s limit of 12" in html
    assert "Over the limit by 1" in html


def test_assigning_someone_who_is_not_a_liaison_is_refused_naming_the_field(make_member, client_for, admin):
    school = SchoolFactory()
    response = client_for(admin).post(reverse("support:school_liaison_edit", args=[school.code]), {"liaison": admin.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert School.objects.get(pk=school.pk).liaison is None


# --- a liaison's caseload page -------------------------------------------------------------------------


def test_the_liaisons_page_shows_flags_deadlines_last_contact_and_next_step(make_member, client_for, admin):
    liaison = make_member(Role.LIAISON)
    adams = SchoolFactory(liaison=liaison, name="Adams")
    banneker = SchoolFactory(liaison=liaison, name="Banneker")
    flag = open_flag(adams, contract=proposed_contract(adams, admin=admin), days_left=6)
    PartnershipEntry.objects.create(
        school=banneker,
        liaison=liaison,
        kind="coaching",
        on=days(-3),
        minutes=90,
        next_steps="Draft the coaching cycle.",
        next_step_due=days(4),
    )
    response = client_for(liaison).get(reverse("liaison_caseload", args=[liaison.pk]))
    html = response.content.decode()
    assert "<h1>Your caseload</h1>" in html
    assert "Read and acknowledge the flag" in html and reverse("accountability:flag_detail", args=[flag.pk]) in html
    assert "6 days left" in html
    assert "Draft the coaching cycle." in html and f"Due {days(4):%b} {days(4).day}, {days(4).year}" in html
    assert "No contact logged" in html  # Adams
    assert "<strong>2 schools</strong> against the district's limit of 12" in html
    month = response.context["caseload"].load.month
    assert month.minutes == (90 if days(-3).month == days(0).month else 0)
    assert f"<strong>{month.percent}%</strong> of working time with principals this month" in html
    assert reverse("support:partnership_log", args=[banneker.code]) in html
    assert reverse("support:school_liaison_edit", args=[adams.code]) not in html  # the office's control


def test_central_office_reads_a_liaisons_page_and_only_the_office_may_move_schools(make_member, client_for, admin):
    liaison = make_member(Role.LIAISON, first_name="Lena", last_name="Ortiz")
    school = SchoolFactory(liaison=liaison)
    viewer_page = (
        client_for(make_member(Role.VIEWER)).get(reverse("liaison_caseload", args=[liaison.pk])).content.decode()
    )
    assert "<h1>Lena Ortiz</h1>" in viewer_page
    assert reverse("support:school_liaison_edit", args=[school.code]) not in viewer_page
    office_page = client_for(admin).get(reverse("liaison_caseload", args=[liaison.pk])).content.decode()
    assert reverse("support:school_liaison_edit", args=[school.code]) in office_page


def test_another_liaisons_caseload_and_a_principals_try_answer_404(make_member, client_for):
    liaison, other = make_member(Role.LIAISON), make_member(Role.LIAISON)
    school = SchoolFactory(liaison=liaison)
    principal = make_member(Role.PRINCIPAL, school=school)
    assert client_for(other).get(reverse("liaison_caseload", args=[liaison.pk])).status_code == 404
    assert client_for(principal).get(reverse("liaison_caseload", args=[liaison.pk])).status_code == 404
    assert client_for(liaison).get(reverse("liaison_caseload", args=[principal.pk])).status_code == 404


def test_a_liaisons_page_costs_the_same_queries_for_one_school_as_for_twenty(
    make_member, client_for, admin, django_assert_num_queries
):
    liaison = make_member(Role.LIAISON)
    client = client_for(liaison)

    def add(n):
        school = SchoolFactory(liaison=liaison)
        open_flag(school, contract=proposed_contract(school, admin=admin), days_left=n)
        PartnershipEntry.objects.create(
            school=school,
            liaison=liaison,
            kind="visit",
            on=days(-1),
            minutes=30,
            next_steps="Next.",
            next_step_due=days(n),
        )

    add(3)
    url = reverse("liaison_caseload", args=[liaison.pk])
    client.get(url)
    # the user, the liaison, the policy, the school year, the load, the schools, the flags
    with django_assert_num_queries(7) as first:
        client.get(url)
    for n in range(4, 23):
        add(n)
    with django_assert_num_queries(len(first)):
        response = client.get(url)
    assert len(response.context["caseload"].schools) == 20 and len(response.context["caseload"].flags) == 20
