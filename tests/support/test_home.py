"""Support's landing page: each person finds their part, with figures that match the data."""

import pytest
from django.urls import reverse

from support.services.support_requests import support_request_create
from tests.support.requests_builders import request_world

pytestmark = pytest.mark.django_db


def _ask(world, subject="Budget line for tutors"):
    return support_request_create(
        actor=world.principal, school=world.school, category=world.budget, subject=subject, body="Which line?"
    )


def _page(client, user):
    client.force_login(user)
    response = client.get(reverse("support:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_principal_finds_the_school_s_requests_counted(client):
    world = request_world()
    _ask(world)
    _ask(world, subject="A second question")
    page = _page(client, world.principal)
    assert "Lincoln Elementary" in page
    assert "2 requests open" in page
    assert reverse("support:school_requests", args=[world.school.code]) in page
    assert reverse("support:network_school", args=[world.school.code]) in page
    assert "Adams Middle" not in page  # another school is not theirs


def test_department_staff_find_their_queue_counted_and_nothing_of_the_office(client):
    world = request_world()
    _ask(world)
    page = _page(client, world.head)
    assert "Finance: requests" in page
    assert "1 request open, 0 overdue" in page
    assert "Human resources" not in page and "Talent and human resources: requests" not in page
    assert reverse("support:network_request_queue") not in page


def test_the_office_finds_the_decisions_waiting(client):
    world = request_world()
    page = _page(client, world.admin)
    assert "0 requests waiting for a decision" in page
    assert reverse("support:caseload_district") in page


def test_someone_without_a_role_finds_nothing(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("support:home")).status_code == 404


def test_the_page_costs_the_same_queries_for_one_request_or_twenty(client, django_assert_num_queries):
    world = request_world()
    _ask(world)
    client.force_login(world.head)
    client.get(reverse("support:home"))  # warm the session and roles
    with django_assert_num_queries(2) as one:  # the session, the counts (roles and departments are cached)
        client.get(reverse("support:home"))
    for n in range(19):
        _ask(world, subject=f"Question {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("support:home"))


def test_department_staff_without_another_role_start_on_their_queue(client):
    world = request_world()
    client.force_login(world.head)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("support:request_queue")
