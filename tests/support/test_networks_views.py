"""The networks pages: what each tells its reader is true, the principal's choice and the office's
decisions go through, bad input is refused naming the field with nothing saved, another school's objects
answer 404, and the lists cost the same queries for one row or many."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from schools.models import Role
from support.models import (
    Department,
    DepartmentStaff,
    NetworkMembership,
    NetworkRequest,
    OptInWindow,
    OptOutAllowance,
    ServiceOptOut,
    TeamSeat,
)
from support.services.networks import opt_out_allowance_set, team_seat_add
from support.services.networks_requests import network_request_approve, network_request_create
from tests.factories import MembershipFactory, SchoolFactory
from tests.support.networks_world import department_staff, network, network_scene, window_later, year_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return network_scene(zone_capacity=2)


def school_url(scene, school=None):
    return reverse("support:network_school", args=[(school or scene.school).code])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ask(scene, network=None):
    return network_request_create(
        actor=scene.principal, school=scene.school, school_year=scene.next, network=network or scene.zone, reason="Fit."
    )


# --- the list and a network's page ----------------------------------------------------------------------


def test_the_list_says_kind_offer_places_and_team(scene, client_for):
    finance = department_staff(Department.FINANCE, first_name="Ana", last_name="Ruiz")
    team_seat_add(actor=scene.admin, network=scene.zone, department="finance", user=finance, title="Budget partner")
    SchoolFactory(network=scene.zone)
    page = text(client_for(scene.principal).get(reverse("support:network_list")))
    assert "Innovation zone" in page and "Coaching and data." in page
    assert "1 of 2 places left" in page
    assert "No limit; 2 schools" in page  # North holds both of the scene's schools
    assert "Finance</dt> <dd>Ana Ruiz (Budget partner)" in page
    assert f"Networks for {scene.next.label} may be chosen now" in page
    assert "Requests to join a network" not in page  # the office's links are the office's
    assert f"{scene.school.name}'s network: choose for {scene.next.label}" in page


def test_a_network_page_lists_its_schools_team_and_allowances(scene, client_for):
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="hr", terms="Hire from the pool.")
    page = text(client_for(scene.liaison).get(reverse("support:network_detail", args=[scene.home.pk])))
    assert scene.school.name in page and scene.other.name in page
    assert "Talent and human resources</dt><dd>Hire from the pool." in page
    assert "Schools in " in page and "(2)" in page
    assert client_for(scene.liaison).get(reverse("support:network_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_one_network_or_twenty(scene, client_for, django_assert_num_queries, count):
    for i in range(count):
        made = network(f"Net {i:02d}", capacity=5)
        team_seat_add(actor=scene.admin, network=made, department="data", user=department_staff("data"))
    client = client_for(scene.principal)
    client.get(reverse("support:network_list"))  # the session and roles cached, as on a second visit
    # the user; the window open; the principal's school; the networks with places; seats; allowances
    with django_assert_num_queries(6):
        assert client.get(reverse("support:network_list")).status_code == 200


# --- the school's page and the principal's choice -------------------------------------------------------


def test_the_principal_asks_and_the_page_says_it_waits(scene, client_for):
    client = client_for(scene.principal)
    page = text(client.get(school_url(scene)))
    assert f"Choose a network for {scene.next.label}" in page
    assert "Innovation Zone (Innovation zone, 2 places left)" in page
    assert f'<option value="{scene.home.pk}">North' not in page  # the school's own network is not offered
    response = client.post(
        reverse("support:network_school_request", args=[scene.school.code]),
        {"network": scene.zone.pk, "reason": "We want the zone's coaching."},
    )
    assert response.status_code == 302
    request = NetworkRequest.objects.get()
    assert (request.network, request.school_year, request.reason) == (
        scene.zone,
        scene.next,
        "We want the zone's coaching.",
    )
    page = text(client.get(school_url(scene)))
    assert "Waiting for the autonomy office" in page and "Withdraw the request" in page
    assert "Choose a network for" not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"network": "", "reason": "Fit."}, "network", "This field is required."),
        ({"network": "999999", "reason": "Fit."}, "network", "Select a valid choice."),
        ({"network": "x", "reason": "Fit."}, "network", "Select a valid choice."),
        ({"reason": ""}, "reason", "Say why this network suits the school."),
        ({"reason": "x" * 4001}, "reason", "at most 4000 characters"),
    ],
)
def test_bad_input_is_refused_naming_the_field(scene, client_for, data, field, message):
    data = {"network": scene.zone.pk, **data}
    response = client_for(scene.principal).post(
        reverse("support:network_school_request", args=[scene.school.code]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not NetworkRequest.objects.exists()


def test_a_full_network_is_refused_on_the_page(scene, client_for):
    for _ in range(2):
        SchoolFactory(network=scene.zone)
    page = text(client_for(scene.principal).get(school_url(scene)))
    assert "Innovation Zone (Innovation zone, full)" in page
    response = client_for(scene.principal).post(
        reverse("support:network_school_request", args=[scene.school.code]),
        {"network": scene.zone.pk, "reason": "Fit."},
    )
    assert response.status_code == 400
    assert f"Innovation Zone is full for {scene.next.label}: 2 of 2 places are taken." in text(response)
    assert not NetworkRequest.objects.exists()


def test_a_closed_window_says_plainly_when_it_opens(scene, client_for):
    OptInWindow.objects.all().delete()
    window = window_later(scene.next)
    page = text(client_for(scene.principal).get(school_url(scene)))
    opens = f"{window.opens_on:%B} {window.opens_on.day}, {window.opens_on.year}"
    assert f"Networks for {scene.next.label} may be chosen from {opens}" in page
    assert "Choose a network for" not in page
    response = client_for(scene.principal).post(
        reverse("support:network_school_request", args=[scene.school.code]),
        {"network": scene.zone.pk, "reason": "Fit."},
    )
    assert response.status_code == 302 and not NetworkRequest.objects.exists()
    OptInWindow.objects.all().delete()
    assert "has not set when networks may next be chosen" in text(client_for(scene.principal).get(school_url(scene)))


def test_the_same_form_posted_twice_asks_once(scene, client_for):
    client = client_for(scene.principal)
    key = re.search(r'name="form_key" value="([^"]+)"', client.get(school_url(scene)).content.decode()).group(1)
    url = reverse("support:network_school_request", args=[scene.school.code])
    for _ in range(2):
        assert client.post(url, {"network": scene.zone.pk, "reason": "Fit.", "form_key": key}).status_code == 302
    assert NetworkRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["team", "liaison", "admin", "other_principal"])
def test_nobody_but_the_principal_asks(scene, client_for, who):
    response = client_for(getattr(scene, who)).post(
        reverse("support:network_school_request", args=[scene.school.code]),
        {"network": scene.zone.pk, "reason": "Fit."},
    )
    assert response.status_code == 404
    assert not NetworkRequest.objects.exists()


def test_the_school_team_reads_the_page_without_the_form(scene, client_for):
    page = text(client_for(scene.team).get(school_url(scene)))
    assert "Network now" in page and "North Network" in page
    assert "Ask to join" not in page
    assert client_for(scene.team).get(school_url(scene, scene.other)).status_code == 404


def test_the_principal_withdraws(scene, client_for):
    request = ask(scene)
    assert (
        client_for(scene.other_principal)
        .post(reverse("support:network_request_withdraw", args=[request.pk]))
        .status_code
        == 404
    )
    response = client_for(scene.principal).post(
        reverse("support:network_request_withdraw", args=[request.pk]), {"expected_status": "pending"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_history_shows_where_the_school_was_and_how_it_moved(scene, client_for):
    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    page = text(client_for(scene.principal).get(school_url(scene)))
    assert f'<th scope="row">{scene.next.label}</th> <td>Innovation Zone</td>' in page
    assert "approved" in page
    assert "Not begun yet" in page  # next year's membership has not started: it is not the school's now
    assert f"In {scene.next.label}</dt><dd>Innovation Zone" in page


# --- opt-outs on the school's page ----------------------------------------------------------------------


def test_the_principal_opts_out_where_the_network_allows_and_takes_it_back(scene, client_for):
    client = client_for(scene.principal)
    assert "Opt out of a service" not in text(client.get(school_url(scene)))
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="Own analyst.")
    page = text(client.get(school_url(scene)))
    assert "lets its schools opt out of: Data and assessment (Own analyst.)" in page
    url = reverse("support:network_school_opt_out", args=[scene.school.code])
    refused = client.post(url, {"school_year": scene.now.pk, "department": "hr"})
    assert refused.status_code == 400 and 'id="id_department_error"' in refused.content.decode()
    assert not ServiceOptOut.objects.exists()
    assert client.post(url, {"school_year": scene.now.pk, "department": "data", "reason": "Ours."}).status_code == 302
    opt_out = ServiceOptOut.objects.get()
    assert f"Data and assessment</strong> in {scene.now.label}" in text(client.get(school_url(scene)))
    withdraw = reverse("support:network_school_opt_out_withdraw", args=[scene.school.code, opt_out.pk])
    assert client_for(scene.team).post(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 302
    assert not ServiceOptOut.objects.exists()
    assert client.post(withdraw).status_code == 404


# --- the office's queue and decisions ------------------------------------------------------------------


def test_the_queue_shows_places_and_the_office_approves(scene, client_for):
    request = ask(scene)
    client = client_for(scene.admin)
    page = text(client.get(reverse("support:network_request_queue")))
    assert f"{scene.school.name}" in page and "2 of 2 left" in page and "Now in</dt><dd>North Network" in page
    response = client.post(
        reverse("support:network_request_approve", args=[request.pk]),
        {f"approve-{request.pk}-expected_status": "pending", f"approve-{request.pk}-note": "Welcome."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"
    assert NetworkMembership.objects.filter(school=scene.school, network=scene.zone).exists()
    assert Notification.objects.filter(user=scene.principal, title__contains="joins Innovation Zone").exists()
    assert "No request is waiting." in text(client.get(reverse("support:network_request_queue")))


def test_declining_without_a_note_is_refused_naming_it(scene, client_for):
    request = ask(scene)
    url = reverse("support:network_request_decline", args=[request.pk])
    response = client_for(scene.admin).post(url, {f"decline-{request.pk}-expected_status": "pending"})
    assert response.status_code == 400
    assert "Say why the request is declined." in text(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_approving_into_a_network_filled_meanwhile_is_told_as_a_conflict(scene, client_for):
    request = ask(scene)
    for _ in range(2):
        SchoolFactory(network=scene.zone)
    response = client_for(scene.admin).post(
        reverse("support:network_request_approve", args=[request.pk]),
        {f"approve-{request.pk}-expected_status": "pending"},
    )
    assert response.status_code == 409
    assert "Innovation Zone is full" in text(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_acting_on_what_somebody_else_decided_first_is_a_conflict(scene, client_for):
    request = ask(scene)
    network_request_approve(actor=scene.admin, request_id=request.pk)
    response = client_for(scene.admin).post(
        reverse("support:network_request_decline", args=[request.pk]),
        {f"decline-{request.pk}-expected_status": "pending", f"decline-{request.pk}-note": "No."},
    )
    assert response.status_code == 409
    assert "Somebody acted on this network request first" in text(response)


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_costs_the_same_for_one_request_or_twenty(scene, client_for, django_assert_num_queries, count):
    scene.zone.capacity = None
    scene.zone.save()
    for _ in range(count):
        school = SchoolFactory(network=scene.home)
        principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
        network_request_create(
            actor=principal, school=school, school_year=scene.next, network=scene.zone, reason="Fit."
        )
    client = client_for(scene.admin)
    client.get(reverse("support:network_request_queue"))
    with django_assert_num_queries(3):  # the user; how many wait; the page of them with their places
        assert client.get(reverse("support:network_request_queue")).status_code == 200


# --- the office's settings ------------------------------------------------------------------------------


def test_the_office_edits_a_network_and_bad_capacity_is_refused(scene, client_for):
    client = client_for(scene.admin)
    url = reverse("support:network_edit", args=[scene.zone.pk])
    assert client.post(url, {"kind": "affinity", "offers": "Arts.", "capacity": "0"}).status_code == 400
    assert client.post(url, {"kind": "nope", "offers": "", "capacity": ""}).status_code == 400
    assert client.post(url, {"kind": "affinity", "offers": "Arts.", "capacity": ""}).status_code == 302
    scene.zone.refresh_from_db()
    assert (scene.zone.kind, scene.zone.offers, scene.zone.capacity) == ("affinity", "Arts.", None)


def test_the_office_seats_the_team(scene, client_for):
    staff = department_staff("academics", head=True)
    client = client_for(scene.admin)
    url = reverse("support:network_team", args=[scene.home.pk])
    row = DepartmentStaff.objects.get(user=staff)
    assert client.post(url, {"staff": row.pk, "title": "Coach"}).status_code == 302
    again = client.post(url, {"staff": row.pk})
    assert again.status_code == 400 and "already holds that seat" in text(again)
    assert client.post(url, {"staff": "999999"}).status_code == 400
    seat = TeamSeat.objects.get()
    assert (seat.user, seat.department, seat.title) == (staff, "academics", "Coach")
    other_network = reverse("support:network_team_remove", args=[scene.zone.pk, seat.pk])
    assert client.post(other_network).status_code == 404
    assert client.post(reverse("support:network_team_remove", args=[scene.home.pk, seat.pk])).status_code == 302
    assert not TeamSeat.objects.exists()


def test_the_office_allows_opt_outs(scene, client_for):
    client = client_for(scene.admin)
    url = reverse("support:network_allowances", args=[scene.zone.pk])
    assert client.post(url, {"department": "bogus"}).status_code == 400
    assert client.post(url, {"department": "finance", "terms": "Own bookkeeper."}).status_code == 302
    allowance = OptOutAllowance.objects.get()
    assert "Own bookkeeper." in text(client.get(url))
    remove = reverse("support:network_allowance_remove", args=[scene.zone.pk, allowance.pk])
    assert client.post(remove).status_code == 302
    assert not OptOutAllowance.objects.exists()


def test_the_office_sets_the_window_and_a_backwards_one_is_refused(scene, client_for):
    client = client_for(scene.admin)
    url = reverse("support:network_window")
    today = timezone.localdate()
    refused = client.post(
        url, {"school_year": scene.next.pk, "opens_on": today, "closes_on": today - datetime.timedelta(days=1)}
    )
    assert refused.status_code == 400 and 'id="id_closes_on_error"' in refused.content.decode()
    assert "The window must close on or after the day it opens." in text(refused)
    assert client.post(url, {"school_year": scene.next.pk, "opens_on": "junk", "closes_on": ""}).status_code == 400
    assert OptInWindow.objects.get().closes_on > today  # unchanged
    assert client.post(url, {"school_year": scene.next.pk, "opens_on": today, "closes_on": today}).status_code == 302
    assert OptInWindow.objects.get().closes_on == today
    assert "Open" in text(client.get(url))


def test_a_seat_posted_twice_from_the_same_page_is_added_once(scene, client_for):
    row = DepartmentStaff.objects.get(user=department_staff("finance"))
    client = client_for(scene.admin)
    url = reverse("support:network_team", args=[scene.home.pk])
    key = re.search(r'name="form_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    for _ in range(2):
        assert client.post(url, {"staff": row.pk, "form_key": key}).status_code == 302
    assert TeamSeat.objects.count() == 1


HOSTILE = ["²", "３２", "-1", "0", "99999999999999999999", "\x00", "x" * 100_000, "2026-02-30", "", "<script>"]


def test_hostile_values_in_every_networks_form_never_answer_500_nor_save_on_refusal(scene, client_for):
    request = ask(scene)
    school = scene.school.code
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="")
    staff = DepartmentStaff.objects.get(user=department_staff("data")).pk
    today = timezone.localdate().isoformat()
    principal, admin = scene.principal, scene.admin
    # (who, where, a valid post): each field of it replaced in turn by each hostile value
    posts = [
        (
            principal,
            reverse("support:network_school_request", args=[school]),
            {"network": scene.zone.pk, "reason": "F"},
        ),
        (
            principal,
            reverse("support:network_school_opt_out", args=[school]),
            {"school_year": scene.now.pk, "department": "data"},
        ),
        (
            admin,
            reverse("support:network_edit", args=[scene.zone.pk]),
            {"kind": "affinity", "offers": "", "capacity": "5"},
        ),
        (admin, reverse("support:network_team", args=[scene.zone.pk]), {"staff": staff, "title": ""}),
        (admin, reverse("support:network_allowances", args=[scene.zone.pk]), {"department": "hr", "terms": ""}),
        (
            admin,
            reverse("support:network_window"),
            {"school_year": scene.next.pk, "opens_on": today, "closes_on": today},
        ),
        (admin, reverse("support:network_request_decline", args=[request.pk]), {f"decline-{request.pk}-note": "No"}),
        # Last: a hostile status the page was drawn from is no status at all, and the withdrawal is taken.
        (principal, reverse("support:network_request_withdraw", args=[request.pk]), {"expected_status": "pending"}),
    ]
    counts = lambda: [  # noqa: E731
        model.objects.count() for model in (NetworkRequest, ServiceOptOut, TeamSeat, OptOutAllowance, OptInWindow)
    ]
    for user, url, valid in posts:
        client = client_for(user)
        for name in valid:
            for value in HOSTILE:
                before = counts()
                response = client.post(url, {**valid, name: value})
                assert response.status_code < 500, (url, name, value[:20])
                if response.status_code >= 400:
                    assert counts() == before, (url, name, value[:20])


def test_a_past_years_membership_ends_with_its_year_not_now(scene, client_for):
    past = year_starting(scene.now.start_date.year - 1)
    NetworkMembership.objects.create(
        school=scene.school, network=scene.home, school_year=past, started_on=past.start_date
    )
    page = text(client_for(scene.principal).get(school_url(scene)))
    ends = f"{past.end_date:%b} {past.end_date.day}, {past.end_date.year}"
    assert f'<th scope="row">{past.label}</th> <td>North Network</td>' in page
    assert f"{ends}, the year's end" in page
    assert ">Now<" not in page
