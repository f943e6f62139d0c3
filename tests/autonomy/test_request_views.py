"""The autonomy-request pages through the Django test client: the journey, who may do what, bad input,
double clicks and the cost of each page in queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import (
    Autonomy,
    AutonomyGrant,
    AutonomyRequest,
    CallForProposals,
    EligibilityCriterion,
    ItemDecision,
    RequestEvent,
    RequestStatus,
    ReviewComment,
    TargetOutcome,
)
from autonomy.services import request_comment
from core.models import Notification
from metrics.models import Metric, Observation
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _pk(code):
    return Autonomy.objects.get(code=code).pk


def _outcome_post(rows, initial=0):
    data = {"outcomes-TOTAL_FORMS": str(len(rows)), "outcomes-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"outcomes-{i}-{key}"] = value
    return data


def _edit(pk, step):
    return reverse("autonomy:request_edit", args=[pk, step])


def _action(pk, action):
    return reverse("autonomy:request_action", args=[pk, action])


@pytest.fixture
def people(school, make_member):
    return {
        "admin": make_member(Role.ADMIN),
        "principal": make_member(Role.PRINCIPAL, school=school),
        "finance": make_member(Role.REVIEWER, function="finance"),
        "academics": make_member(Role.REVIEWER, function="academics"),
    }


# --- 1. the whole journey -------------------------------------------------------------------------


def test_journey_from_call_to_grants(school, people, client_for, make_member):
    admin, principal = client_for(people["admin"]), client_for(people["principal"])
    finance, academics = client_for(people["finance"]), client_for(people["academics"])

    # The autonomy office opens a call.
    assert admin.get(reverse("autonomy:call_create")).status_code == 200
    response = admin.post(
        reverse("autonomy:call_create"),
        {
            "title": "Autonomy call 2026",
            "opens_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            "autonomies": [_pk("people.hiring"), _pk("money.budget"), _pk("program.curriculum")],
            "guidance": "Bold ideas welcome.",
            "questions": "How will you involve families?\n\nWho leads the work?\n",
        },
    )
    assert response.status_code == 302
    call = CallForProposals.objects.get(title="Autonomy call 2026")
    assert list(call.questions.values_list("text", flat=True)) == [
        "How will you involve families?",
        "Who leads the work?",
    ]

    # The principal sees it open and starts a draft.
    page = principal.get(reverse("autonomy:call_list")).content.decode()
    assert "Autonomy call 2026" in page and "Start a request" in page
    response = principal.post(reverse("autonomy:request_start", args=[call.pk]))
    request = AutonomyRequest.objects.get(school=school, call=call)
    assert response.url == _edit(request.pk, "autonomies")
    assert "Continue your request" in principal.get(reverse("autonomy:call_list")).content.decode()

    # Step 1: the autonomies, grouped by domain with their accountability model.
    page = principal.get(_edit(request.pk, "autonomies")).content.decode()
    assert 'aria-current="step"' in page and "<legend>Money</legend>" in page and "Earned" in page
    response = principal.post(
        _edit(request.pk, "autonomies"),
        {"autonomies": [_pk("money.budget"), _pk("program.curriculum")], "intent": "continue"},
    )
    assert response.url == _edit(request.pk, "reasons")
    items = {i.autonomy.code: i for i in request.items.select_related("autonomy")}
    budget, curriculum = items["money.budget"], items["program.curriculum"]

    # Step 2: reasons and barriers; "Save as draft" stays on the step.
    response = principal.post(
        _edit(request.pk, "reasons"),
        {
            f"items-{budget.pk}-justification": "Fund a reading interventionist.",
            f"items-{budget.pk}-barrier": "",
            f"items-{curriculum.pk}-justification": "Adopt a knowledge-rich ELA curriculum.",
            f"items-{curriculum.pk}-barrier": "Board policy 6.1 requires the district list.",
            "intent": "draft",
        },
    )
    assert response.url == _edit(request.pk, "reasons")
    budget.refresh_from_db()
    assert budget.justification == "Fund a reading interventionist."

    # Step 3: the plan and the call's questions.
    questions = list(call.questions.all())
    response = principal.post(
        _edit(request.pk, "plan"),
        {
            "plan": "Phase in over two years.",
            f"answers-{questions[0].pk}": "Family nights.",
            f"answers-{questions[1].pk}": "The ELA lead.",
            "intent": "continue",
        },
    )
    assert response.url == _edit(request.pk, "outcomes")

    # Step 4: measurable outcomes.
    response = principal.post(
        _edit(request.pk, "outcomes"),
        {
            **_outcome_post(
                [{"metric": "ela_proficiency", "baseline": "41.5", "target": "55", "by_period": "2027-28"}]
            ),
            "intent": "continue",
        },
    )
    assert response.url == _edit(request.pk, "review")
    assert TargetOutcome.objects.get(request=request).target == 55

    # Step 5: review shows nothing missing; submit.
    review = principal.get(_edit(request.pk, "review"))
    assert review.context["missing"] == []
    response = principal.post(_action(request.pk, "submit"), {"expected_status": "draft"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert set(request.routes.values_list("function", flat=True)) == {"finance", "academics"}
    # Read-only now: the steps send the principal to the request page.
    response = principal.get(_edit(request.pk, "plan"))
    assert response.status_code == 302 and response.url == reverse("autonomy:request_detail", args=[request.pk])

    # Reviewers find it in their queue; finance comments to the school and recommends.
    assert [r.pk for r in finance.get(reverse("autonomy:review_queue")).context["page"].object_list] == [request.pk]
    response = finance.post(
        reverse("autonomy:request_comment", args=[request.pk]),
        {
            "body": "Please show how the interventionist is funded after year 2.",
            "to_school": "on",
            "recommendation": "approve",
        },
    )
    assert response.status_code == 302
    academics.post(
        reverse("autonomy:request_comment", args=[request.pk]), {"body": "Internal: curriculum list is fine."}
    )
    row = finance.get(reverse("autonomy:review_queue")).context["page"].object_list[0]
    assert (row.comment_count, row.viewer_commented) == (2, True)
    request.refresh_from_db()
    assert request.status == RequestStatus.UNDER_REVIEW
    assert ReviewComment.objects.get(author=people["finance"]).function == "finance"

    # The school sees only the comment sent to it; central office sees both, the internal one marked.
    school_page = principal.get(reverse("autonomy:request_detail", args=[request.pk])).content.decode()
    assert "interventionist is funded" in school_page and "curriculum list is fine" not in school_page
    office_page = admin.get(reverse("autonomy:request_detail", args=[request.pk])).content.decode()
    assert "curriculum list is fine" in office_page and "Internal" in office_page
    # A viewer (a board member) reads what the school reads: the internal note stays with the reviewers.
    viewer = client_for(make_member(Role.VIEWER))
    board_page = viewer.get(reverse("autonomy:request_detail", args=[request.pk])).content.decode()
    assert "interventionist is funded" in board_page and "curriculum list is fine" not in board_page

    # The office returns it for changes; the principal edits and resubmits.
    response = admin.post(
        _action(request.pk, "return"),
        {"return-expected_status": "under_review", "return-note": "Explain year-3 funding."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGES_REQUESTED
    assert (
        "Explain year-3 funding."
        in principal.get(reverse("autonomy:request_detail", args=[request.pk])).content.decode()
    )
    response = principal.post(
        _edit(request.pk, "plan"),
        {
            "plan": "Phase in over two years; year 3 from the general fund.",
            f"answers-{questions[0].pk}": "Family nights.",
            f"answers-{questions[1].pk}": "The ELA lead.",
            "intent": "continue",
        },
    )
    assert response.status_code == 302
    assert principal.post(_action(request.pk, "submit"), {"expected_status": "changes_requested"}).status_code == 302

    # The office approves curriculum and declines budget.
    page = admin.get(reverse("autonomy:request_decide", args=[request.pk]))
    assert page.status_code == 200
    assert "Recommend approval" in page.content.decode()
    response = admin.post(
        reverse("autonomy:request_decide", args=[request.pk]),
        {
            "expected_status": "submitted",
            f"items-{curriculum.pk}-decision": "approved",
            f"items-{curriculum.pk}-note": "",
            f"items-{budget.pk}-decision": "declined",
            f"items-{budget.pk}-note": "Not this year.",
            f"items-{budget.pk}-override_reason": "",
            "note": "Good proposal.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert dict(request.items.values_list("autonomy__code", "decision")) == {
        "money.budget": ItemDecision.DECLINED,
        "program.curriculum": ItemDecision.APPROVED,
    }
    assert list(AutonomyGrant.objects.filter(school=school).values_list("autonomy__code", flat=True)) == [
        "program.curriculum"
    ]
    rights = principal.get(reverse("autonomy:school_detail", args=[school.code])).context["rows"]
    held = {right.autonomy.code for row in rights for right in row.rights if right.held}
    assert held == {"program.curriculum"}
    assert Notification.objects.filter(user=people["principal"]).count() >= 3  # comment, return, decision
    assert Notification.objects.filter(user=people["principal"], title__startswith="Decision on").exists()
    actions = list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))
    assert actions == ["create", "submit", "review", "return", "submit", "approve"]


# --- 2. authorization -----------------------------------------------------------------------------


@pytest.fixture
def submitted(school, people):
    call = CallFactory(created_by=people["admin"])
    return complete_request(
        principal=people["principal"], school=school, call=call, codes=("program.curriculum",), submit=True
    )


def test_principal_of_another_school_gets_404_everywhere(submitted, other_school, make_member, client_for):
    client = client_for(make_member(Role.PRINCIPAL, school=other_school))
    pk = submitted.pk
    item = submitted.items.get()
    assert client.get(reverse("autonomy:request_detail", args=[pk])).status_code == 404
    assert client.get(_edit(pk, "plan")).status_code == 404
    assert client.get(reverse("autonomy:request_decide", args=[pk])).status_code == 404
    for action in ("submit", "withdraw", "return", "decline"):
        assert client.post(_action(pk, action), {"expected_status": "submitted"}).status_code == 404
    assert client.post(reverse("autonomy:request_comment", args=[pk]), {"body": "x"}).status_code == 404
    assert (
        client.post(reverse("autonomy:request_item_clarify", args=[pk, item.pk]), {"explanation": "x"}).status_code
        == 404
    )
    assert pk not in [r.pk for r in client.get(reverse("autonomy:request_list")).context["page"].object_list]
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_reviewer_of_an_unrouted_function_gets_404(submitted, people, client_for):
    client = client_for(people["finance"])  # curriculum routes to academics only
    assert client.get(reverse("autonomy:request_detail", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("autonomy:request_comment", args=[submitted.pk]), {"body": "x"}).status_code == 404
    assert client.get(reverse("autonomy:review_queue")).context["page"].paginator.count == 0
    assert (
        client_for(people["academics"]).get(reverse("autonomy:request_detail", args=[submitted.pk])).status_code == 200
    )


def test_reviewer_cannot_decide_return_or_decline(submitted, people, client_for):
    client = client_for(people["academics"])
    response = client.get(reverse("autonomy:request_decide", args=[submitted.pk]))
    assert response.status_code == 403
    assert "Only the autonomy office decides requests." in response.content.decode()
    item = submitted.items.get()
    assert (
        client.post(
            reverse("autonomy:request_decide", args=[submitted.pk]),
            {"expected_status": "submitted", f"items-{item.pk}-decision": "approved"},
        ).status_code
        == 403
    )
    for action in ("return", "decline"):
        response = client.post(
            _action(submitted.pk, action), {f"{action}-expected_status": "submitted", f"{action}-note": "no"}
        )
        assert response.status_code == 403
    page = client.get(reverse("autonomy:request_detail", args=[submitted.pk])).content.decode()
    assert "Decide item by item" not in page and "Return to the school" not in page
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED
    assert not AutonomyGrant.objects.exists()


@pytest.mark.parametrize("school_role", [Role.PRINCIPAL, Role.SCHOOL_TEAM])
def test_nobody_at_the_school_recommends_or_decides_on_its_request(submitted, school, people, client_for, school_role):
    # Somebody of the school who is also in the autonomy office and an academics reviewer.
    insider = people["principal"] if school_role == Role.PRINCIPAL else UserFactory()
    if school_role == Role.SCHOOL_TEAM:
        MembershipFactory(user=insider, role=Role.SCHOOL_TEAM, school=school)
    MembershipFactory(user=insider, role=Role.ADMIN)
    MembershipFactory(user=insider, role=Role.REVIEWER, function="academics")
    client = client_for(insider)
    response = client.post(
        reverse("autonomy:request_comment", args=[submitted.pk]), {"body": "Looks great", "recommendation": "approve"}
    )
    assert response.status_code == 403
    assert "You work at this school" in response.content.decode()
    item = submitted.items.get()
    assert client.get(reverse("autonomy:request_decide", args=[submitted.pk])).status_code == 403
    response = client.post(
        reverse("autonomy:request_decide", args=[submitted.pk]),
        {"expected_status": "submitted", f"items-{item.pk}-decision": "approved"},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("autonomy:request_item_clarify", args=[submitted.pk, item.pk]),
            {f"clarify-{item.pk}-explanation": "Allowed."},
        ).status_code
        == 403
    )
    assert client.get(reverse("autonomy:review_queue")).context["page"].paginator.count == 0
    assert not ReviewComment.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_school_team_may_draft_but_only_the_principal_submits(school, people, make_member, client_for):
    call = CallFactory(created_by=people["admin"])
    request = complete_request(principal=people["principal"], school=school, call=call)
    team = client_for(make_member(Role.SCHOOL_TEAM, school=school))
    assert team.get(_edit(request.pk, "plan")).status_code == 200
    review = team.get(_edit(request.pk, "review")).content.decode()
    assert "Only the school&#x27;s principal can do this." in review
    response = team.post(_action(request.pk, "submit"), {"expected_status": "draft"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


def test_drafts_stay_with_the_school(school, people, client_for):
    call = CallFactory(created_by=people["admin"])
    draft = complete_request(principal=people["principal"], school=school, call=call)
    assert client_for(people["admin"]).get(reverse("autonomy:request_detail", args=[draft.pk])).status_code == 404


def test_only_the_autonomy_office_opens_calls_and_only_reviewers_see_the_queue(school, people, client_for):
    principal = client_for(people["principal"])
    assert principal.get(reverse("autonomy:call_create")).status_code == 404
    assert principal.post(reverse("autonomy:call_create"), {"title": "x"}).status_code == 404
    assert client_for(people["finance"]).get(reverse("autonomy:call_create")).status_code == 404
    assert principal.get(reverse("autonomy:review_queue")).status_code == 404
    assert not CallForProposals.objects.exists()


def test_a_reviewer_cannot_start_a_request(people, client_for):
    call = CallFactory(created_by=people["admin"])
    response = client_for(people["finance"]).post(reverse("autonomy:request_start", args=[call.pk]))
    assert response.status_code == 403
    assert not AutonomyRequest.objects.exists()


def test_reviewer_clarifies_a_barrier(submitted, people, client_for):
    item = submitted.items.get()
    client = client_for(people["academics"])
    url = reverse("autonomy:request_item_clarify", args=[submitted.pk, item.pk])
    response = client.post(url, {f"clarify-{item.pk}-explanation": ""})
    assert response.status_code == 400
    response = client.post(
        url, {f"clarify-{item.pk}-explanation": "Schools may pick any curriculum on the state list."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == ItemDecision.CLARIFIED
    # A second click on the same (now closed) item is told somebody acted first.
    response = client.post(url, {f"clarify-{item.pk}-explanation": "Again."})
    assert response.status_code == 409


# --- 3. bad input is refused, with the field named, and nothing saved ------------------------------


@pytest.fixture
def draft(school, people):
    call = CallFactory(created_by=people["admin"], questions=["How will you involve families?"])
    return complete_request(principal=people["principal"], school=school, call=call)


def test_submit_without_required_answers_names_what_is_missing(draft, people, client_for):
    draft.answers.update(text="")
    response = client_for(people["principal"]).post(_action(draft.pk, "submit"), {"expected_status": "draft"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The request is not complete yet." in html
    assert "Answer: How will you involve families?" in html
    assert _edit(draft.pk, "plan") in html  # each missing thing links to its step
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT
    assert not RequestEvent.objects.filter(request=draft, action="submit").exists()


def test_outcome_without_a_target_is_refused(draft, people, client_for):
    response = client_for(people["principal"]).post(
        _edit(draft.pk, "outcomes"),
        {
            **_outcome_post([{"metric": "ela_proficiency", "baseline": "40", "target": "", "by_period": "2027-28"}]),
            "intent": "draft",
        },
    )
    assert response.status_code == 400
    formset = response.context["form"]
    assert formset.forms[0].errors["target"] == ["This field is required."]
    html = response.content.decode()
    assert "Outcome 1, target: This field is required." in html
    assert 'aria-describedby="id_outcomes-0-target_error"' in html
    assert list(TargetOutcome.objects.filter(request=draft).values_list("target", flat=True)) == [55]


def test_target_that_is_not_a_number_is_refused(draft, people, client_for):
    response = client_for(people["principal"]).post(
        _edit(draft.pk, "outcomes"),
        {
            **_outcome_post(
                [
                    {"metric": "math_proficiency", "baseline": "", "target": "sixty", "by_period": "2027-28"},
                ]
            ),
            "intent": "continue",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].forms[0].errors["target"] == ["Enter a number."]
    assert "Outcome 1, target: Enter a number." in response.content.decode()
    assert not TargetOutcome.objects.filter(request=draft, metric__code="math_proficiency").exists()


def test_target_out_of_the_metric_range_is_refused_by_the_service(draft, people, client_for):
    response = client_for(people["principal"]).post(
        _edit(draft.pk, "outcomes"),
        {
            **_outcome_post(
                [
                    {"metric": "ela_proficiency", "baseline": "40", "target": "55", "by_period": "2027-28"},
                    {"metric": "math_proficiency", "baseline": "", "target": "150", "by_period": "2027-28"},
                ],
                initial=1,
            ),
            "intent": "draft",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].forms[1].errors["target"] == ["Out of range."]
    assert "Outcome 2: the target 150 is outside Proficiency in math" in response.content.decode()
    assert TargetOutcome.objects.filter(request=draft).count() == 1


def test_submit_after_the_call_closed_is_refused_with_the_dates(draft, people, client_for):
    CallForProposals.objects.filter(pk=draft.call_id).update(
        opens_on=TODAY() - datetime.timedelta(days=30), closes_on=TODAY() - datetime.timedelta(days=1)
    )
    response = client_for(people["principal"]).post(_action(draft.pk, "submit"), {"expected_status": "draft"})
    assert response.status_code == 400
    closes = TODAY() - datetime.timedelta(days=1)
    assert f"{closes:%B} {closes.day}, {closes.year}. Your draft is kept." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_choosing_no_autonomy_is_refused(draft, people, client_for):
    response = client_for(people["principal"]).post(_edit(draft.pk, "autonomies"), {"intent": "draft"})
    assert response.status_code == 400
    assert "Choose at least one." in response.content.decode()
    assert draft.items.count() == 1


def test_call_that_closes_before_it_opens_is_refused(people, client_for):
    response = client_for(people["admin"]).post(
        reverse("autonomy:call_create"),
        {
            "title": "Backwards",
            "opens_on": "2026-09-10",
            "closes_on": "2026-09-01",
            "autonomies": [_pk("program.curriculum")],
        },
    )
    assert response.status_code == 400
    assert "Closes on: The call must close on or after the day it opens." in response.content.decode()
    assert not CallForProposals.objects.exists()


def test_approving_an_unmet_earned_autonomy_needs_an_override_reason(school, people, client_for):
    finance_rating = Metric.objects.get(code="finance_rating")
    EligibilityCriterion.objects.create(
        autonomy=Autonomy.objects.get(code="money.budget"), metric=finance_rating, comparator=">=", threshold=4
    )
    Observation.objects.create(school=school, metric=finance_rating, period="2025-26", value=3)
    call = CallFactory(created_by=people["admin"])
    request = complete_request(
        principal=people["principal"], school=school, call=call, codes=("money.budget",), submit=True
    )
    item = request.items.get()
    admin = client_for(people["admin"])
    page = admin.get(reverse("autonomy:request_decide", args=[request.pk]))
    checks = page.context["rows"][0][2]
    assert page.context["rows"][0][3] is True  # unmet: the override reason is asked for
    assert [(c.value, c.period, c.holds) for c in checks] == [("3", "2025-26", False)]
    data = {
        "expected_status": "submitted",
        f"items-{item.pk}-decision": "approved",
        f"items-{item.pk}-note": "",
        f"items-{item.pk}-override_reason": "",
    }
    response = admin.post(reverse("autonomy:request_decide", args=[request.pk]), data)
    assert response.status_code == 400
    assert "is earned: Finance evaluation rating at least 4 is required" in response.content.decode()
    assert response.context["form"].errors[f"items-{item.pk}-override_reason"]
    assert not AutonomyGrant.objects.exists()
    data[f"items-{item.pk}-override_reason"] = "New business manager; audit clean."
    assert admin.post(reverse("autonomy:request_decide", args=[request.pk]), data).status_code == 302
    assert AutonomyGrant.objects.get(school=school).autonomy.code == "money.budget"


# --- 4. double clicks ------------------------------------------------------------------------------


def test_double_submit_makes_one_transition_and_one_conflict(draft, people, client_for):
    client = client_for(people["principal"])
    first = client.post(_action(draft.pk, "submit"), {"expected_status": "draft"})
    second = client.post(_action(draft.pk, "submit"), {"expected_status": "draft"})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "Somebody acted on this request first" in second.content.decode()
    assert RequestEvent.objects.filter(request=draft, action="submit").count() == 1


def test_two_decisions_at_once_make_one_and_a_conflict(submitted, people, client_for, make_member):
    item = submitted.items.get()
    data = {"expected_status": "submitted", f"items-{item.pk}-decision": "approved", f"items-{item.pk}-note": ""}
    first = client_for(people["admin"]).post(reverse("autonomy:request_decide", args=[submitted.pk]), data)
    second = client_for(make_member(Role.ADMIN)).post(
        _action(submitted.pk, "decline"), {"decline-expected_status": "submitted", "decline-note": "No."}
    )
    assert (first.status_code, second.status_code) == (302, 409)
    assert "Somebody acted on this request first: it is now approved." in second.content.decode()
    assert AutonomyGrant.objects.count() == 1


# --- 5. query counts do not grow with the rows -----------------------------------------------------


def _submitted_requests(count, admin, codes=("money.budget",)):
    call = CallFactory(created_by=admin)
    requests = []
    for _ in range(count):
        school = SchoolFactory()
        principal = UserFactory()
        MembershipFactory(user=principal, role=Role.PRINCIPAL, school=school)
        requests.append(complete_request(principal=principal, school=school, call=call, codes=codes, submit=True))
    return requests


def test_review_queue_query_count(people, client_for, django_assert_num_queries):
    client = client_for(people["finance"])
    for request in _submitted_requests(2, people["admin"]):
        request_comment(actor=people["finance"], request_id=request.pk, body="Seen.", function="finance")
    client.get(reverse("autonomy:review_queue"))  # warm: session, roles and unread count are cached from here on
    # user, count, page rows, items with autonomies
    with django_assert_num_queries(4):
        assert client.get(reverse("autonomy:review_queue")).context["page"].paginator.count == 2
    _submitted_requests(18, people["admin"], codes=("money.budget", "people.hiring"))
    client.get(reverse("autonomy:review_queue"))  # the new requests notified the reviewer: re-cache the unread count
    with django_assert_num_queries(4):
        assert client.get(reverse("autonomy:review_queue")).context["page"].paginator.count == 20


def test_request_detail_query_count(people, client_for, django_assert_num_queries):
    request = _submitted_requests(2, people["admin"])[0]
    url = reverse("autonomy:request_detail", args=[request.pk])
    client = client_for(people["admin"])
    request_comment(actor=people["finance"], request_id=request.pk, body="One", to_school=True, function="finance")
    client.get(url)  # warm: session, roles and unread count are cached from here on
    # user, request, items, questions, answers, outcomes, events, routes, comments
    with django_assert_num_queries(9):
        client.get(url)
    _submitted_requests(18, people["admin"])
    for n in range(10):
        request_comment(actor=people["finance"], request_id=request.pk, body=f"More {n}", function="finance")
    client.get(url)  # re-cache what the new requests and comments cleared
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["comments"]) == 11


def test_request_list_query_count(people, client_for, django_assert_num_queries):
    client = client_for(people["admin"])
    _submitted_requests(2, people["admin"])
    client.get(reverse("autonomy:request_list"))  # warm: session, roles and unread count are cached from here on
    # user, count, page rows, calls for the filter
    with django_assert_num_queries(4):
        assert client.get(reverse("autonomy:request_list")).context["page"].paginator.count == 2
    _submitted_requests(18, people["admin"])
    client.get(reverse("autonomy:request_list"))  # re-cache what the new requests cleared
    with django_assert_num_queries(4):
        assert client.get(reverse("autonomy:request_list")).context["page"].paginator.count == 20


def test_school_request_list_query_count(school, people, client_for, django_assert_num_queries):
    client = client_for(people["principal"])
    calls = CallFactory.create_batch(2, created_by=people["admin"])
    complete_request(principal=people["principal"], school=school, call=calls[0])
    client.get(reverse("autonomy:request_list"))  # warm: session, roles and unread count are cached from here on
    # user, count, rows, calls, offered autonomies, open requests, schools
    with django_assert_num_queries(7):
        response = client.get(reverse("autonomy:request_list"))
    assert len(response.context["board"].open) == 2
    for call in CallFactory.create_batch(18, created_by=people["admin"]):
        complete_request(principal=people["principal"], school=school, call=call)
    client.get(reverse("autonomy:request_list"))  # re-cache what the new requests cleared
    with django_assert_num_queries(7):
        response = client.get(reverse("autonomy:request_list"))
    assert response.context["page"].paginator.count == 19


# --- smaller behaviours ----------------------------------------------------------------------------


def test_request_list_filters_by_status_and_call_and_answers_htmx_with_the_table(people, client_for):
    requests = _submitted_requests(3, people["admin"])
    other_call = CallFactory(created_by=people["admin"])
    client = client_for(people["admin"])
    response = client.get(reverse("autonomy:request_list"), {"status": "submitted", "call": other_call.pk})
    assert response.context["page"].paginator.count == 0
    response = client.get(reverse("autonomy:request_list"), {"call": requests[0].call_id}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="request-table"') and "<html" not in html
    assert response.context["page"].paginator.count == 3


def test_withdraw_closes_the_request(draft, people, client_for):
    client = client_for(people["principal"])
    assert client.post(_action(draft.pk, "withdraw"), {"expected_status": "draft"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RequestStatus.WITHDRAWN
    assert client.get(_edit(draft.pk, "plan")).status_code == 302


def test_unknown_step_or_action_is_404(draft, people, client_for):
    client = client_for(people["principal"])
    assert client.get(_edit(draft.pk, "budget")).status_code == 404
    assert client.post(_action(draft.pk, "approve"), {"expected_status": "draft"}).status_code == 404


def test_return_without_a_note_is_refused_next_to_the_field(submitted, people, client_for):
    response = client_for(people["admin"]).post(
        _action(submitted.pk, "return"), {"return-expected_status": "submitted", "return-note": ""}
    )
    assert response.status_code == 400
    assert 'id="id_return-note_error"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_starting_twice_in_a_call_is_refused(draft, people, client_for):
    response = client_for(people["principal"]).post(reverse("autonomy:request_start", args=[draft.call_id]))
    assert response.status_code == 400
    assert "already has an open request" in response.content.decode()
    assert AutonomyRequest.objects.count() == 1
