"""The networks API: what it answers, scoped to the reader; the principal's request refused in the one error
shape naming the field when the input is wrong, with nothing saved; the office's steps; lists pinned."""

import pytest
from django.urls import reverse

from schools.models import Role
from support.models import NetworkRequest
from support.services.networks import network_memberships_record, team_seat_add
from support.services.networks_requests import network_request_approve, network_request_create
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.support.networks_world import department_staff, network, network_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return network_scene(zone_capacity=2)


def ask(scene):
    return network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=scene.zone, reason="Fit."
    )


def test_networks_with_places_and_team(scene, api_for):
    team_seat_add(
        actor=scene.admin,
        network=scene.zone,
        department="data",
        user=department_staff("data", first_name="Li", last_name="Wu"),
    )
    body = api_for(scene.principal).get(reverse("api:network-list")).json()
    zone = next(row for row in body["results"] if row["name"] == "Innovation Zone")
    assert zone["kind"] == "innovation_zone" and zone["capacity"] == 2
    assert (zone["places_year"], zone["places_taken"], zone["places_left"]) == (scene.next.label, 0, 2)
    assert zone["team"] == [
        {
            "function": "Data and assessment",
            "members": [{"username": zone["team"][0]["members"][0]["username"], "name": "Li Wu", "title": ""}],
        }
    ]
    assert api_for(UserFactory()).get(reverse("api:network-list")).json()["results"] == []
    assert api_for(UserFactory()).get(reverse("api:network-detail", args=[scene.zone.pk])).status_code == 404


def test_the_principal_asks_through_the_api(scene, api_for):
    response = api_for(scene.principal).post(
        reverse("api:network-request-list"), {"network": scene.zone.pk, "reason": "The zone's coaching."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["school"], body["school_year"], body["network"], body["status"]) == (
        scene.school.code,
        scene.next.label,
        scene.zone.pk,
        "pending",
    )
    assert body["events"][0]["to_status"] == "pending"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "Fit."}, "network"),
        ({"network": "1", "reason": "Fit."}, "network"),
        ({"network": True, "reason": "Fit."}, "network"),
        ({"network": 999999, "reason": "Fit."}, "network"),
        ({"network": "ZONE", "reason": ""}, "reason"),
        ({"network": "ZONE", "reason": "x" * 4001}, "reason"),
        ({"network": "ZONE", "reason": "Fit.", "school": "NOPE"}, "school"),
        ({"network": "ZONE", "reason": "Fit.", "school_year": "1999-00"}, "school_year"),
        ({"network": "ZONE", "reason": "Fit.", "status": "approved"}, "status"),
        ({"network": "HOME", "reason": "Fit."}, "network"),
    ],
)
def test_bad_input_is_refused_naming_the_field(scene, api_for, data, field):
    names = {"ZONE": scene.zone.pk, "HOME": scene.home.pk}
    data = {key: names.get(value, value) if isinstance(value, str) else value for key, value in data.items()}
    response = api_for(scene.principal).post(reverse("api:network-request-list"), data, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid" and field in body["fields"], body
    assert not NetworkRequest.objects.exists()


def test_a_request_in_another_schools_name_is_refused(scene, api_for):
    response = api_for(scene.principal).post(
        reverse("api:network-request-list"),
        {"network": scene.zone.pk, "reason": "Fit.", "school": scene.other.code},
        format="json",
    )
    assert response.status_code == 400 and "school" in response.json()["fields"]
    assert api_for(scene.team).post(reverse("api:network-request-list"), {}, format="json").status_code == 403
    assert not NetworkRequest.objects.exists()


def test_another_schools_request_is_not_found(scene, api_for):
    request = ask(scene)
    client = api_for(scene.other_principal)
    assert client.get(reverse("api:network-request-detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("api:network-request-withdraw", args=[request.pk]), {}, format="json").status_code == 404
    assert client.get(reverse("api:network-request-list")).json()["results"] == []


def test_the_office_approves_declines_and_conflicts_are_told(scene, api_for):
    request = ask(scene)
    office = api_for(scene.admin)
    refused = office.post(reverse("api:network-request-decline", args=[request.pk]), {}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()["fields"]
    approved = office.post(
        reverse("api:network-request-approve", args=[request.pk]), {"note": "Welcome."}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = office.post(reverse("api:network-request-decline", args=[request.pk]), {"note": "No."}, format="json")
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    principal = api_for(scene.principal)
    assert (
        principal.post(reverse("api:network-request-approve", args=[request.pk]), {}, format="json").status_code == 403
    )


def test_approving_into_a_full_network_is_a_conflict(scene, api_for):
    request = ask(scene)
    for _ in range(2):
        SchoolFactory(network=scene.zone)
    response = api_for(scene.admin).post(reverse("api:network-request-approve", args=[request.pk]), {}, format="json")
    assert response.status_code == 409 and "full" in response.json()["detail"]
    request.refresh_from_db()
    assert request.status == "pending"


def test_memberships_filter_by_year_and_network_within_scope(scene, api_for):
    network_memberships_record(actor=scene.admin, school_year=scene.now)
    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    office = api_for(scene.admin)
    url = reverse("api:network-membership-list")
    assert office.get(url, {"school_year": scene.next.label}).json()["count"] == 1
    assert office.get(url, {"network": scene.zone.pk}).json()["count"] == 1
    assert office.get(url, {"school_year": scene.now.label}).json()["count"] == 2
    assert office.get(url, {"network": "1.5"}).status_code == 400
    mine = api_for(scene.principal).get(url).json()["results"]
    assert {row["school"] for row in mine} == {scene.school.code}


@pytest.mark.parametrize("count", [1, 20])
def test_the_lists_cost_the_same_for_one_row_or_twenty(scene, api_for, django_assert_num_queries, count):
    for i in range(count):
        made = network(f"Net {i:02d}")
        team_seat_add(actor=scene.admin, network=made, department="hr", user=department_staff("hr"))
        school = SchoolFactory(network=scene.home)
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        network_request_create(actor=principal, school=school, school_year=scene.next, network=made, reason="Fit.")
    client = api_for(scene.admin)
    for name in ("api:network-list", "api:network-request-list"):
        client.get(reverse(name))
    with django_assert_num_queries(6):  # token with user, window, count, networks with places, seats, allowances
        assert client.get(reverse("api:network-list")).status_code == 200
    with django_assert_num_queries(3):  # token with user, count, requests
        assert client.get(reverse("api:network-request-list")).status_code == 200
