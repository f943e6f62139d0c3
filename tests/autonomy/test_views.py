import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schools.models import Role
from tests.factories import NetworkFactory, SchoolFactory, grant

pytestmark = pytest.mark.django_db


def test_principal_home_is_their_schools_page_with_what_needs_them(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    response = client_for(principal).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["school"] == school
    assert "Needs you" in response.content.decode()


def test_central_office_home_redirects_to_the_overview(make_member, client_for):
    admin = make_member(Role.ADMIN)
    response = client_for(admin).get(reverse("home"))
    assert response.url == reverse("autonomy:district_overview")


def test_anonymous_home_asks_for_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_decision_rights_matrix_shows_held_and_not_held(school, make_member, client_for):
    grant(school, "people.hiring")
    principal = make_member(Role.PRINCIPAL, school=school)
    response = client_for(principal).get(reverse("autonomy:school_detail", args=[school.code]))
    assert response.status_code == 200
    rows = {right.autonomy.code: right.held for row in response.context["rows"] for right in row.rights}
    assert rows["people.hiring"] is True
    assert rows["money.budget"] is False
    html = response.content.decode()
    for domain in ("People", "Time", "Money", "Program"):
        assert f">{domain} <span" in html


def test_a_grant_that_starts_later_is_not_held_yet_on_the_school_page_or_in_the_overview(
    school, make_member, client_for
):
    starts = timezone.localdate() + datetime.timedelta(days=32)
    grant(school, "money.budget", starts_on=starts)
    principal = make_member(Role.PRINCIPAL, school=school)
    response = client_for(principal).get(reverse("autonomy:school_detail", args=[school.code]))
    rows = {right.autonomy.code: right.held for row in response.context["rows"] for right in row.rights}
    assert rows["money.budget"] is False
    assert "Not held yet" in response.content.decode() and f"starts {starts:%b} {starts.day}, {starts.year}" in (
        response.content.decode()
    )
    overview = client_for(make_member(Role.ADMIN)).get(reverse("autonomy:district_overview"))
    assert overview.context["totals"].holding_any == 0


def test_principal_of_school_a_gets_404_for_school_b(school, other_school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    response = client_for(principal).get(reverse("autonomy:school_detail", args=[other_school.code]))
    assert response.status_code == 404


def test_principal_cannot_open_the_overview(school, make_member, client_for):
    principal = make_member(Role.PRINCIPAL, school=school)
    assert client_for(principal).get(reverse("autonomy:district_overview")).status_code == 404


def test_liaison_overview_lists_only_the_caseload(make_member, client_for):
    liaison = make_member(Role.LIAISON)
    mine = SchoolFactory.create_batch(3, liaison=liaison)
    SchoolFactory.create_batch(2)
    response = client_for(liaison).get(reverse("autonomy:district_overview"))
    assert {s.pk for s in response.context["page"].object_list} == {s.pk for s in mine}


def test_overview_filters_by_network_and_search(make_member, client_for):
    admin = make_member(Role.ADMIN)
    north = NetworkFactory(name="North")
    SchoolFactory(name="Lincoln Elementary", network=north)
    SchoolFactory(name="Lincoln High")
    SchoolFactory(name="Carver Middle", network=north)
    client = client_for(admin)
    names = lambda r: [s.name for s in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(reverse("autonomy:district_overview"), {"network": north.pk})) == [
        "Carver Middle",
        "Lincoln Elementary",
    ]
    assert names(client.get(reverse("autonomy:district_overview"), {"q": "lincoln"})) == [
        "Lincoln Elementary",
        "Lincoln High",
    ]


def test_overview_refuses_an_unknown_network_with_a_field_message(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory()
    response = client_for(admin).get(reverse("autonomy:district_overview"), {"network": "99999"})
    assert response.status_code == 200
    assert "network" in response.context["form"].errors


def test_overview_htmx_request_renders_only_the_table(make_member, client_for):
    admin = make_member(Role.ADMIN)
    SchoolFactory(name="Lincoln Elementary")
    response = client_for(admin).get(reverse("autonomy:district_overview"), {"q": "linc"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="school-table"')
    assert "Lincoln Elementary" in html
    assert "<html" not in html


def _schools_with_grants(count, liaison=None):
    schools = SchoolFactory.create_batch(count, liaison=liaison)
    for school in schools:
        grant(school, "people.hiring")
        grant(school, "money.budget")
    return schools


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LIAISON])
def test_overview_query_count_does_not_grow_with_schools(make_member, client_for, django_assert_num_queries, role):
    user = make_member(role)
    client = client_for(user)
    _schools_with_grants(10, liaison=user)
    client.get(reverse("autonomy:district_overview"))  # warm: session, roles and unread count are cached from here on
    # user, networks, count, schools, held grants, 2 totals
    with django_assert_num_queries(7):
        client.get(reverse("autonomy:district_overview"))
    _schools_with_grants(190, liaison=user)
    with django_assert_num_queries(7):
        response = client.get(reverse("autonomy:district_overview"))
    assert response.context["page"].paginator.count == 200


def test_principal_page_query_count_does_not_grow_with_schools(make_member, client_for, django_assert_num_queries):
    schools = _schools_with_grants(10)
    principal = make_member(Role.PRINCIPAL, school=schools[0])
    client = client_for(principal)
    url = reverse("autonomy:school_detail", args=[schools[0].code])
    client.get(url)  # warm: session, roles and unread count are cached from here on
    # user, school, catalog, the school's grants and their steps, the criteria of the earned decisions
    # not held, clarifications, request items (observations only for metrics a criterion names: none here)
    with django_assert_num_queries(8):
        client.get(url)
    _schools_with_grants(190)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
