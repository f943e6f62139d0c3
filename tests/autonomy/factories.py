"""Calls and requests for the request tests, built through the services as the product builds them."""

import datetime

import factory
from django.utils import timezone

from autonomy.models import Autonomy, CallForProposals, CallQuestion
from autonomy.services import (
    OutcomeInput,
    request_create,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
)
from tests.factories import UserFactory


class CallFactory(factory.django.DjangoModelFactory):
    """A call open today, offering the autonomies named by code (`offers=[...]`) and asking `questions`."""

    class Meta:
        model = CallForProposals
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Call for proposals {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    guidance = "Tell us what you would do differently."
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def offers(self, create, codes, **kwargs):
        codes = codes if codes is not None else ["people.hiring", "money.budget", "program.curriculum"]
        self.autonomies.set(Autonomy.objects.filter(code__in=codes))

    @factory.post_generation
    def questions(self, create, texts, **kwargs):
        texts = texts if texts is not None else ["How will you involve families?"]
        CallQuestion.objects.bulk_create(CallQuestion(call=self, text=text, position=i) for i, text in enumerate(texts))


def complete_request(*, principal, school, call, codes=("program.curriculum",), submit=False):
    """A request with every step written (as the principal), optionally submitted."""
    request = request_create(actor=principal, school=school, call=call)
    autonomies = Autonomy.objects.filter(code__in=codes)
    request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=[a.pk for a in autonomies])
    request_update_items(
        actor=principal,
        request_id=request.pk,
        items={
            item.pk: {"justification": f"We need {item.autonomy.name}.", "barrier": "Policy 7.2 requires approval."}
            for item in request.items.all()
        },
    )
    request_update_plan(
        actor=principal,
        request_id=request.pk,
        plan="Our plan.",
        answers={q.pk: "Family nights." for q in call.questions.all()},
    )
    request_set_outcomes(
        actor=principal,
        request_id=request.pk,
        outcomes=[OutcomeInput(metric="ela_proficiency", baseline="40", target="55", by_period="2027-28")],
    )
    if submit:
        request_submit(actor=principal, request_id=request.pk)
    request.refresh_from_db()
    return request
