"""The request workflow through its services: the state table, rules across objects, notifications."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from autonomy.models import (
    Autonomy,
    AutonomyGrant,
    CallForProposals,
    ClarifiedFlexibility,
    EligibilityCriterion,
    ItemDecision,
    RequestEvent,
    RequestStatus,
)
from autonomy.services import (
    ItemChoice,
    OutcomeInput,
    call_create,
    request_comment,
    request_create,
    request_decide,
    request_decline,
    request_item_clarify,
    request_return,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
    request_withdraw,
)
from autonomy.workflows import REQUEST_WORKFLOW
from core.errors import ApplicationError, Conflict, NotPermitted
from core.models import Notification
from metrics.models import Metric, Observation
from schools.models import Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def people(school, make_member):
    return {
        "principal": make_member(Role.PRINCIPAL, school=school),
        "team": make_member(Role.SCHOOL_TEAM, school=school),
        "finance": make_member(Role.REVIEWER, function="finance"),
        "academics": make_member(Role.REVIEWER, function="academics"),
        "hr": make_member(Role.REVIEWER, function="hr"),
        "admin": make_member(Role.ADMIN),
    }


@pytest.fixture
def call(people):
    return call_create(
        actor=people["admin"],
        title="Spring 2027 call",
        opens_on=TODAY() - datetime.timedelta(days=5),
        closes_on=TODAY() + datetime.timedelta(days=30),
        autonomies=list(Autonomy.objects.filter(code__in=["money.budget", "program.curriculum", "people.hiring"])),
        questions=["How will you involve families?"],
    )


def _complete_draft(people, school, call, codes=("money.budget", "program.curriculum")):
    principal = people["principal"]
    request = request_create(actor=principal, school=school, call=call)
    ids = list(Autonomy.objects.filter(code__in=codes).values_list("pk", flat=True))
    request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=ids)
    request_update_items(
        actor=principal,
        request_id=request.pk,
        items={
            item.pk: {"justification": f"We need {item.autonomy.code}.", "barrier": "Board policy 3.4"}
            for item in request.items.all()
        },
    )
    question = call.questions.get()
    request_update_plan(actor=principal, request_id=request.pk, plan="Our plan.", answers={question.pk: "Monthly."})
    request_set_outcomes(
        actor=principal,
        request_id=request.pk,
        outcomes=[OutcomeInput(metric="ela_proficiency", baseline="41", target="47", by_period="2027-28")],
    )
    return request


def _finance_rating(school, value, period="2025-26"):
    Observation.objects.create(
        school=school, metric=Metric.objects.get(code="finance_rating"), period=period, value=Decimal(value)
    )


@pytest.fixture
def earned_budget():
    budget = Autonomy.objects.get(code="money.budget")
    EligibilityCriterion.objects.create(
        autonomy=budget, metric=Metric.objects.get(code="finance_rating"), comparator=">=", threshold=4
    )
    return budget


def test_every_transition_in_the_table_is_reachable_by_its_actor():
    # The table is the contract: every open state can be withdrawn, every review state decided.
    actions = {(t.source, t.action) for t in REQUEST_WORKFLOW.transitions}
    for state in (
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
        RequestStatus.UNDER_REVIEW,
        RequestStatus.CHANGES_REQUESTED,
    ):
        assert (state, "withdraw") in actions
    for state in (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW):
        assert {(state, "approve"), (state, "decline"), (state, "return")} <= actions
    assert not any(
        state in (RequestStatus.APPROVED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN) for state, _ in actions
    )


def test_full_walk_draft_submit_review_return_resubmit_decide(people, school, call, earned_budget):
    _finance_rating(school, "4")
    request = _complete_draft(people, school, call)
    request_submit(actor=people["principal"], request_id=request.pk)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert set(request.routes.values_list("function", flat=True)) == {"finance", "academics"}
    # Reviewers of the touched functions were told; HR was not.
    assert Notification.objects.filter(user=people["finance"]).count() == 1
    assert not Notification.objects.filter(user=people["hr"]).exists()

    request_comment(
        actor=people["finance"],
        request_id=request.pk,
        body="Show the budget.",
        to_school=True,
        recommendation="return",
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.UNDER_REVIEW
    request_return(actor=people["admin"], request_id=request.pk, note="Add the budget detail.")
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGES_REQUESTED and request.is_editable
    request_update_plan(actor=people["principal"], request_id=request.pk, plan="Our plan, with a budget.", answers={})
    request_submit(actor=people["principal"], request_id=request.pk)

    items = {item.autonomy.code: item for item in request.items.select_related("autonomy")}
    request_decide(
        actor=people["admin"],
        request_id=request.pk,
        choices={
            items["money.budget"].pk: ItemChoice("approved"),
            items["program.curriculum"].pk: ItemChoice("declined", note="Not this year."),
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    grant = AutonomyGrant.objects.get(school=school)
    assert grant.autonomy.code == "money.budget" and grant.status == "active"
    assert grant.evidence["criteria"][0]["holds"] is True
    actions = list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))
    assert actions == ["create", "submit", "review", "return", "submit", "approve"]
    titles = list(Notification.objects.filter(user=people["principal"]).values_list("title", flat=True))
    assert any("returned" in t for t in titles) and any("Decision" in t for t in titles)
    assert any("commented" in t for t in titles)


def test_earned_autonomy_refused_when_criteria_do_not_hold_naming_criterion_and_value(
    people, school, call, earned_budget
):
    _finance_rating(school, "2")
    request = _complete_draft(people, school, call, codes=("money.budget",))
    request_submit(actor=people["principal"], request_id=request.pk)
    item = request.items.get()
    with pytest.raises(ApplicationError) as refused:
        request_decide(actor=people["admin"], request_id=request.pk, choices={item.pk: ItemChoice("approved")})
    message = " ".join(refused.value.fields[f"items.{item.pk}.override_reason"])
    assert "Finance evaluation rating at least 4" in message and "2 (2025-26)" in message
    assert not AutonomyGrant.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_earned_autonomy_with_a_reasoned_override_is_recorded_as_such(people, school, call, earned_budget):
    request = _complete_draft(people, school, call, codes=("money.budget",))
    request_submit(actor=people["principal"], request_id=request.pk)
    item = request.items.get()
    request_decide(
        actor=people["admin"],
        request_id=request.pk,
        choices={item.pk: ItemChoice("approved", override_reason="New principal with a finance background.")},
    )
    item.refresh_from_db()
    assert item.override_reason and item.eligibility["override"] is True
    assert item.eligibility["criteria"][0]["value"] is None
    assert AutonomyGrant.objects.get().evidence["override"] is True


def test_clarified_barrier_closes_the_item_and_joins_the_public_list(people, school, call):
    request = _complete_draft(people, school, call, codes=("program.curriculum",))
    request_submit(actor=people["principal"], request_id=request.pk)
    item = request.items.get()
    request_item_clarify(actor=people["academics"], item_id=item.pk, explanation="Policy 3.4 allows supplements.")
    item.refresh_from_db()
    assert item.decision == ItemDecision.CLARIFIED
    flexibility = ClarifiedFlexibility.objects.get()
    assert flexibility.barrier == "Board policy 3.4" and flexibility.domain == "program"


def test_submit_outside_the_window_is_refused_with_the_dates_and_draft_kept(people, school, call):
    request = _complete_draft(people, school, call)
    CallForProposals.objects.filter(pk=call.pk).update(closes_on=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as refused:
        request_submit(actor=people["principal"], request_id=request.pk)
    assert "call" in refused.value.fields and "draft is kept" in refused.value.message
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


def test_submit_without_required_answers_names_each_missing_field(people, school, call):
    request = request_create(actor=people["principal"], school=school, call=call)
    with pytest.raises(ApplicationError) as refused:
        request_submit(actor=people["principal"], request_id=request.pk)
    assert {"autonomies", "plan", "outcomes"} <= set(refused.value.fields)
    assert any(key.startswith("answers.") for key in refused.value.fields)
    request.refresh_from_db()
    assert request.status == RequestStatus.DRAFT


@pytest.mark.parametrize(
    ("outcome", "field"),
    [
        (OutcomeInput("ela_proficiency", "40", "", "2027-28"), "outcomes.0.target"),
        (OutcomeInput("ela_proficiency", "40", "lots", "2027-28"), "outcomes.0.target"),
        (OutcomeInput("ela_proficiency", "40", "140", "2027-28"), "outcomes.0.target"),
        (OutcomeInput("no_such_metric", "40", "50", "2027-28"), "outcomes.0.metric"),
        (OutcomeInput("ela_proficiency", "x", "50", "2027-28"), "outcomes.0.baseline"),
        (OutcomeInput("ela_proficiency", "40", "50", "next year"), "outcomes.0.by_period"),
    ],
)
def test_bad_outcomes_are_refused_naming_the_field_and_nothing_saved(people, school, call, outcome, field):
    request = request_create(actor=people["principal"], school=school, call=call)
    good = OutcomeInput("math_proficiency", "30", "35", "2027-28")
    with pytest.raises(ApplicationError) as refused:
        request_set_outcomes(actor=people["principal"], request_id=request.pk, outcomes=[outcome, good])
    assert field in refused.value.fields
    assert not request.outcomes.exists()


def test_double_submit_makes_one_transition(people, school, call):
    request = _complete_draft(people, school, call)
    request_submit(actor=people["principal"], request_id=request.pk, expected_status="draft")
    with pytest.raises(Conflict):
        request_submit(actor=people["principal"], request_id=request.pk, expected_status="draft")
    assert RequestEvent.objects.filter(request=request, action="submit").count() == 1


def test_school_team_drafts_but_only_the_principal_submits(people, school, call):
    request = request_create(actor=people["team"], school=school, call=call)
    request_update_plan(actor=people["team"], request_id=request.pk, plan="Drafted by the team.", answers={})
    with pytest.raises(NotPermitted):
        request_submit(actor=people["team"], request_id=request.pk)


def test_nobody_reviews_or_decides_a_request_of_their_own_school(people, school, call, make_member):
    request = _complete_draft(people, school, call)
    request_submit(actor=people["principal"], request_id=request.pk)
    insider = make_member(Role.ADMIN)
    from tests.factories import MembershipFactory

    MembershipFactory(user=insider, role=Role.SCHOOL_TEAM, school=school)
    with pytest.raises(NotPermitted):
        request_comment(actor=insider, request_id=request.pk, body="Looks good", recommendation="approve")
    with pytest.raises(NotPermitted):
        request_decline(actor=insider, request_id=request.pk, note="No")


def test_a_reviewer_of_another_function_cannot_comment(people, school, call):
    request = _complete_draft(people, school, call, codes=("program.curriculum",))
    request_submit(actor=people["principal"], request_id=request.pk)
    with pytest.raises(NotPermitted):
        request_comment(actor=people["finance"], request_id=request.pk, body="Hmm")


def test_withdraw_from_any_open_state_and_never_after(people, school, call):
    request = _complete_draft(people, school, call)
    request_submit(actor=people["principal"], request_id=request.pk)
    request_withdraw(actor=people["principal"], request_id=request.pk)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(Conflict):
        request_withdraw(actor=people["principal"], request_id=request.pk)


def test_one_open_request_per_school_and_call(people, school, call):
    request_create(actor=people["principal"], school=school, call=call)
    with pytest.raises(ApplicationError) as refused:
        request_create(actor=people["principal"], school=school, call=call)
    assert "call" in refused.value.fields


def test_a_call_must_close_after_it_opens_and_offer_something(people):
    with pytest.raises(ApplicationError) as refused:
        call_create(
            actor=people["admin"],
            title="",
            opens_on=TODAY(),
            closes_on=TODAY() - datetime.timedelta(days=1),
            autonomies=[],
        )
    assert {"title", "closes_on", "autonomies"} <= set(refused.value.fields)
    assert not CallForProposals.objects.exists()


def test_notifications_are_not_duplicated_on_retry(people, school, call):
    from core.notifications import notify

    for _ in range(2):
        notify(users=[people["principal"]], key="request:1:event:9", title="Decision")
    assert Notification.objects.filter(user=people["principal"]).count() == 1


def test_a_request_cannot_ask_for_an_autonomy_the_school_already_holds(people, school, call, client):
    """Found: the request form offered autonomies the school already held."""
    from tests.factories import grant

    grant(school, "people.hiring")
    principal = people["principal"]
    request = request_create(actor=principal, school=school, call=call)
    hiring = Autonomy.objects.get(code="people.hiring")
    with pytest.raises(ApplicationError) as refused:
        request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=[hiring.pk])
    assert "already holds “Hire and dismiss staff”" in refused.value.fields["autonomies"][0]
    assert not request.items.exists()
    client.force_login(principal)
    page = client.get(reverse("autonomy:request_edit", args=[request.pk, "autonomies"])).content.decode()
    assert "your school already holds this decision" in page
    assert f'value="{hiring.pk}" id="autonomy-{hiring.pk}"' not in page
    budget = Autonomy.objects.get(code="money.budget")
    assert f'value="{budget.pk}" id="autonomy-{budget.pk}"' in page
