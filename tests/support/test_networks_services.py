"""The networks services: the yearly opt-in and its rules, approval under a lock with the history kept, the
settings the autonomy office keeps, and service opt-outs as a network's agreement allows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from core.limits import NOTE_TEXT
from core.models import Notification
from schools.models import NetworkKind, Role
from support.models import (
    Department,
    NetworkMembership,
    NetworkRequest,
    NetworkRequestEvent,
    OptInWindow,
    OptOutAllowance,
    ServiceOptOut,
    TeamSeat,
)
from support.services.networks import (
    network_memberships_record,
    network_memberships_start,
    network_update,
    opt_in_window_set,
    opt_out_allowance_remove,
    opt_out_allowance_set,
    team_seat_add,
    team_seat_remove,
)
from support.services.networks_opt_outs import service_opt_out_record, service_opt_out_withdraw
from support.services.networks_requests import (
    network_request_approve,
    network_request_create,
    network_request_decline,
    network_request_withdraw,
)
from tests.factories import MembershipFactory, SchoolFactory
from tests.support.networks_world import department_staff, network_scene, window_later, window_open, year_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return network_scene()


def ask(scene, *, network=None, year=None, school=None, actor=None, reason="We want the innovation zone's help."):
    return network_request_create(
        actor=actor or scene.principal,
        school=school or scene.school,
        school_year=year or scene.next,
        network=network or scene.zone,
        reason=reason,
    )


def opt_out(scene, department, *, year=None, actor=None, reason=""):
    return service_opt_out_record(
        actor=actor or scene.principal,
        school=scene.school,
        school_year=year or scene.now,
        department=department,
        reason=reason,
    )


def refused_field(call) -> dict:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value.fields


# --- asking --------------------------------------------------------------------------------------------


def test_the_principal_asks_and_the_office_is_told(scene):
    request = ask(scene)
    assert request.status == "pending"
    assert request.requested_by == scene.principal
    event = NetworkRequestEvent.objects.get(network_request=request)
    assert (event.action, event.from_status, event.to_status) == ("request", "", "pending")
    told = Notification.objects.get(user=scene.admin)
    assert told.key == f"network-request:{request.pk}:event:{event.pk}"
    assert scene.zone.name in told.title


@pytest.mark.parametrize("who", ["team", "other_principal", "admin", "liaison"])
def test_only_the_schools_principal_asks(scene, who):
    with pytest.raises(NotPermitted):
        ask(scene, actor=getattr(scene, who))
    assert not NetworkRequest.objects.exists()


def test_outside_the_window_is_refused_naming_the_year(scene):
    OptInWindow.objects.all().delete()
    window_later(scene.next)
    fields = refused_field(lambda: ask(scene))
    assert "school_year" in fields and "are chosen from" in fields["school_year"][0]
    OptInWindow.objects.all().delete()
    assert "set no window" in refused_field(lambda: ask(scene))["school_year"][0]
    assert not NetworkRequest.objects.exists()


def test_a_full_network_is_refused_naming_the_network(scene):
    scene.zone.capacity = 1
    scene.zone.save()
    SchoolFactory(network=scene.zone)  # stays there next year: holds the one place
    fields = refused_field(lambda: ask(scene))
    assert fields["network"] == [f"Innovation Zone is full for {scene.next.label}: 1 of 1 places are taken."]
    assert not NetworkRequest.objects.exists()


def test_an_approved_school_holds_a_place_the_next_asker_cannot_take(scene):
    scene.zone.capacity = 1
    scene.zone.save()
    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    fields = refused_field(lambda: ask(scene, school=scene.other, actor=scene.other_principal))
    assert "full" in fields["network"][0]


def test_the_schools_own_network_is_refused(scene):
    fields = refused_field(lambda: ask(scene, network=scene.home))
    assert fields["network"] == [f"{scene.school.name} is in North Network for {scene.next.label} already."]


def test_one_pending_request_a_year(scene):
    ask(scene)
    other_network = scene.home.__class__.objects.create(name="West Network")
    fields = refused_field(lambda: ask(scene, network=other_network))
    assert "already has a request waiting" in fields["school_year"][0]
    assert NetworkRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"), [("", "required"), ("   ", "required"), ("x" * (NOTE_TEXT + 1), "at most")]
)
def test_a_blank_or_long_reason_is_refused_naming_it(scene, reason, message):
    fields = refused_field(lambda: ask(scene, reason=reason))
    assert message in fields["reason"][0]
    assert not NetworkRequest.objects.exists()
    assert not Notification.objects.exists()


# --- deciding -----------------------------------------------------------------------------------------


def test_approving_for_next_year_records_the_membership_and_leaves_the_school_where_it_is(scene):
    request = ask(scene)
    network_request_approve(actor=scene.admin, request_id=request.pk, note="Welcome.")
    request.refresh_from_db()
    assert request.status == "approved" and request.decision_note == "Welcome." and request.decided_at
    membership = NetworkMembership.objects.get(school=scene.school, school_year=scene.next, ended_on=None)
    assert membership.network == scene.zone and membership.request == request
    assert membership.started_on == scene.next.start_date
    scene.school.refresh_from_db()
    assert scene.school.network == scene.home  # the year has not begun
    told = Notification.objects.get(user=scene.principal)
    assert told.title == f"{scene.school.name} joins Innovation Zone for {scene.next.label}"
    assert "from July 1" in told.body


def test_approving_for_the_year_under_way_moves_the_school_now_and_keeps_where_it_was(scene):
    scene.zone.capacity = None
    scene.zone.save()
    OptInWindow.objects.all().delete()
    window_open(scene.now)
    request = ask(scene, year=scene.now)
    network_request_approve(actor=scene.admin, request_id=request.pk)
    scene.school.refresh_from_db()
    assert scene.school.network == scene.zone
    history = list(NetworkMembership.objects.filter(school=scene.school).order_by("pk"))
    ended, current = history
    assert ended.network == scene.home and ended.ended_on == timezone.localdate()
    assert ended.started_on == scene.now.start_date
    assert current.network == scene.zone and current.ended_on is None


def test_approving_ends_the_current_membership_for_the_year(scene):
    network_memberships_record(actor=scene.admin, school_year=scene.next)
    request = ask(scene)
    network_request_approve(actor=scene.admin, request_id=request.pk)
    rows = NetworkMembership.objects.filter(school=scene.school, school_year=scene.next).order_by("pk")
    assert [(r.network.name, r.ended_on is not None) for r in rows] == [
        ("North Network", True),
        ("Innovation Zone", False),
    ]


def test_approving_into_a_network_filled_since_is_a_conflict(scene):
    scene.zone.capacity = 1
    scene.zone.save()
    first = ask(scene)
    second = ask(scene, school=scene.other, actor=scene.other_principal)
    network_request_approve(actor=scene.admin, request_id=first.pk)
    with pytest.raises(Conflict) as refused:
        network_request_approve(actor=scene.admin, request_id=second.pk)
    assert "full" in refused.value.message
    second.refresh_from_db()
    assert second.status == "pending"
    assert not NetworkMembership.objects.filter(school=scene.other).exists()


def test_only_the_office_decides_and_never_for_its_own_school(scene):
    request = ask(scene)
    for actor in (scene.principal, scene.team, scene.liaison):
        with pytest.raises(NotPermitted):
            network_request_approve(actor=actor, request_id=request.pk)
    MembershipFactory(user=scene.admin, role=Role.SCHOOL_TEAM, school=scene.school)
    admin = get_user_model().objects.get(pk=scene.admin.pk)  # roles are read afresh, as on the next request
    with pytest.raises(NotPermitted) as refused:
        network_request_decline(actor=admin, request_id=request.pk, note="No.")
    assert "You work at this school" in refused.value.message
    request.refresh_from_db()
    assert request.status == "pending"


def test_declining_needs_a_note_the_principal_reads(scene):
    request = ask(scene)
    fields = refused_field(lambda: network_request_decline(actor=scene.admin, request_id=request.pk, note=" "))
    assert "note" in fields
    network_request_decline(actor=scene.admin, request_id=request.pk, note="The zone suits high schools.")
    request.refresh_from_db()
    assert request.status == "declined" and request.decision_note == "The zone suits high schools."
    told = Notification.objects.get(user=scene.principal)
    assert "declined" in told.title and told.body == "The zone suits high schools."
    assert not NetworkMembership.objects.exists()


def test_the_principal_withdraws_and_may_ask_again(scene):
    request = ask(scene)
    with pytest.raises(NotPermitted):
        network_request_withdraw(actor=scene.admin, request_id=request.pk)
    network_request_withdraw(actor=scene.principal, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert ask(scene).status == "pending"


def test_a_step_on_what_was_seen_in_another_state_is_a_conflict(scene):
    request = ask(scene)
    network_request_withdraw(actor=scene.principal, request_id=request.pk)
    with pytest.raises(Conflict):
        network_request_approve(actor=scene.admin, request_id=request.pk, expected_status="pending")
    with pytest.raises(Conflict):
        network_request_decline(actor=scene.admin, request_id=request.pk, note="No.")


def test_a_missing_request_is_not_found(scene):
    with pytest.raises(NotFound):
        network_request_approve(actor=scene.admin, request_id=999999)


def test_the_year_beginning_moves_the_schools_approved_ahead(scene):
    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    assert network_memberships_start(today=scene.next.start_date - datetime.timedelta(days=1)) == 0
    assert network_memberships_start(today=scene.next.start_date) == 1
    scene.school.refresh_from_db()
    assert scene.school.network == scene.zone
    assert network_memberships_start(today=scene.next.start_date) == 0  # a second run moves nobody


# --- what the office keeps ------------------------------------------------------------------------------


def test_the_office_changes_a_network_and_the_capacity_never_drops_below_its_schools(scene):
    network_update(actor=scene.admin, network=scene.home, kind=NetworkKind.AFFINITY, offers="Arts.", capacity=5)
    scene.home.refresh_from_db()
    assert (scene.home.kind, scene.home.offers, scene.home.capacity) == ("affinity", "Arts.", 5)
    fields = refused_field(
        lambda: network_update(actor=scene.admin, network=scene.home, kind="affinity", offers="", capacity=1)
    )
    assert "holds 2 schools" in fields["capacity"][0]
    assert refused_field(
        lambda: network_update(actor=scene.admin, network=scene.home, kind="x", offers="", capacity=None)
    )["kind"]
    with pytest.raises(NotPermitted):
        network_update(actor=scene.principal, network=scene.home, kind="affinity", offers="", capacity=None)
    scene.home.refresh_from_db()
    assert scene.home.capacity == 5


def test_team_seats_are_for_people_of_that_department(scene):
    finance = department_staff(Department.FINANCE, head=True)
    seat = team_seat_add(actor=scene.admin, network=scene.home, department="finance", user=finance, title="Partner")
    assert "user" in refused_field(
        lambda: team_seat_add(actor=scene.admin, network=scene.home, department="hr", user=finance)
    )
    assert (
        "already holds"
        in refused_field(
            lambda: team_seat_add(actor=scene.admin, network=scene.home, department="finance", user=finance)
        )["user"][0]
    )
    with pytest.raises(NotPermitted):
        team_seat_add(actor=scene.principal, network=scene.home, department="finance", user=finance)
    team_seat_remove(actor=scene.admin, seat_id=seat.pk)
    assert not TeamSeat.objects.exists()
    with pytest.raises(NotFound):
        team_seat_remove(actor=scene.admin, seat_id=seat.pk)


def test_the_window_must_close_after_it_opens_and_within_its_year(scene):
    today = timezone.localdate()
    fields = refused_field(
        lambda: opt_in_window_set(
            actor=scene.admin, school_year=scene.next, opens_on=today, closes_on=today - datetime.timedelta(days=1)
        )
    )
    assert fields == {"closes_on": ["The window must close on or after the day it opens."]}
    assert "closes_on" in refused_field(
        lambda: opt_in_window_set(
            actor=scene.admin,
            school_year=scene.now,
            opens_on=today,
            closes_on=scene.now.end_date + datetime.timedelta(days=1),
        )
    )
    moved = opt_in_window_set(actor=scene.admin, school_year=scene.next, opens_on=today, closes_on=today)
    assert OptInWindow.objects.get(school_year=scene.next) == moved and moved.closes_on == today
    with pytest.raises(NotPermitted):
        opt_in_window_set(actor=scene.principal, school_year=scene.next, opens_on=today, closes_on=today)


def test_recording_where_schools_are_is_done_once(scene):
    assert network_memberships_record(actor=scene.admin, school_year=scene.now) == 2
    assert network_memberships_record(actor=scene.admin, school_year=scene.now) == 0


# --- opt-outs -------------------------------------------------------------------------------------------


def test_a_school_opts_out_only_where_its_network_allows(scene):
    fields = refused_field(
        lambda: service_opt_out_record(
            actor=scene.principal, school=scene.school, school_year=scene.now, department="hr"
        )
    )
    assert fields["department"] == [
        "North Network's agreement does not let its schools opt out of Talent and human resources."
    ]
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="hr", terms="Hire through the pool.")
    made = opt_out(scene, "hr", reason="Our own HR lead.")
    assert (made.network, made.recorded_by, made.reason) == (scene.home, scene.principal, "Our own HR lead.")
    assert (
        "already opted out"
        in refused_field(
            lambda: service_opt_out_record(
                actor=scene.principal, school=scene.school, school_year=scene.now, department="hr"
            )
        )["department"][0]
    )
    with pytest.raises(NotPermitted):
        opt_out(scene, "hr", actor=scene.team)


def test_the_years_network_decides_what_may_be_opted_out_of(scene):
    opt_out_allowance_set(actor=scene.admin, network=scene.zone, department="finance", terms="")
    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    assert "department" in refused_field(
        lambda: service_opt_out_record(
            actor=scene.principal, school=scene.school, school_year=scene.now, department="finance"
        )
    )
    made = service_opt_out_record(
        actor=scene.principal, school=scene.school, school_year=scene.next, department="finance"
    )
    assert made.network == scene.zone


def test_an_ended_year_and_a_bad_department_are_refused(scene):
    past = year_starting(scene.now.start_date.year - 2)
    opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="")
    assert "school_year" in refused_field(lambda: opt_out(scene, "data", year=past))
    assert "department" in refused_field(
        lambda: service_opt_out_record(
            actor=scene.principal, school=scene.school, school_year=scene.now, department="x"
        )
    )
    assert not ServiceOptOut.objects.exists()


def test_an_opt_out_is_taken_back_by_the_principal_only(scene):
    allowance = opt_out_allowance_set(actor=scene.admin, network=scene.home, department="data", terms="")
    made = opt_out(scene, "data")
    with pytest.raises(NotPermitted):
        service_opt_out_withdraw(actor=scene.other_principal, opt_out_id=made.pk, school=scene.school)
    with pytest.raises(NotFound):
        service_opt_out_withdraw(actor=scene.other_principal, opt_out_id=made.pk, school=scene.other)
    service_opt_out_withdraw(actor=scene.principal, opt_out_id=made.pk, school=scene.school)
    assert not ServiceOptOut.objects.exists()
    opt_out_allowance_remove(actor=scene.admin, allowance_id=allowance.pk)
    assert not OptOutAllowance.objects.exists()


def test_the_nightly_task_moves_them_once(scene):
    from support.tasks import network_memberships_start_nightly

    network_request_approve(actor=scene.admin, request_id=ask(scene).pk)
    day = scene.next.start_date.isoformat()
    assert network_memberships_start_nightly.apply(kwargs={"today": day}).get() == {"today": day, "moved": 1}
    assert network_memberships_start_nightly.apply(kwargs={"today": day}).get() == {"today": day, "moved": 0}
    scene.school.refresh_from_db()
    assert scene.school.network == scene.zone
