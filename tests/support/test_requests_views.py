"""The support request pages: what each person sees and may do, what the pages say, and forms refused
naming their fields."""

import datetime
import re

import pytest
from django.urls import reverse

from core.idempotency import FORM_KEY_FIELD
from support.models import SupportCategory, SupportMessage, SupportRequest
from support.services.support_request_steps import support_request_resolve, support_request_wait
from support.services.support_requests import support_request_message
from tests.support.requests_builders import raise_request, request_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return request_world()


def detail(request):
    return reverse("support:request_detail", args=[request.pk])


def step(request, action):
    return reverse("support:request_step", args=[request.pk, action])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_principal_asks_for_help(world, client_for):
    client = client_for(world.principal)
    url = reverse("support:request_new", args=[world.school.code])
    page = text(client.get(url))
    assert '<optgroup label="Finance">' in page
    assert "Budget question (answered within 5 business days)" in page
    assert "Facilities repair (answered within 3 business days)" in page
    data = {
        "category": world.budget.pk,
        "subject": "Carryover",
        "body": "How much?",
        FORM_KEY_FIELD: "6f2e0b8c-3a53-4b59-9df6-1c0a2c5a6d11",
    }
    response = client.post(url, data)
    request = SupportRequest.objects.get()
    assert response.status_code == 302 and response.url == detail(request)
    again = client.post(url, data)  # the same page posted twice creates once
    assert again.status_code == 302 and SupportRequest.objects.count() == 1
    page = text(client.get(detail(request)))
    assert f"Your request is sent to {world.seat.get_full_name()} of Finance." in page


def test_asking_refuses_bad_input_naming_fields_and_saves_nothing(world, client_for):
    client = client_for(world.team)
    url = reverse("support:request_new", args=[world.school.code])
    response = client.post(url, {"category": "", "subject": "", "body": ""})
    assert response.status_code == 400
    page = text(response)
    for message in (
        "Choose what you need help with.",
        "Say in a few words what you need.",
        "Describe what you need help with.",
    ):
        assert message in page
    retired = SupportCategory.objects.create(code="old", name="Old", department="hr", active=False)
    response = client.post(url, {"category": retired.pk, "subject": "S", "body": "B"})
    assert response.status_code == 400
    assert not SupportRequest.objects.exists()


def test_nobody_else_may_ask_in_the_schools_name(world, client_for):
    url = reverse("support:request_new", args=[world.school.code])
    for user in (world.liaison, world.admin, world.staff, world.other_principal):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"category": world.budget.pk, "subject": "S", "body": "B"}).status_code == 404
    assert not SupportRequest.objects.exists()


def test_the_school_list_counts_and_links(world, client_for):
    request = raise_request(world)
    raise_request(world, school=world.other, actor=world.other_principal, subject="Elsewhere")
    page = text(client_for(world.principal).get(reverse("support:school_requests", args=[world.school.code])))
    assert "Title I carryover" in page and "Elsewhere" not in page
    assert detail(request) in page
    assert "<dt>Open</dt><dd>1</dd>" in page
    assert "Ask for help" in page
    liaison_page = text(client_for(world.liaison).get(reverse("support:school_requests", args=[world.school.code])))
    assert "Title I carryover" in liaison_page and "Ask for help" not in liaison_page


def test_the_department_resolves_and_the_principal_rates(world, client_for):
    request = raise_request(world)
    seat = client_for(world.seat)
    page = text(seat.get(detail(request)))
    assert "Mark resolved" in page and "Ask the school for more" in page and "Reassign" in page
    assert "Close and rate" not in page
    # department staff do not see the school's own list: the page leads them back to their queue
    assert reverse("support:school_requests", args=[world.school.code]) not in page
    assert f"{reverse('support:request_queue')}?department=finance" in page
    assert "5 days left" in page or "days left" in page
    response = seat.post(step(request, "resolve"), {"message": "", "expected_status": "open"})
    assert response.status_code == 400 and "Say what was done: the school reads this." in text(response)
    response = seat.post(step(request, "resolve"), {"message": "Carry over 5%.", "expected_status": "open"})
    assert response.status_code == 302
    principal = client_for(world.principal)
    page = text(principal.get(detail(request)))
    assert "Carry over 5%." in page and "Close and rate" in page and "Reopen" in page
    assert "Resolved on time" in page
    response = principal.post(step(request, "close"), {"rating": "9", "expected_status": "resolved"})
    assert response.status_code == 400 and "Choose a rating from 1 to 5." in text(response)
    response = principal.post(
        step(request, "close"), {"rating": "4", "comment": "Thanks", "expected_status": "resolved"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.rating) == ("closed", 4)
    page = text(principal.get(detail(request)))
    assert "4 of 5" in page and "This request is closed" in page


def test_a_stale_page_is_told_somebody_acted_first(world, client_for):
    request = raise_request(world)
    support_request_resolve(actor=world.staff, request_id=request.pk, message="Done.")
    response = client_for(world.seat).post(step(request, "wait"), {"message": "More?", "expected_status": "open"})
    assert response.status_code == 409
    assert "Somebody acted on this support request first" in text(response)


def test_the_school_never_sees_internal_notes(world, client_for):
    request = raise_request(world)
    support_request_message(actor=world.seat, request_id=request.pk, body="Secret budget talk", internal=True)
    support_request_message(actor=world.seat, request_id=request.pk, body="We are on it", internal=False)
    for user in (world.principal, world.team, world.liaison):
        page = text(client_for(user).get(detail(request)))
        assert "We are on it" in page and "Secret budget talk" not in page
        assert "Internal note" not in page
    for user in (world.seat, world.staff, world.admin, world.viewer):
        assert "Secret budget talk" in text(client_for(user).get(detail(request)))
    # the school's message form offers no internal note
    response = client_for(world.principal).post(
        reverse("support:request_message", args=[request.pk]), {"body": "Hi", "internal": "on"}
    )
    assert response.status_code == 302
    assert not SupportMessage.objects.filter(author=world.principal, internal=True).exists()


def test_waiting_says_the_clock_is_paused(world, client_for):
    request = raise_request(world)
    support_request_wait(actor=world.staff, request_id=request.pk, message="Send the ledger.")
    page = text(client_for(world.principal).get(detail(request)))
    assert "Paused while central office waits on the school" in page
    assert "Answer central office" in page and "Send the ledger." in page


def test_overdue_is_stated(world, client_for):
    request = raise_request(world)
    SupportRequest.objects.filter(pk=request.pk).update(due_on=datetime.date.today() - datetime.timedelta(days=3))
    page = text(client_for(world.principal).get(detail(request)))
    assert "Overdue by 3 days" in page


def test_another_schools_request_is_404(world, client_for):
    request = raise_request(world, school=world.other, actor=world.other_principal)
    for user in (world.principal, world.team, world.liaison, world.hr):
        assert client_for(user).get(detail(request)).status_code == 404
        assert client_for(user).post(step(request, "resolve"), {"message": "x"}).status_code == 404


def test_the_queue_filters_and_the_overdue_list(world, client_for):
    mine = raise_request(world, subject="Mine")
    late = raise_request(world, subject="Late one")
    SupportRequest.objects.filter(pk=late.pk).update(
        assignee=None, due_on=datetime.date.today() - datetime.timedelta(days=2)
    )
    head = client_for(world.head)
    page = text(head.get(reverse("support:request_queue")))
    assert "Mine" in page and "Late one" in page and "Overdue" in page
    page = text(
        head.get(reverse("support:request_queue"), {"department": "finance", "status": "live", "overdue": "on"})
    )
    assert "Late one" in page and "Mine" not in page
    page = text(
        head.get(
            reverse("support:request_queue"), {"department": "finance", "status": "live", "assignee": "unassigned"}
        )
    )
    assert "Late one" in page and "Mine" not in page
    page = text(head.get(reverse("support:request_queue"), {"department": "finance", "assignee": str(world.seat.pk)}))
    assert "Mine" in page and "Late one" not in page
    resolved = raise_request(world, subject="Done already")
    support_request_resolve(actor=world.staff, request_id=resolved.pk, message="Done.")
    assert "Done already" not in text(head.get(reverse("support:request_queue"), {"page": "1"}))
    assert "Done already" in text(head.get(reverse("support:request_queue"), {"status": ""}))
    htmx = head.get(reverse("support:request_queue"), {"department": "finance"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and "Mine" in htmx.content.decode()
    page = text(head.get(reverse("support:request_overdue")))
    assert "Late one" in page and '<td class="num">2</td>' in page and "Mine" not in page
    assert mine.pk
    # staff who do not head the department have the queue, not the overdue list; HR cannot open finance's queue
    assert client_for(world.staff).get(reverse("support:request_overdue")).status_code == 404
    assert client_for(world.hr).get(reverse("support:request_queue"), {"department": "finance"}).status_code == 404
    assert client_for(world.principal).get(reverse("support:request_queue")).status_code == 404


def test_the_categories_page(world, client_for):
    admin = client_for(world.admin)
    url = reverse("support:category_list")
    page = text(admin.get(url))
    assert "Budget question" in page and "Facilities repair" in page
    response = admin.post(url, {"code": "", "name": "", "department": "finance", "deadline_business_days": "0"})
    assert response.status_code == 400
    page = text(response)
    assert "Give the category a short code." in page and "Name the category." in page
    assert "Ensure this value is greater than or equal to 1." in page
    response = admin.post(
        url, {"code": "budget", "name": "Again", "department": "finance", "deadline_business_days": "5"}
    )
    assert response.status_code == 400 and "A category with the code budget exists." in text(response)
    response = admin.post(
        url, {"code": "payroll", "name": "Payroll", "department": "finance", "deadline_business_days": "2"}
    )
    assert response.status_code == 302
    payroll = SupportCategory.objects.get(code="payroll")
    edit = reverse("support:category_edit", args=[payroll.pk])
    response = admin.post(edit, {"name": "Payroll", "department": "finance", "deadline_business_days": "2"})
    assert response.status_code == 302
    payroll.refresh_from_db()
    assert payroll.active is False  # unticked: retired
    ask = text(client_for(world.principal).get(reverse("support:request_new", args=[world.school.code])))
    assert "Payroll" not in ask
    for user in (world.head, world.principal, world.viewer):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(edit).status_code == 404


def test_support_home_sends_each_person_to_their_page(world, client_for):
    url = reverse("support:request_home")
    assert client_for(world.principal).get(url).url == reverse("support:school_requests", args=[world.school.code])
    assert client_for(world.staff).get(url).url == reverse("support:request_queue")
    assert client_for(world.liaison).get(url).status_code == 404
