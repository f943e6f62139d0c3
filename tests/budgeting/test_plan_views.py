"""The plan's pages: the principal's plan with its figures and locks in words, the row forms refusing a
locked category, submit, finance's queue with return and approve, history and versions; another school's
plan is 404; query counts pinned (1 line and 20 lines cost the same)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgeting.models import PlanLine, PlanStatus
from budgeting.services.plans import line_add, plan_submit
from core.models import Notification
from tests.budgeting.plan_builders import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_member):
    return plan_world(make_member)


def _plan_url(world):
    return reverse("budgeting:plan_detail", args=[world["school"].code])


def _add_lines(world, count):
    for number in range(count):
        line_add(
            actor=world["people"]["principal"],
            plan_id=world["plan"].pk,
            category=world["categories"]["operations"],
            source=world["formula"],
            description=f"Supplies {number}",
            amount="10.00",
        )


def test_the_plan_page_shows_figures_and_says_each_lock_in_words(world, client_for):
    page = client_for(world["people"]["principal"]).get(_plan_url(world))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Locked: the school does not hold &#x27;Control the curriculum and assessment budget&#x27;" in text
    assert "Discretionary: the school holds &#x27;Set the salary budget line&#x27;" in text
    assert "Locked: mandated by the district." in text
    assert "Locked: Title I is restricted money the district sets." in text
    assert "$260,000.00 of formula money out of an allocation of $1,000,000.00" in text
    assert reverse("budgeting:plan_line_add", args=[world["plan"].pk]) in text
    # the mandated rows offer no change
    mandated = PlanLine.objects.get(mandated=True, source=world["formula"])
    assert reverse("budgeting:plan_line_edit", args=[world["plan"].pk, mandated.pk]) not in text


def test_the_team_reads_the_plan_without_edit_controls(world, client_for):
    _add_lines(world, 1)
    text = client_for(world["people"]["team"]).get(_plan_url(world)).content.decode()
    assert "Supplies 0" in text and reverse("budgeting:plan_line_add", args=[world["plan"].pk]) not in text
    assert (
        client_for(world["people"]["team"]).get(reverse("budgeting:plan_line_add", args=[world["plan"].pk])).status_code
        == 404
    )


def test_another_schools_principal_gets_404_everywhere(world, client_for):
    other = client_for(world["people"]["other_principal"])
    plan = world["plan"]
    assert other.get(_plan_url(world)).status_code == 404
    for name in ("plan_line_add", "plan_position_add", "plan_history", "plan_review"):
        assert other.get(reverse(f"budgeting:{name}", args=[plan.pk])).status_code == 404
    assert other.post(reverse("budgeting:plan_submit", args=[plan.pk])).status_code == 404


def test_a_line_is_added_through_the_form_and_a_locked_category_is_refused_naming_it(world, client_for):
    client = client_for(world["people"]["principal"])
    url = reverse("budgeting:plan_line_add", args=[world["plan"].pk])
    form = client.get(url).content.decode()
    assert "Curriculum (locked)" in form
    data = {"category": world["categories"]["operations"].pk, "source": world["formula"].pk, "description": "Paper"}
    response = client.post(url, {**data, "amount": "250.50"})
    assert response.status_code == 302
    assert PlanLine.objects.get(description="Paper").amount == Decimal("250.50")
    refused = client.post(url, {**data, "category": world["categories"]["curriculum"].pk, "amount": "5"})
    assert refused.status_code == 400
    assert "Locked: the school does not hold" in refused.content.decode()
    assert not PlanLine.objects.filter(category=world["categories"]["curriculum"], mandated=False).exists()


def test_a_position_is_added_through_the_form(world, client_for):
    client = client_for(world["people"]["principal"])
    response = client.post(
        reverse("budgeting:plan_position_add", args=[world["plan"].pk]),
        {"job_type": world["jobs"]["teacher"].pk, "fte": "0.5", "source_1": world["formula"].pk, "share_1": "1"},
    )
    assert response.status_code == 302
    assert "$36,250.00" in client.get(_plan_url(world)).content.decode()


def test_submit_return_with_a_note_and_the_principal_reads_it(world, client_for):
    principal, finance, plan = world["people"]["principal"], world["people"]["finance"], world["plan"]
    client = client_for(principal)
    client.post(reverse("budgeting:plan_submit", args=[plan.pk]), {"expected_status": "draft"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    reviewer = client_for(finance)
    queue = reviewer.get(reverse("budgeting:plan_queue")).content.decode()
    assert world["school"].name in queue
    empty = reviewer.post(
        reverse("budgeting:plan_return", args=[plan.pk]), {"note": "", "expected_status": "submitted"}
    )
    assert empty.status_code == 400 and "Say what the school should change." in empty.content.decode()
    reviewer.post(
        reverse("budgeting:plan_return", args=[plan.pk]),
        {"note": "Move the copier lease to operations.", "expected_status": "submitted"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert "Move the copier lease to operations." in client.get(_plan_url(world)).content.decode()
    assert Notification.objects.filter(user=principal, body="Move the copier lease to operations.").count() == 1


def test_principals_and_other_reviewers_have_no_queue(world, client_for):
    for who in ("principal", "hr", "liaison"):
        assert client_for(world["people"][who]).get(reverse("budgeting:plan_queue")).status_code == 404


def test_history_and_the_version_diff(world, client_for):
    principal, plan = world["people"]["principal"], world["plan"]
    plan_submit(actor=principal, plan_id=plan.pk)
    from budgeting.services.plans import plan_return

    plan_return(actor=world["people"]["finance"], plan_id=plan.pk, note="Add supplies.")
    _add_lines(world, 1)
    plan_submit(actor=principal, plan_id=plan.pk)
    client = client_for(principal)
    history = client.get(reverse("budgeting:plan_history", args=[plan.pk])).content.decode()
    assert "Returned for changes" in history and "Add supplies." in history
    diff = client.get(reverse("budgeting:plan_version", args=[plan.pk, 2])).content.decode()
    assert "Added" in diff and "Supplies 0" in diff and "$10.00" in diff


def test_the_plan_page_costs_the_same_queries_for_1_and_20_lines(world, client_for, django_assert_num_queries):
    client = client_for(world["people"]["principal"])
    _add_lines(world, 1)
    client.get(_plan_url(world))  # warm the per-user caches (roles, unread count)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        client.get(_plan_url(world))
    _add_lines(world, 19)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        assert client.get(_plan_url(world)).content.decode().count(">Supplies ") == 20


def test_the_queue_costs_the_same_queries_for_1_and_20_plans(make_member, client_for, django_assert_num_queries):
    worlds = [plan_world(make_member)]
    plan_submit(actor=worlds[0]["people"]["principal"], plan_id=worlds[0]["plan"].pk)
    finance = worlds[0]["people"]["finance"]
    client = client_for(finance)
    client.get(reverse("budgeting:plan_queue"))
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(reverse("budgeting:plan_queue"))
    for _ in range(19):
        more = plan_world(make_member)
        plan_submit(actor=more["people"]["principal"], plan_id=more["plan"].pk)
    client.get(reverse("budgeting:plan_queue"))  # each submission told finance: the unread count is read again
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(reverse("budgeting:plan_queue")).content.decode().count("Review<span") == 20


PLAN_PAGE_QUERIES = 11
QUEUE_QUERIES = 3


def test_only_the_principal_starts_or_submits(world, client_for):
    plan = world["plan"]
    for who in ("team", "liaison", "finance", "admin"):
        client = client_for(world["people"][who])
        assert client.post(reverse("budgeting:plan_submit", args=[plan.pk])).status_code == 404, who
        start = reverse("budgeting:plan_start", args=[world["school"].code])
        assert client.post(start).status_code == 404, who
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
