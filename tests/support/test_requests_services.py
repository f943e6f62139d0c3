"""Support requests' services: routing, deadlines, the paused clock, messages, notifications and bad input."""

import datetime

import pytest
from django.db import IntegrityError

from core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from core.models import Notification
from support.models import Milestone, MilestoneKind, SupportMessage, SupportRequest, SupportStatus, TeamSeat
from support.services.support_request_categories import support_category_create, support_category_update
from support.services.support_request_steps import (
    support_request_answer,
    support_request_close,
    support_request_reassign,
    support_request_reopen,
    support_request_resolve,
    support_request_wait,
)
from support.services.support_requests import support_request_create, support_request_message
from tests.factories import SchoolYearFactory, UserFactory
from tests.support.requests_builders import Clock, raise_request, request_world, staff_of

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)


@pytest.fixture
def world():
    return request_world()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(MONDAY)
    return clock


def titles(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def test_a_request_goes_to_the_network_seat_with_its_deadline(world, clock):
    second = staff_of("finance", username="a-first-by-name")
    TeamSeat.objects.create(network=world.school.network, department="finance", user=second)
    request = raise_request(world)
    assert request.assignee == second  # several seats: the first by username
    assert request.network == world.school.network
    assert request.department == "finance"
    assert request.status == SupportStatus.OPEN
    assert request.due_on == datetime.date(2026, 12, 14)  # 5 business days after Monday
    assert titles(second) == ["Lincoln Elementary asks for help: Title I carryover"]
    assert titles(world.head) == []  # assigned: the department is not told
    event = request.events.get()
    assert (event.action, event.from_status, event.to_status) == ("create", "", "open")


def test_without_a_seat_it_waits_in_the_department_queue_and_its_staff_are_told(world, clock):
    operations = staff_of("operations", username="ops")
    request = raise_request(world, category=world.repair)
    assert request.assignee is None
    assert request.due_on == datetime.date(2026, 12, 10)  # 3 business days
    assert titles(operations) == ["Lincoln Elementary asks for help: Title I carryover"]


def test_the_deadline_skips_a_district_closure(world, clock):
    Milestone.objects.create(
        school_year=SchoolYearFactory(),
        kind=MilestoneKind.DISTRICT_CLOSED,
        title="Winter break",
        on=datetime.date(2026, 12, 8),
        ends_on=datetime.date(2026, 12, 9),
    )
    assert raise_request(world).due_on == datetime.date(2026, 12, 16)


def test_only_the_schools_staff_ask_for_help(world):
    assert raise_request(world, actor=world.team).requested_by == world.team
    with pytest.raises(NotFound):  # a school they do not work at is not named
        raise_request(world, actor=world.principal, school=world.other)
    with pytest.raises(NotFound):
        raise_request(world, actor=world.staff)
    for outsider in (world.liaison, world.admin, world.viewer):  # they see the school, may not ask in its name
        with pytest.raises(NotPermitted):
            raise_request(world, actor=outsider)
    assert SupportRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "subject", "body"),
    [
        ("subject", "", "Details"),
        ("subject", "x" * 201, "Details"),
        ("body", "Subject", "  "),
        ("body", "S", "x" * 4001),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, field, subject, body):
    with pytest.raises(ApplicationError) as refused:
        support_request_create(
            actor=world.principal, school=world.school, category=world.budget, subject=subject, body=body
        )
    assert field in refused.value.fields
    assert not SupportRequest.objects.exists()


def test_a_retired_category_is_refused_naming_it(world):
    world.budget.active = False
    world.budget.save()
    with pytest.raises(ApplicationError) as refused:
        raise_request(world)
    assert "category" in refused.value.fields
    assert not SupportRequest.objects.exists()


def test_the_clock_pauses_while_waiting_on_the_school(world, clock):
    request = raise_request(world)
    assert request.due_on == datetime.date(2026, 12, 14)
    support_request_wait(actor=world.seat, request_id=request.pk, message="Send last year's ledger.")
    assert "Central office needs something from you: Title I carryover" in titles(world.principal)
    clock.set(datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC))  # Thursday
    support_request_answer(actor=world.team, request_id=request.pk, message="Attached.")
    request.refresh_from_db()
    assert request.status == SupportStatus.OPEN
    assert request.due_on == datetime.date(2026, 12, 17)  # three business days waited: Tue, Wed, Thu
    answer = request.events.get(action="answer")
    assert answer.evidence["waited_business_days"] == 3
    assert answer.reason == "Attached."
    assert titles(world.seat)[-1] == "Lincoln Elementary answered: Title I carryover"


def test_resolve_close_with_a_rating(world, clock):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="You may carry over 5%.")
    request.refresh_from_db()
    assert request.resolved_at == MONDAY
    assert request.events.get(action="resolve").evidence["on_time"] is True
    support_request_close(actor=world.principal, request_id=request.pk, rating=4, comment="Quick, thanks.")
    request.refresh_from_db()
    assert (request.status, request.rating, request.rating_comment) == ("closed", 4, "Quick, thanks.")
    assert "Your support request is resolved: Title I carryover" in titles(world.principal)


@pytest.mark.parametrize("rating", [0, 6, "5", None, True, 4.5])
def test_a_rating_outside_1_to_5_is_refused_naming_it(world, rating):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    with pytest.raises(ApplicationError) as refused:
        support_request_close(actor=world.principal, request_id=request.pk, rating=rating)
    assert "rating" in refused.value.fields
    request.refresh_from_db()
    assert (request.status, request.rating) == ("resolved", None)


def test_the_database_holds_the_rating_to_a_closed_request(world):
    request = raise_request(world)
    with pytest.raises(IntegrityError):
        SupportRequest.objects.filter(pk=request.pk).update(rating=3)


def test_reopen_gives_a_fresh_deadline(world, clock):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    clock.set(datetime.datetime(2026, 12, 21, 9, tzinfo=datetime.UTC))
    support_request_reopen(actor=world.principal, request_id=request.pk, reason="The figure is wrong.")
    request.refresh_from_db()
    assert (request.status, request.due_on, request.resolved_at) == ("reopened", datetime.date(2026, 12, 28), None)


@pytest.mark.parametrize("text", ["", "   "])
def test_steps_need_their_words(world, text):
    request = raise_request(world)
    with pytest.raises(ApplicationError) as refused:
        support_request_wait(actor=world.staff, request_id=request.pk, message=text)
    assert "message" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        support_request_resolve(actor=world.staff, request_id=request.pk, message=text)
    assert "message" in refused.value.fields
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    with pytest.raises(ApplicationError) as refused:
        support_request_reopen(actor=world.principal, request_id=request.pk, reason=text)
    assert "reason" in refused.value.fields
    assert SupportRequest.objects.get().status == "resolved"


def test_reassign_only_to_the_departments_staff(world):
    request = raise_request(world)
    for wrong in (world.hr, UserFactory(), None, world.seat):  # another department, nobody's staff, none, already
        with pytest.raises(ApplicationError) as refused:
            support_request_reassign(actor=world.head, request_id=request.pk, assignee=wrong)
        assert "assignee" in refused.value.fields
    support_request_reassign(actor=world.head, request_id=request.pk, assignee=world.staff, note="Carryover is yours.")
    request.refresh_from_db()
    assert request.assignee == world.staff
    note = SupportMessage.objects.get()
    assert note.internal and note.body == "Carryover is yours."
    assert "Carryover" not in request.events.get(action="reassign").reason  # the note stays internal
    assert titles(world.staff) == ["A support request is assigned to you: Title I carryover"]


def test_who_may_take_the_departments_steps(world):
    request = raise_request(world)
    for outsider in (world.principal, world.liaison, world.hr, world.viewer):
        with pytest.raises((NotPermitted, NotFound)):
            support_request_resolve(actor=outsider, request_id=request.pk, message="Done.")
    with pytest.raises(NotFound):
        support_request_resolve(actor=world.other_principal, request_id=request.pk, message="Done.")
    support_request_wait(actor=world.admin, request_id=request.pk, message="The office stands in.")
    with pytest.raises(NotPermitted):
        support_request_answer(actor=world.staff, request_id=request.pk, message="Not the school.")


def test_two_people_at_once_one_wins(world):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.", expected_status="open")
    with pytest.raises(Conflict):
        support_request_resolve(actor=world.head, request_id=request.pk, message="Done too.", expected_status="open")


def test_messages_replies_and_internal_notes(world):
    request = raise_request(world)
    support_request_message(actor=world.principal, request_id=request.pk, body="One more thing.")
    assert titles(world.seat)[-1] == "New reply on “Title I carryover”"
    support_request_message(actor=world.seat, request_id=request.pk, body="Checking with the budget office.")
    assert titles(world.principal)[-1] == "New reply on “Title I carryover”"
    support_request_message(actor=world.seat, request_id=request.pk, body="Ask Sam.", internal=True)
    assert len(titles(world.principal)) == 1  # an internal note tells nobody at the school
    with pytest.raises(NotPermitted):
        support_request_message(actor=world.principal, request_id=request.pk, body="Sneaky.", internal=True)
    with pytest.raises(NotPermitted):
        support_request_message(actor=world.liaison, request_id=request.pk, body="Hello.")
    with pytest.raises(NotFound):
        support_request_message(actor=world.other_principal, request_id=request.pk, body="Hello.")
    with pytest.raises(ApplicationError) as refused:
        support_request_message(actor=world.principal, request_id=request.pk, body=" ")
    assert "body" in refused.value.fields
    support_request_resolve(actor=world.seat, request_id=request.pk, message="Done.")
    support_request_close(actor=world.principal, request_id=request.pk, rating=5)
    with pytest.raises(Conflict):
        support_request_message(actor=world.principal, request_id=request.pk, body="After closing.")
    assert SupportMessage.objects.count() == 3


def test_categories_are_the_autonomy_offices(world):
    with pytest.raises(NotPermitted):
        support_category_create(actor=world.head, code="x", name="X", department="finance", deadline_business_days=5)
    made = support_category_create(
        actor=world.admin, code="payroll", name="Payroll", department="finance", deadline_business_days=2
    )
    assert made.active
    bad = [
        ({"code": "budget"}, "code"),
        ({"code": "Bad Code"}, "code"),
        ({"name": ""}, "name"),
        ({"department": "legal"}, "department"),
        ({"deadline_business_days": 0}, "deadline_business_days"),
        ({"deadline_business_days": 61}, "deadline_business_days"),
        ({"deadline_business_days": "5"}, "deadline_business_days"),
    ]
    for change, field in bad:
        values = {"code": "new", "name": "New", "department": "hr", "deadline_business_days": 5, **change}
        with pytest.raises(ApplicationError) as refused:
            support_category_create(actor=world.admin, **values)
        assert field in refused.value.fields
    updated = support_category_update(
        actor=world.admin, category_id=made.pk, name="Payroll", department="hr", deadline_business_days=10, active=False
    )
    assert (updated.department, updated.deadline_business_days, updated.active) == ("hr", 10, False)
    with pytest.raises(NotFound):
        support_category_update(
            actor=world.admin, category_id=999999, name="X", department="hr", deadline_business_days=1, active=True
        )


def test_the_first_of_the_department_to_act_takes_up_a_queued_request(world):
    operations = staff_of("operations", username="ops")
    request = raise_request(world, category=world.repair)
    support_request_wait(actor=world.admin, request_id=request.pk, message="Which room?")
    request.refresh_from_db()
    assert request.assignee is None  # the office standing in does not take it up
    support_request_answer(actor=world.principal, request_id=request.pk, message="Room 12.")
    support_request_resolve(actor=operations, request_id=request.pk, message="Fixed.")
    request.refresh_from_db()
    assert request.assignee == operations
