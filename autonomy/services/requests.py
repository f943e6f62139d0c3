"""Every write to autonomy requests: drafting, the review workflow and the decision.

Each transition is `check → lock → validate → write status and event → notify on commit`. The row is
re-read with select_for_update, so of two people acting at once exactly one wins; the other gets a
Conflict naming what happened.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from autonomy.models import (
    REVIEW_FUNCTIONS,
    AccountabilityModel,
    AutonomyRequest,
    CallForProposals,
    ClarifiedFlexibility,
    ItemDecision,
    Recommendation,
    RequestAnswer,
    RequestEvent,
    RequestItem,
    RequestRoute,
    RequestStatus,
    ReviewComment,
    TargetOutcome,
)
from autonomy.policies import (
    can_comment_on_request,
    can_decide_request,
    can_edit_request,
    can_start_request,
    can_take_request_action,
)
from autonomy.selectors import eligibility_for
from autonomy.services.grants import grants_issue
from autonomy.workflows import request_transition
from core.errors import ApplicationError, Conflict, NotPermitted
from core.notifications import notify
from metrics.models import PERIOD_PATTERN, Metric
from schools.models import School
from schools.selectors import principals_of, reviewers_for


def _check(decision) -> None:
    if not decision:
        raise NotPermitted(decision.reason)


def _check_action(actor, request: AutonomyRequest, action: str) -> None:
    """A step that is not open in the request's state is a conflict (somebody moved it); else ask the policy."""
    if request_transition(request.status, action) is None:
        raise Conflict(f"This request is {request.get_status_display().lower()}: that step is not open now.")
    _check(can_take_request_action(actor, request, action))


def _locked(request_id: int) -> AutonomyRequest:
    try:
        return AutonomyRequest.objects.select_for_update().select_related("school", "call").get(pk=request_id)
    except AutonomyRequest.DoesNotExist:
        raise ApplicationError("No such request.") from None


def _expect(request: AutonomyRequest, expected_status: str | None) -> None:
    if expected_status and request.status != expected_status:
        raise Conflict(
            f"Somebody acted on this request first: it is now {request.get_status_display().lower()}. "
            "Reload the page to see what changed."
        )


def _move(request: AutonomyRequest, *, actor, action: str, note: str = "") -> RequestEvent:
    transition = request_transition(request.status, action)
    if transition is None:
        raise Conflict(f"This request is {request.get_status_display().lower()}: that step is not open now.")
    previous = request.status
    request.status = transition.to
    request.save(update_fields=["status", "updated_at", "submitted_at", "decided_at", "decided_by", "decision_note"])
    return RequestEvent.objects.create(
        request=request, actor=actor, at=timezone.now(), action=action, from_status=previous,
        to_status=request.status, note=note,
    )


def _request_url(request: AutonomyRequest) -> str:
    return reverse("request_detail", args=[request.pk])


def _notify_school(request: AutonomyRequest, event: RequestEvent, title: str, body: str = "") -> None:
    notify(
        users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
        key=f"request:{request.pk}:event:{event.pk}",
        title=title,
        body=body,
        url=_request_url(request),
    )


# --- drafting ------------------------------------------------------------------------------------


def request_create(*, actor: AbstractBaseUser, school: School, call: CallForProposals) -> AutonomyRequest:
    _check(can_start_request(actor, school.pk))
    if call.closes_on < timezone.localdate():
        raise ApplicationError(
            f"The call “{call.title}” closed on {call.closes_on:%B %-d, %Y}.", fields={"call": ["This call is closed."]}
        )
    try:
        with transaction.atomic():
            request = AutonomyRequest.objects.create(school=school, call=call, created_by=actor)
            RequestEvent.objects.create(
                request=request, actor=actor, at=timezone.now(), action="create", to_status=RequestStatus.DRAFT
            )
    except IntegrityError:
        raise ApplicationError(
            "Your school already has an open request in this call: continue that one.",
            fields={"call": ["An open request exists for this call."]},
        ) from None
    return request


def _editable(actor, request_id: int) -> AutonomyRequest:
    request = _locked(request_id)
    _check(can_edit_request(actor, request))
    return request


def request_set_autonomies(*, actor: AbstractBaseUser, request_id: int, autonomy_ids: list[int]) -> AutonomyRequest:
    """Choose which of the call's autonomies to ask for; keeps what was written for those still chosen."""
    with transaction.atomic():
        request = _editable(actor, request_id)
        offered = set(request.call.autonomies.values_list("pk", flat=True))
        chosen = set(autonomy_ids)
        if not chosen:
            raise ApplicationError("Choose at least one autonomy.", fields={"autonomies": ["Choose at least one."]})
        if not chosen <= offered:
            raise ApplicationError(
                "The call does not offer one of the chosen autonomies.",
                fields={"autonomies": ["Choose among the autonomies this call offers."]},
            )
        request.items.exclude(autonomy_id__in=chosen).delete()
        existing = set(request.items.values_list("autonomy_id", flat=True))
        RequestItem.objects.bulk_create(
            RequestItem(request=request, autonomy_id=pk) for pk in sorted(chosen - existing)
        )
        request.save(update_fields=["updated_at"])
    return request


def request_update_items(
    *, actor: AbstractBaseUser, request_id: int, items: dict[int, dict[str, str]]
) -> AutonomyRequest:
    """Save each requested autonomy's justification and the barrier the school names (drafts may be partial)."""
    with transaction.atomic():
        request = _editable(actor, request_id)
        rows = {item.pk: item for item in request.items.all()}
        unknown = set(items) - set(rows)
        if unknown:
            raise ApplicationError("One of the items is not part of this request.", fields={"items": ["Unknown item."]})
        for pk, values in items.items():
            rows[pk].justification = values.get("justification", "").strip()
            rows[pk].barrier = values.get("barrier", "").strip()
        RequestItem.objects.bulk_update(rows.values(), ["justification", "barrier", "updated_at"])
        request.save(update_fields=["updated_at"])
    return request


def request_update_plan(
    *, actor: AbstractBaseUser, request_id: int, plan: str, answers: dict[int, str]
) -> AutonomyRequest:
    with transaction.atomic():
        request = _editable(actor, request_id)
        questions = set(request.call.questions.values_list("pk", flat=True))
        if set(answers) - questions:
            raise ApplicationError("An answer is for a question this call does not ask.", fields={"answers": ["Unknown."]})
        request.plan = plan.strip()
        request.save(update_fields=["plan", "updated_at"])
        for question_id, text in answers.items():
            RequestAnswer.objects.update_or_create(
                request=request, question_id=question_id, defaults={"text": text.strip()}
            )
    return request


@dataclass(frozen=True)
class OutcomeInput:
    metric: str  # metric code
    baseline: str
    target: str
    by_period: str


def _decimal(value: str, field: str, *, required: bool) -> Decimal | None:
    if not (value or "").strip():
        if required:
            raise ApplicationError(f"{field}: a number is required.", fields={field: ["Enter a number."]})
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ApplicationError(f"{field}: “{value}” is not a number.", fields={field: ["Enter a number."]}) from None
    if not number.is_finite():
        raise ApplicationError(f"{field}: enter a finite number.", fields={field: ["Enter a number."]})
    return number


def _range_text(metric: Metric) -> str:
    """A metric's range in plain words: "between 0 and 100", never Decimal's "1E+2"; either bound may be open."""
    low, high = (None if v is None else format(v.normalize(), "f") for v in (metric.min_value, metric.max_value))
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def request_set_outcomes(
    *, actor: AbstractBaseUser, request_id: int, outcomes: list[OutcomeInput]
) -> AutonomyRequest:
    """Replace the request's target outcomes; every row is checked before anything is saved."""
    metrics = {m.code: m for m in Metric.objects.all()}
    rows = []
    for index, outcome in enumerate(outcomes):
        prefix = f"outcomes-{index}"
        metric = metrics.get(outcome.metric)
        if metric is None:
            raise ApplicationError(
                f"Outcome {index + 1}: choose a metric from the catalog.", fields={f"{prefix}-metric": ["Unknown metric."]}
            )
        target = _decimal(outcome.target, f"{prefix}-target", required=True)
        baseline = _decimal(outcome.baseline, f"{prefix}-baseline", required=False)
        for label, number in (("target", target), ("baseline", baseline)):
            if number is None:
                continue
            if (metric.min_value is not None and number < metric.min_value) or (
                metric.max_value is not None and number > metric.max_value
            ):
                raise ApplicationError(
                    f"Outcome {index + 1}: the {label} must be {_range_text(metric)} for {metric.name}.",
                    fields={f"{prefix}-{label}": ["Out of range."]},
                )
        if not re.fullmatch(PERIOD_PATTERN, outcome.by_period or ""):
            raise ApplicationError(
                f"Outcome {index + 1}: write the period as a school year, e.g. 2027-28.",
                fields={f"{prefix}-by_period": ["Write it as 2027-28."]},
            )
        rows.append((metric, baseline, target, outcome.by_period))
    with transaction.atomic():
        request = _editable(actor, request_id)
        request.outcomes.all().delete()
        TargetOutcome.objects.bulk_create(
            TargetOutcome(request=request, metric=m, baseline=b, target=t, by_period=p) for m, b, t, p in rows
        )
        request.save(update_fields=["updated_at"])
    return request


def request_missing(*, request: AutonomyRequest) -> dict[str, list[str]]:
    """What the school still has to write before it can submit, by field."""
    missing: dict[str, list[str]] = {}
    items = list(request.items.all())
    if not items:
        missing["autonomies"] = ["Choose at least one autonomy."]
    for item in items:
        if not item.justification:
            missing[f"item-{item.pk}-justification"] = [f"Say why your school needs “{item.autonomy.name}”."]
    if not request.plan:
        missing["plan"] = ["Describe the school's plan."]
    answered = {a.question_id for a in request.answers.all() if a.text}
    for question in request.call.questions.all():
        if question.pk not in answered:
            missing[f"answer-{question.pk}"] = [f"Answer: {question.text}"]
    if not request.outcomes.exists():
        missing["outcomes"] = ["Add at least one measurable target outcome."]
    return missing


# --- the workflow -------------------------------------------------------------------------------


def request_submit(*, actor: AbstractBaseUser, request_id: int, expected_status: str | None = None) -> AutonomyRequest:
    with transaction.atomic():
        request = _locked(request_id)
        _expect(request, expected_status)
        _check_action(actor, request, "submit")
        today = timezone.localdate()
        if not request.call.is_open_on(today):
            raise ApplicationError(
                f"Proposals for “{request.call.title}” are taken from {request.call.opens_on:%B %-d} to "
                f"{request.call.closes_on:%B %-d, %Y}. Your draft is kept.",
                fields={"call": ["The call is not open today."]},
            )
        missing = request_missing(request=request)
        if missing:
            raise ApplicationError("The request is not complete yet.", fields=missing)
        request.submitted_at = timezone.now()
        event = _move(request, actor=actor, action="submit")
        functions = sorted({f for item in request.items.select_related("autonomy") for f in REVIEW_FUNCTIONS[item.autonomy.domain]})
        request.routes.all().delete()
        RequestRoute.objects.bulk_create(RequestRoute(request=request, function=f) for f in functions)
        notify(
            users=reviewers_for(functions=functions),
            key=f"request:{request.pk}:event:{event.pk}",
            title=f"New autonomy request from {request.school.name}",
            body=f"{request.school.name} submitted a request in “{request.call.title}”.",
            url=_request_url(request),
        )
    return request


def request_withdraw(*, actor: AbstractBaseUser, request_id: int, expected_status: str | None = None) -> AutonomyRequest:
    with transaction.atomic():
        request = _locked(request_id)
        _expect(request, expected_status)
        _check_action(actor, request, "withdraw")
        _move(request, actor=actor, action="withdraw")
    return request


def request_comment(
    *,
    actor: AbstractBaseUser,
    request_id: int,
    body: str,
    to_school: bool = False,
    recommendation: str = "",
    function: str = "",
) -> ReviewComment:
    """A reviewer's comment (internal or to the school) and optional recommendation; opens the review."""
    body = (body or "").strip()
    if not body:
        raise ApplicationError("Write a comment.", fields={"body": ["This field is required."]})
    if recommendation not in Recommendation.values:
        raise ApplicationError("Unknown recommendation.", fields={"recommendation": ["Choose one of the options."]})
    with transaction.atomic():
        request = _locked(request_id)
        _check(can_comment_on_request(actor, request))
        if request.status == RequestStatus.SUBMITTED:
            _move(request, actor=actor, action="review")
        comment = ReviewComment.objects.create(
            request=request, author=actor, function=function, body=body, to_school=to_school,
            recommendation=recommendation,
        )
        if to_school:
            notify(
                users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
                key=f"request:{request.pk}:comment:{comment.pk}",
                title=f"A reviewer commented on your request in “{request.call.title}”",
                body=body,
                url=_request_url(request),
            )
    return comment


def request_return(
    *, actor: AbstractBaseUser, request_id: int, note: str, expected_status: str | None = None
) -> AutonomyRequest:
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Say what the school should change.", fields={"note": ["This field is required."]})
    with transaction.atomic():
        request = _locked(request_id)
        _expect(request, expected_status)
        _check_action(actor, request, "return")
        event = _move(request, actor=actor, action="return", note=note)
        _notify_school(request, event, f"Your request in “{request.call.title}” was returned for changes", note)
    return request


def request_decline(
    *, actor: AbstractBaseUser, request_id: int, note: str, expected_status: str | None = None
) -> AutonomyRequest:
    note = (note or "").strip()
    if not note:
        raise ApplicationError("Give the school a reason.", fields={"note": ["This field is required."]})
    with transaction.atomic():
        request = _locked(request_id)
        _expect(request, expected_status)
        _check_action(actor, request, "decline")
        request.items.filter(decision=ItemDecision.PENDING).update(decision=ItemDecision.DECLINED, decision_note=note)
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note
        event = _move(request, actor=actor, action="decline", note=note)
        _notify_school(request, event, f"Your request in “{request.call.title}” was declined", note)
    return request


@dataclass(frozen=True)
class ItemChoice:
    decision: str  # approved | declined | clarified
    note: str = ""
    override_reason: str = ""


def request_decide(
    *,
    actor: AbstractBaseUser,
    request_id: int,
    choices: dict[int, ItemChoice],
    note: str = "",
    expected_status: str | None = None,
    starts_on: datetime.date | None = None,
) -> AutonomyRequest:
    """Approve some or all items (others declined or clarified); approved items become grants.

    An earned autonomy whose criteria do not hold is refused unless the admin records an override
    reason; the criteria evidence is stored on the item and on the grant either way.
    """
    with transaction.atomic():
        request = _locked(request_id)
        _expect(request, expected_status)
        _check(can_decide_request(actor, request))
        items = {item.pk: item for item in request.items.select_related("autonomy")}
        errors = _decision_errors(items, choices)
        if errors:
            raise ApplicationError("Some items need attention before the decision can be recorded.", fields=errors)
        checks = eligibility_for(
            school=request.school,
            autonomies=[i.autonomy for i in items.values() if i.autonomy.model == AccountabilityModel.EARNED],
        )
        errors = {}
        for pk, item in items.items():
            choice = choices[pk]
            evidence = [c.as_evidence() for c in checks.get(item.autonomy_id, [])]
            unmet = [c for c in checks.get(item.autonomy_id, []) if not c.holds]
            if choice.decision == ItemDecision.APPROVED and unmet and not choice.override_reason.strip():
                errors[f"item-{pk}-override_reason"] = [
                    f"“{item.autonomy.name}” is earned: {c.criterion} is required; the school's latest value is "
                    f"{c.value if c.value is not None else 'missing'}"
                    f"{f' ({c.period})' if c.period else ''}. Decline it, or record why you override."
                    for c in unmet
                ]
            item.decision = choice.decision
            item.decision_note = choice.note.strip()
            item.override_reason = choice.override_reason.strip() if choice.decision == ItemDecision.APPROVED else ""
            item.eligibility = {"criteria": evidence, "override": bool(item.override_reason)}
        if errors:
            raise ApplicationError("An earned autonomy's criteria do not hold.", fields=errors)
        RequestItem.objects.bulk_update(
            items.values(), ["decision", "decision_note", "override_reason", "eligibility", "updated_at"]
        )
        approved = [i for i in items.values() if i.decision == ItemDecision.APPROVED]
        for item in approved:
            grants_issue(
                schools=[request.school],
                autonomy=item.autonomy,
                actor=actor,
                reason=f"Approved request in “{request.call.title}”." + (f" {item.decision_note}" if item.decision_note else ""),
                starts_on=starts_on or timezone.localdate(),
                evidence={"request": request.pk, **item.eligibility},
                request_item=item,
            )
        for item in items.values():
            if item.decision == ItemDecision.CLARIFIED:
                _record_clarification(actor=actor, item=item, explanation=item.decision_note)
        action = "approve" if approved or any(i.decision == ItemDecision.CLARIFIED for i in items.values()) else "decline"
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note.strip()
        event = _move(request, actor=actor, action=action, note=note.strip())
        summary = ", ".join(f"{i.autonomy.name}: {i.get_decision_display().lower()}" for i in items.values())
        _notify_school(request, event, f"Decision on your request in “{request.call.title}”", summary)
    return request


def _decision_errors(items: dict[int, RequestItem], choices: dict[int, ItemChoice]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    allowed = {ItemDecision.APPROVED, ItemDecision.DECLINED, ItemDecision.CLARIFIED}
    for pk, item in items.items():
        choice = choices.get(pk)
        if choice is None or choice.decision not in allowed:
            errors[f"item-{pk}-decision"] = [f"Approve, decline or clarify “{item.autonomy.name}”."]
        elif choice.decision == ItemDecision.CLARIFIED and not choice.note.strip():
            errors[f"item-{pk}-note"] = ["Explain why no rule prevents this; every school will see it."]
    if set(choices) - set(items):
        errors["items"] = ["A decision names an item that is not part of this request."]
    return errors


def _record_clarification(*, actor, item: RequestItem, explanation: str) -> ClarifiedFlexibility:
    clarification, _ = ClarifiedFlexibility.objects.update_or_create(
        source_item=item,
        defaults={
            "autonomy": item.autonomy,
            "domain": item.autonomy.domain,
            "barrier": item.barrier or "(no barrier named)",
            "explanation": explanation,
            "clarified_by": actor,
        },
    )
    return clarification


def request_item_clarify(*, actor: AbstractBaseUser, item_id: int, explanation: str) -> RequestItem:
    """A reviewer answers a named barrier: no rule prevents this. The item closes as clarified."""
    explanation = (explanation or "").strip()
    if not explanation:
        raise ApplicationError("Explain why no rule prevents this.", fields={"explanation": ["This field is required."]})
    with transaction.atomic():
        item = RequestItem.objects.select_related("autonomy").get(pk=item_id)
        request = _locked(item.request_id)
        _check(can_comment_on_request(actor, request))
        item = RequestItem.objects.select_for_update().select_related("autonomy").get(pk=item_id)
        if item.decision != ItemDecision.PENDING:
            raise Conflict("This item has already been decided.")
        item.decision, item.decision_note = ItemDecision.CLARIFIED, explanation
        item.save(update_fields=["decision", "decision_note", "updated_at"])
        _record_clarification(actor=actor, item=item, explanation=explanation)
        if request.status == RequestStatus.SUBMITTED:
            _move(request, actor=actor, action="review")
    return item
