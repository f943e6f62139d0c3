"""The request after the school submits it: review, return, decision, withdrawal."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from autonomy.models import (
    REVIEW_FUNCTIONS,
    AccountabilityModel,
    AutonomyRequest,
    ClarifiedFlexibility,
    ItemDecision,
    Recommendation,
    RequestItem,
    RequestRoute,
    RequestStatus,
    ReviewComment,
)
from autonomy.policies import (
    can_comment_on_request,
)
from autonomy.selectors_eligibility import eligibility_for
from autonomy.services.grants import grants_issue
from autonomy.services.request_drafting import request_missing
from autonomy.services.request_steps import (
    notify_school_of_step,
    request_check,
    request_lock,
    request_step,
    request_url,
)
from core.errors import ApplicationError, Conflict
from core.limits import LONG_TEXT, NOTE_TEXT
from core.notifications import notify
from core.policies import require
from core.workflows import limited_text, required_text
from schools.selectors import principals_of, reviewers_for


def request_submit(*, actor: AbstractBaseUser, request_id: int, expected_status: str | None = None) -> AutonomyRequest:
    with transaction.atomic():
        request = request_lock(request_id)
        request_check(request, actor=actor, action="submit", expected_status=expected_status)
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
        event = request_step(request, actor=actor, action="submit", fields=["submitted_at"])
        functions = sorted(
            {f for item in request.items.select_related("autonomy") for f in REVIEW_FUNCTIONS[item.autonomy.domain]}
        )
        request.routes.all().delete()
        RequestRoute.objects.bulk_create(RequestRoute(request=request, function=f) for f in functions)
        notify(
            users=reviewers_for(functions=functions),
            key=f"request:{request.pk}:event:{event.pk}",
            title=f"New autonomy request from {request.school.name}",
            body=f"{request.school.name} submitted a request in “{request.call.title}”.",
            url=request_url(request),
        )
    return request


def request_withdraw(
    *, actor: AbstractBaseUser, request_id: int, expected_status: str | None = None
) -> AutonomyRequest:
    with transaction.atomic():
        request = request_lock(request_id)
        request_step(request, actor=actor, action="withdraw", expected_status=expected_status)
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
    body = required_text(body, field="body", message="Write a comment.", max_length=LONG_TEXT)
    if recommendation not in Recommendation.values:
        raise ApplicationError("Unknown recommendation.", fields={"recommendation": ["Choose one of the options."]})
    with transaction.atomic():
        request = request_lock(request_id)
        require(can_comment_on_request(actor, request))
        if request.status == RequestStatus.SUBMITTED:
            request_step(request, actor=actor, action="review")
        comment = ReviewComment.objects.create(
            request=request,
            author=actor,
            function=function,
            body=body,
            to_school=to_school,
            recommendation=recommendation,
        )
        if to_school:
            notify(
                users=principals_of(school_ids=[request.school_id]).get(request.school_id, []),
                key=f"request:{request.pk}:comment:{comment.pk}",
                title=lambda: _("A reviewer commented on your request in “%(call)s”") % {"call": request.call.title},
                body=body,
                url=request_url(request),
            )
    return comment


def request_return(
    *, actor: AbstractBaseUser, request_id: int, note: str, expected_status: str | None = None
) -> AutonomyRequest:
    note = required_text(note, field="note", message="Say what the school should change.", max_length=NOTE_TEXT)
    with transaction.atomic():
        request = request_lock(request_id)
        event = request_step(request, actor=actor, action="return", reason=note, expected_status=expected_status)
        notify_school_of_step(
            request,
            event,
            lambda: _("Your request in “%(call)s” was returned for changes") % {"call": request.call.title},
            note,
        )
    return request


def request_decline(
    *, actor: AbstractBaseUser, request_id: int, note: str, expected_status: str | None = None
) -> AutonomyRequest:
    note = required_text(note, field="note", message="Give the school a reason.", max_length=NOTE_TEXT)
    with transaction.atomic():
        request = request_lock(request_id)
        request_check(request, actor=actor, action="decline", expected_status=expected_status)
        request.items.filter(decision=ItemDecision.PENDING).update(decision=ItemDecision.DECLINED, decision_note=note)
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note
        event = request_step(request, actor=actor, action="decline", reason=note, fields=DECIDED)
        notify_school_of_step(
            request, event, lambda: _("Your request in “%(call)s” was declined") % {"call": request.call.title}, note
        )
    return request


DECIDED = ["decided_at", "decided_by", "decision_note"]


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
        request = request_lock(request_id)
        request_check(request, actor=actor, action="approve", expected_status=expected_status)
        items = {item.pk: item for item in request.items.select_related("autonomy")}
        errors = _decision_errors(items, choices)
        if errors:
            raise ApplicationError("Some items need attention before the decision can be recorded.", fields=errors)
        with translation.override(settings.LANGUAGE_CODE):  # the evidence kept is in the site's language
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
                errors[f"items.{pk}.override_reason"] = [
                    f"“{item.autonomy.name}” is earned: {c.criterion} is required; the school's latest value is "
                    f"{c.value if c.value is not None else 'missing'}"
                    f"{f' ({c.period})' if c.period else ''}. Decline it, or record why you override."
                    for c in unmet
                ]
            item.decision = choice.decision
            item.decision_note = limited_text(choice.note, field=f"items.{pk}.note", max_length=NOTE_TEXT)
            override_reason = limited_text(
                choice.override_reason, field=f"items.{pk}.override_reason", max_length=NOTE_TEXT
            )
            item.override_reason = override_reason if choice.decision == ItemDecision.APPROVED else ""
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
                reason=f"Approved request in “{request.call.title}”."
                + (f" {item.decision_note}" if item.decision_note else ""),
                starts_on=starts_on or timezone.localdate(),
                evidence={"request": request.pk, **item.eligibility},
                request_item=item,
            )
        for item in items.values():
            if item.decision == ItemDecision.CLARIFIED:
                _record_clarification(actor=actor, item=item, explanation=item.decision_note)
        action = (
            "approve" if approved or any(i.decision == ItemDecision.CLARIFIED for i in items.values()) else "decline"
        )
        note = limited_text(note, field="note", max_length=NOTE_TEXT)
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note
        event = request_step(request, actor=actor, action=action, reason=note, fields=DECIDED)

        def summary() -> str:  # in each reader's language, as the title
            return ", ".join(f"{i.autonomy.name}: {i.get_decision_display().lower()}" for i in items.values())

        notify_school_of_step(
            request, event, lambda: _("Decision on your request in “%(call)s”") % {"call": request.call.title}, summary
        )
    return request


def _decision_errors(items: dict[int, RequestItem], choices: dict[int, ItemChoice]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    allowed = {ItemDecision.APPROVED, ItemDecision.DECLINED, ItemDecision.CLARIFIED}
    for pk, item in items.items():
        choice = choices.get(pk)
        if choice is None or choice.decision not in allowed:
            errors[f"items.{pk}.decision"] = [f"Approve, decline or clarify “{item.autonomy.name}”."]
        elif choice.decision == ItemDecision.CLARIFIED and not choice.note.strip():
            errors[f"items.{pk}.note"] = ["Explain why no rule prevents this; every school will see it."]
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
    explanation = required_text(
        explanation, field="explanation", message="Explain why no rule prevents this.", max_length=NOTE_TEXT
    )
    with transaction.atomic():
        item = RequestItem.objects.select_related("autonomy").get(pk=item_id)
        request = request_lock(item.request_id)
        require(can_comment_on_request(actor, request))
        item = RequestItem.objects.select_for_update().select_related("autonomy").get(pk=item_id)
        if item.decision != ItemDecision.PENDING:
            raise Conflict("This item has already been decided.")
        item.decision, item.decision_note = ItemDecision.CLARIFIED, explanation
        item.save(update_fields=["decision", "decision_note", "updated_at"])
        _record_clarification(actor=actor, item=item, explanation=explanation)
        if request.status == RequestStatus.SUBMITTED:
            request_step(request, actor=actor, action="review")
    return item
