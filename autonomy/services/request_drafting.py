"""The school drafts its request: autonomies, reasons and barriers, plan and answers, outcomes."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from autonomy.models import (
    Autonomy,
    AutonomyRequest,
    CallForProposals,
    RequestAnswer,
    RequestItem,
    TargetOutcome,
)
from autonomy.policies import (
    can_start_request,
)
from autonomy.selectors import autonomy_ids_with_live_grant
from autonomy.services.request_steps import REQUEST_STEPS, request_lock_editable
from core.errors import ApplicationError
from core.limits import LONG_TEXT
from core.policies import require
from core.workflows import limited_text
from metrics.models import Metric
from schools.models import School
from schools.periods import school_year_problem


def request_create(*, actor: AbstractBaseUser, school: School, call: CallForProposals) -> AutonomyRequest:
    require(can_start_request(actor, school.pk))
    if call.closes_on < timezone.localdate():
        raise ApplicationError(
            f"The call “{call.title}” closed on {call.closes_on:%B %-d, %Y}.", fields={"call": ["This call is closed."]}
        )
    try:
        with transaction.atomic():
            request = AutonomyRequest.objects.create(school=school, call=call, created_by=actor)
            REQUEST_STEPS.created(request, actor=actor, action="create").save()
    except IntegrityError:
        raise ApplicationError(
            "Your school already has an open request in this call: continue that one.",
            fields={"call": ["An open request exists for this call."]},
        ) from None
    return request


def request_set_autonomies(*, actor: AbstractBaseUser, request_id: int, autonomy_ids: list[int]) -> AutonomyRequest:
    """Choose which of the call's autonomies to ask for; keeps what was written for those still chosen."""
    with transaction.atomic():
        request = request_lock_editable(actor, request_id)
        offered = set(request.call.autonomies.values_list("pk", flat=True))
        chosen = set(autonomy_ids)
        if not chosen:
            raise ApplicationError("Choose at least one autonomy.", fields={"autonomies": ["Choose at least one."]})
        if not chosen <= offered:
            raise ApplicationError(
                "The call does not offer one of the chosen autonomies.",
                fields={"autonomies": ["Choose among the autonomies this call offers."]},
            )
        if held := Autonomy.objects.filter(pk__in=chosen & autonomy_ids_with_live_grant(school_id=request.school_id)):
            names = ", ".join(f"“{autonomy.name}”" for autonomy in held.order_by("name"))
            message = f"Your school already holds {names}: ask only for decisions it does not hold."
            raise ApplicationError(message, fields={"autonomies": [message]})
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
        request = request_lock_editable(actor, request_id)
        rows = {item.pk: item for item in request.items.all()}
        unknown = set(items) - set(rows)
        if unknown:
            raise ApplicationError("One of the items is not part of this request.", fields={"items": ["Unknown item."]})
        for pk, values in items.items():
            for name in ("justification", "barrier"):
                value = limited_text(values.get(name, ""), field=f"items.{pk}.{name}", max_length=LONG_TEXT)
                setattr(rows[pk], name, value)
        RequestItem.objects.bulk_update(rows.values(), ["justification", "barrier", "updated_at"])
        request.save(update_fields=["updated_at"])
    return request


def request_update_plan(
    *, actor: AbstractBaseUser, request_id: int, plan: str, answers: dict[int, str]
) -> AutonomyRequest:
    with transaction.atomic():
        request = request_lock_editable(actor, request_id)
        questions = set(request.call.questions.values_list("pk", flat=True))
        if set(answers) - questions:
            raise ApplicationError(
                "An answer is for a question this call does not ask.", fields={"answers": ["Unknown."]}
            )
        request.plan = limited_text(plan, field="plan", max_length=LONG_TEXT)
        texts = {pk: limited_text(text, field=f"answers.{pk}", max_length=LONG_TEXT) for pk, text in answers.items()}
        request.save(update_fields=["plan", "updated_at"])
        for question_id, text in texts.items():
            RequestAnswer.objects.update_or_create(request=request, question_id=question_id, defaults={"text": text})
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


def request_set_outcomes(*, actor: AbstractBaseUser, request_id: int, outcomes: list[OutcomeInput]) -> AutonomyRequest:
    """Replace the request's target outcomes; every row is checked before anything is saved."""
    metrics = {m.code: m for m in Metric.objects.all()}
    rows = []
    for index, outcome in enumerate(outcomes):
        prefix = f"outcomes.{index}"
        metric = metrics.get(outcome.metric)
        if metric is None:
            raise ApplicationError(
                f"Outcome {index + 1}: choose a metric from the catalog.",
                fields={f"{prefix}.metric": ["Unknown metric."]},
            )
        target = _decimal(outcome.target, f"{prefix}.target", required=True)
        baseline = _decimal(outcome.baseline, f"{prefix}.baseline", required=False)
        for label, number in (("target", target), ("baseline", baseline)):
            if number is not None and (problem := metric.range_problem(number)):
                raise ApplicationError(
                    f"Outcome {index + 1}: the {label} {problem}.", fields={f"{prefix}.{label}": ["Out of range."]}
                )
        if problem := school_year_problem(outcome.by_period or ""):
            raise ApplicationError(
                f"Outcome {index + 1}: the period {problem}.", fields={f"{prefix}.by_period": [problem]}
            )
        rows.append((metric, baseline, target, outcome.by_period))
    with transaction.atomic():
        request = request_lock_editable(actor, request_id)
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
        missing["autonomies"] = [_("Choose at least one autonomy.")]
    for item in items:
        if not item.justification:
            missing[f"items.{item.pk}.justification"] = [
                _("Say why your school needs “%(autonomy)s”.") % {"autonomy": item.autonomy.name}
            ]
    if not request.plan:
        missing["plan"] = [_("Describe the school's plan.")]
    answered = {a.question_id for a in request.answers.all() if a.text}
    for question in request.call.questions.all():
        if question.pk not in answered:
            missing[f"answers.{question.pk}"] = [_("Answer: %(question)s") % {"question": question.text}]
    if not request.outcomes.exists():
        missing["outcomes"] = [_("Add at least one measurable target outcome.")]
    return missing


@dataclass(frozen=True)
class ItemText:
    """What the school writes for one autonomy it asks for, named by the autonomy's code."""

    autonomy: str
    justification: str | None = None
    barrier: str | None = None


def request_update_draft(
    *,
    actor: AbstractBaseUser,
    request_id: int,
    autonomy_ids: list[int] | None = None,
    items: list[ItemText] | None = None,
    plan: str | None = None,
    answers: dict[int, str] | None = None,
    outcomes: list[OutcomeInput] | None = None,
) -> AutonomyRequest:
    """Write any parts of a draft at once, in the page's order, each through its step; all or nothing.

    A part left as None is kept. Items are named by their autonomy's code, and refusals about them by
    their place in `items` (`items.<n>.justification`), which is how the caller sent them.
    """
    with transaction.atomic():
        if autonomy_ids is not None:
            request_set_autonomies(actor=actor, request_id=request_id, autonomy_ids=autonomy_ids)
        if items is not None:
            _update_items_by_code(actor=actor, request_id=request_id, items=items)
        if plan is not None or answers is not None:
            kept = plan if plan is not None else AutonomyRequest.objects.get(pk=request_id).plan
            request_update_plan(actor=actor, request_id=request_id, plan=kept, answers=answers or {})
        if outcomes is not None:
            request_set_outcomes(actor=actor, request_id=request_id, outcomes=outcomes)
        return AutonomyRequest.objects.get(pk=request_id)


def _update_items_by_code(*, actor, request_id: int, items: list[ItemText]) -> None:
    by_code = {
        item.autonomy.code: item
        for item in RequestItem.objects.filter(request_id=request_id).select_related("autonomy")
    }
    unknown = {
        f"items.{place}.autonomy": ["The request does not ask for this autonomy: choose it first."]
        for place, text in enumerate(items)
        if text.autonomy not in by_code
    }
    if unknown:
        raise ApplicationError("Reasons were sent for an autonomy the request does not ask for.", fields=unknown)
    values, places = {}, {}
    for place, text in enumerate(items):
        item = by_code[text.autonomy]
        values[item.pk] = {
            "justification": item.justification if text.justification is None else text.justification,
            "barrier": item.barrier if text.barrier is None else text.barrier,
        }
        places[str(item.pk)] = str(place)
    try:
        request_update_items(actor=actor, request_id=request_id, items=values)
    except ApplicationError as error:
        raise type(error)(error.message, fields=fields_at_places(error.fields, items=places)) from None


def fields_at_places(fields: dict[str, list[str]], **places: dict[str, str]) -> dict[str, list[str]]:
    """A refusal's fields with each item or answer named by its place in what the caller sent or sees
    (`items.7.justification` → `items.0.justification`); one the caller did not send names the whole list."""
    named: dict[str, list[str]] = {}
    for key, messages in fields.items():
        kind, _dot, rest = key.partition(".")
        if kind in places and rest:
            object_id, _dot, field = rest.partition(".")
            place = places[kind].get(object_id)
            key = kind if place is None else ".".join(part for part in (kind, place, field) if part)
        named.setdefault(key, []).extend(messages)
    return named
