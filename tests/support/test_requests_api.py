"""Support requests through the API: principals ask for their own school and read their own; the list's
filters hold the role's scope; steps and messages through the same services; bad input named."""

import datetime

import pytest

from support.models import SupportRequest
from support.services.support_request_steps import support_request_resolve
from support.services.support_requests import support_request_message
from tests.support.requests_builders import raise_request, request_world

pytestmark = pytest.mark.django_db

LIST = "/api/v1/support-requests/"


@pytest.fixture
def world():
    return request_world()


def test_a_principal_asks_for_their_own_school(world, api_for):
    client = api_for(world.principal)
    body = {"school": world.school.code, "category": "budget", "subject": "Carryover", "body": "How much?"}
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["school"], made["department"], made["status"], made["assignee"]) == (
        world.school.code,
        "finance",
        "open",
        "finance-seat",
    )
    assert made["actions"] == []  # an open request waits on the department
    other = client.post(LIST, {**body, "school": world.other.code}, format="json")
    assert other.status_code == 404 and other.json()["error"] == "not_found"
    for wrong, field in [({"category": "nope"}, "category"), ({"subject": ""}, "subject"), ({"rating": 3}, "rating")]:
        response = client.post(LIST, {**body, **wrong}, format="json")
        assert response.status_code == 400 and field in response.json()["fields"]
    assert SupportRequest.objects.count() == 1
    assert api_for(world.liaison).post(LIST, body, format="json").status_code == 403


def test_reading_is_scoped_and_notes_stay_internal(world, api_for):
    mine = raise_request(world)
    theirs = raise_request(world, school=world.other, actor=world.other_principal)
    support_request_message(actor=world.seat, request_id=mine.pk, body="Ask Sam", internal=True)
    support_request_message(actor=world.seat, request_id=mine.pk, body="On it")
    principal = api_for(world.principal)
    rows = principal.get(LIST).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert principal.get(f"{LIST}{theirs.pk}/").status_code == 404
    detail = principal.get(f"{LIST}{mine.pk}/").json()
    assert [m["body"] for m in detail["messages"]] == ["On it"]
    assert [e["action"] for e in detail["events"]] == ["create"]
    staff = api_for(world.staff).get(f"{LIST}{mine.pk}/").json()
    assert [m["body"] for m in staff["messages"]] == ["Ask Sam", "On it"]
    assert staff["actions"] == ["wait", "reassign", "resolve"]
    # filters never widen the scope
    assert principal.get(LIST, {"school": world.other.code}).json()["results"] == []
    assert len(api_for(world.admin).get(LIST).json()["results"]) == 2


def test_filters(world, api_for):
    late, fine = raise_request(world), raise_request(world)
    SupportRequest.objects.filter(pk=late.pk).update(
        due_on=datetime.date.today() - datetime.timedelta(days=1), assignee=None
    )
    head = api_for(world.head)
    ids = lambda **query: [row["id"] for row in head.get(LIST, query).json()["results"]]  # noqa: E731
    assert ids(overdue="true") == [late.pk]
    assert ids(assignee="unassigned") == [late.pk]
    assert ids(assignee="finance-seat") == [fine.pk]
    assert ids(status="live", department="finance") == [fine.pk, late.pk]
    assert ids(department="hr") == []
    bad = head.get(LIST, {"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.json()["fields"]


def test_steps_through_the_api(world, api_for):
    request = raise_request(world)
    url = f"{LIST}{request.pk}/"
    staff = api_for(world.staff)
    response = staff.post(f"{url}resolve/", {"message": "Carry over 5%.", "expected_status": "open"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    principal = api_for(world.principal)
    for rating in (0, 6, "5", True, 4.5):
        response = principal.post(f"{url}close/", {"rating": rating}, format="json")
        assert response.status_code == 400 and "rating" in response.json()["fields"], rating
    response = principal.post(f"{url}close/", {"rating": 5, "comment": "Thanks"}, format="json")
    assert response.status_code == 200 and response.json()["rating"] == 5
    again = principal.post(f"{url}reopen/", {"reason": "Wait"}, format="json")
    assert again.status_code == 409
    assert principal.post(f"{url}messages/", {"body": "Late"}, format="json").status_code == 409


def test_reassign_names_the_assignee(world, api_for):
    request = raise_request(world)
    url = f"{LIST}{request.pk}/reassign/"
    head = api_for(world.head)
    response = head.post(url, {"assignee": "hr-staff"}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()["fields"]
    response = head.post(url, {"assignee": "finance-staff", "note": "Yours"}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == "finance-staff"


def test_messages(world, api_for):
    request = raise_request(world)
    url = f"{LIST}{request.pk}/messages/"
    response = api_for(world.principal).post(url, {"body": "More", "internal": True}, format="json")
    assert response.status_code == 403  # the school writes no internal notes
    response = api_for(world.principal).post(url, {"body": "More"}, format="json")
    assert response.status_code == 201
    assert api_for(world.liaison).post(url, {"body": "Hi"}, format="json").status_code == 403
    response = api_for(world.seat).post(url, {"body": "Note", "internal": True}, format="json")
    assert response.status_code == 201 and response.json()["messages"][-1]["internal"] is True


def test_categories(world, api_for):
    world.repair.active = False
    world.repair.save()
    codes = lambda user: [row["code"] for row in api_for(user).get("/api/v1/support-categories/").json()["results"]]  # noqa: E731
    assert codes(world.principal) == ["budget"]
    assert codes(world.admin) == ["budget", "repair"]
    detail = api_for(world.principal).get("/api/v1/support-categories/budget/").json()
    assert detail == {
        "code": "budget",
        "name": "Budget question",
        "department": "finance",
        "deadline_business_days": 5,
        "active": True,
    }


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_for_1_or_20(world, api_for, count, django_assert_num_queries):
    for n in range(count):
        raise_request(world, subject=f"Question {n}")
    support_request_resolve(actor=world.staff, request_id=SupportRequest.objects.first().pk, message="Done.")
    client = api_for(world.head)
    client.get(LIST)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client.get(LIST).json()["results"]) == count


LIST_QUERIES = 3  # pinned: the token with its user, the count and the rows (departments are cached like roles)
