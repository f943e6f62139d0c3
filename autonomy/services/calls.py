import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from autonomy.models import Autonomy, CallForProposals, CallQuestion
from autonomy.policies import can_manage_autonomy
from core.errors import ApplicationError
from core.limits import LONG_TEXT, QUESTION_TEXT, SHORT_TEXT
from core.policies import require
from core.workflows import limited_text


def call_create(
    *,
    actor: AbstractBaseUser,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    autonomies: list[Autonomy],
    guidance: str = "",
    questions: list[str] = (),
) -> CallForProposals:
    require(can_manage_autonomy(actor))
    title = limited_text(title, field="title", max_length=SHORT_TEXT)
    guidance = limited_text(guidance, field="guidance", max_length=LONG_TEXT)
    questions = [
        limited_text(text, field=f"questions.{i}", max_length=QUESTION_TEXT) for i, text in enumerate(questions)
    ]
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Give the call a title."]
    if closes_on < opens_on:
        errors["closes_on"] = ["The call must close on or after the day it opens."]
    if not autonomies:
        errors["autonomies"] = ["Offer at least one autonomy."]
    if errors:
        raise ApplicationError("The call cannot be opened as it is.", fields=errors)
    with transaction.atomic():
        call = CallForProposals.objects.create(
            title=title.strip(), opens_on=opens_on, closes_on=closes_on, guidance=guidance.strip(), created_by=actor
        )
        call.autonomies.set(autonomies)
        CallQuestion.objects.bulk_create(
            CallQuestion(call=call, text=text.strip(), position=i) for i, text in enumerate(questions) if text.strip()
        )
    return call
