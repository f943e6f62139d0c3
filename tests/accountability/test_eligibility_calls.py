"""Inviting a newly eligible school leads somewhere: through a call open today that offers the autonomy,
named in the invitation and linked; where no open call offers it, the invitation is refused, and the page
offers the autonomy office a call with the autonomy already chosen instead of the Invite button."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import EligibilityFinding
from accountability.services import eligibility_invite, evaluation_run
from autonomy.models import Autonomy, EligibilityCriterion
from core.errors import Conflict
from core.models import Notification
from metrics.models import Metric
from schools.models import Role
from tests.accountability.builders import AS_OF, observe, school_years
from tests.autonomy.factories import CallFactory
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

NO_CALL = "No open call offers “Set the salary budget line” yet: open one first"


@pytest.fixture
def found(make_member):
    """A school newly eligible for `money.salary` (a finance rating of at least 4), with its principal."""
    school_years()
    EligibilityCriterion.objects.create(
        autonomy=Autonomy.objects.get(code="money.salary"),
        metric=Metric.objects.get(code="finance_rating"),
        comparator=">=",
        threshold=4,
    )
    school = SchoolFactory(name="Cedar Elementary")
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school).user
    observe(school, "2026-27", "5", metric="finance_rating")
    evaluation_run(as_of=AS_OF)
    return {
        "finding": EligibilityFinding.objects.get(school=school),
        "principal": principal,
        "admin": make_member(Role.ADMIN, first_name="Ada", last_name="Office"),
    }


def _page(client_for, user) -> str:
    return client_for(user).get(reverse("accountability:eligibility_findings")).content.decode()


def test_the_invitation_names_the_open_call_and_links_to_starting_a_request_in_it(
    found, client_for, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    CallFactory(offers=["money.salary"], title="Earlier close", closes_on=today + datetime.timedelta(days=3))
    call = CallFactory(offers=["money.salary"], title="Spring requests", closes_on=today + datetime.timedelta(days=40))
    CallFactory(offers=["program.curriculum"], title="Curriculum only")
    CallFactory(  # closed yesterday: not a way in
        offers=["money.salary"],
        title="Closed call",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
    )
    page = _page(client_for, found["admin"])
    assert f'<a href="{reverse("autonomy:call_list")}#call-{call.pk}">Spring requests</a>' in page
    assert reverse("accountability:eligibility_invite", args=[found["finding"].pk]) in page
    assert "No open call offers this yet" not in page

    with django_capture_on_commit_callbacks(execute=True):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    (note,) = Notification.objects.filter(user=found["principal"])
    assert f"You are invited to request it in the call “Spring requests”, open until {call.closes_on:%B %-d, %Y}" in (
        note.body
    )
    assert "Finance evaluation rating at least 4: 5 in 2026-27 (met)." in note.body
    assert note.url == f"{reverse('autonomy:call_list')}#call-{call.pk}"
    # the link lands on the call, whose card has the start form for the principal's school
    board = client_for(found["principal"]).get(reverse("autonomy:call_list")).content.decode()
    start = board.index(f'id="call-{call.pk}"')
    assert reverse("autonomy:request_start", args=[call.pk]) in board[start:]


def test_without_an_open_call_the_invitation_is_refused_and_the_page_offers_to_open_one(found, client_for):
    CallFactory(offers=["money.salary"], opens_on=timezone.localdate() + datetime.timedelta(days=5))  # not yet open
    with pytest.raises(Conflict, match=NO_CALL):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    assert EligibilityFinding.objects.get().invited_at is None and not Notification.objects.exists()

    page = _page(client_for, found["admin"])
    assert "No open call offers this yet: open one first." in page
    assert "None open today" in page
    assert f"{reverse('autonomy:call_create')}?autonomy=money.salary" in page
    assert "Open a call offering “Set the salary budget line”" in page
    assert reverse("accountability:eligibility_invite", args=[found["finding"].pk]) not in page  # no Invite button

    response = client_for(found["admin"]).post(reverse("accountability:eligibility_invite", args=[found["finding"].pk]))
    assert response.status_code == 409 and NO_CALL in response.content.decode()


def test_the_call_page_chooses_the_autonomy_named_in_the_link(found, client_for):
    salary = Autonomy.objects.get(code="money.salary")
    html = client_for(found["admin"]).get(reverse("autonomy:call_create") + "?autonomy=money.salary").content.decode()
    assert f'value="{salary.pk}" id="offer-{salary.pk}" checked' in html
    assert html.count(" checked") == 1
    assert "“Set the salary budget line” is chosen below" in html
    plain = client_for(found["admin"]).get(reverse("autonomy:call_create")).content.decode()
    assert f'id="offer-{salary.pk}" checked' not in plain


def test_an_unknown_autonomy_code_is_refused_naming_the_field(found, client_for):
    response = client_for(found["admin"]).get(reverse("autonomy:call_create") + "?autonomy=no.such")
    assert response.status_code == 400
    assert "Autonomies this call offers: no autonomy in the catalog has that code" in response.content.decode()


def test_once_a_call_is_opened_the_school_can_be_invited(found, client_for):
    with pytest.raises(Conflict):
        eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    CallFactory(offers=["money.salary"], title="Opened after")
    eligibility_invite(actor=found["admin"], finding_id=found["finding"].pk)
    assert EligibilityFinding.objects.get().invited_by == found["admin"]
