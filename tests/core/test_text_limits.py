"""Every free-text field has one limit (core.limits), held by the page's form, the API's serializer and the
service alike: a million characters is refused naming the field, and a value at the limit is taken."""

import pytest
from django.urls import reverse

from accountability.api.flags import AcknowledgeSerializer, EscalateSerializer, PlanSerializer, ResolveSerializer
from accountability.forms import FlagAcknowledgeForm, FlagEscalateForm, FlagPlanForm, FlagResolveForm
from autonomy.api.calls import CallInputSerializer
from autonomy.api.grants import GrantChangeInput
from autonomy.api.request_serializers import ApproveInput, CommentInput, ItemDecisionInput, ItemTextInput, NoteInput
from autonomy.forms.calls import CallForm
from autonomy.forms.requests import ActionNoteForm, ClarifyForm, CommentForm, DecideForm, PlanForm
from autonomy.services import request_update_items, request_update_plan
from contracts.api.contracts import ReasonSerializer
from contracts.forms import ReasonForm
from core.errors import ApplicationError
from core.limits import BRIEF_TEXT, LONG_TEXT, NOTE_TEXT
from core.workflows import limited_text, required_text
from schools.models import Role
from tests.autonomy.factories import CallFactory, complete_request

HUGE = "x" * 1_000_000

# (form, its keyword arguments, the field, its limit): the pages' forms the finding named.
FORMS = [
    (CommentForm, {}, "body", LONG_TEXT),
    (ClarifyForm, {}, "explanation", NOTE_TEXT),
    (ActionNoteForm, {}, "note", NOTE_TEXT),
    (DecideForm, {"items": []}, "note", NOTE_TEXT),
    (PlanForm, {"answered": []}, "plan", LONG_TEXT),
    (CallForm, {"autonomies": []}, "guidance", LONG_TEXT),
    (ReasonForm, {}, "reason", BRIEF_TEXT),
    (FlagAcknowledgeForm, {}, "note", NOTE_TEXT),
    (FlagPlanForm, {}, "plan", LONG_TEXT),
    (FlagResolveForm, {}, "note", NOTE_TEXT),
    (FlagEscalateForm, {}, "note", NOTE_TEXT),
]

# (serializer, the other fields it needs, the field, its limit): the API's inputs for the same texts.
SERIALIZERS = [
    (CommentInput, {}, "body", LONG_TEXT),
    (NoteInput, {}, "note", NOTE_TEXT),
    (ApproveInput, {"items": []}, "note", NOTE_TEXT),
    (ItemDecisionInput, {"autonomy": "a.b", "decision": "clarified"}, "note", NOTE_TEXT),
    (ItemDecisionInput, {"autonomy": "a.b", "decision": "approved"}, "override_reason", NOTE_TEXT),
    (ItemTextInput, {"autonomy": "a.b"}, "justification", LONG_TEXT),
    (ItemTextInput, {"autonomy": "a.b"}, "barrier", LONG_TEXT),
    (CallInputSerializer, {"title": "t", "opens_on": "2026-01-01", "closes_on": "2026-02-01"}, "guidance", LONG_TEXT),
    (GrantChangeInput, {"reason": "r"}, "evidence_note", BRIEF_TEXT),
    (GrantChangeInput, {}, "reason", NOTE_TEXT),
    (ReasonSerializer, {}, "reason", BRIEF_TEXT),
    (AcknowledgeSerializer, {}, "note", NOTE_TEXT),
    (PlanSerializer, {}, "plan", LONG_TEXT),
    (ResolveSerializer, {}, "note", NOTE_TEXT),
    (EscalateSerializer, {}, "note", NOTE_TEXT),
]


def _name(case) -> str:
    return f"{case[0].__name__}.{case[2]}"


@pytest.mark.parametrize("case", FORMS, ids=_name)
def test_a_form_refuses_a_million_characters_and_takes_its_limit(case):
    form_class, kwargs, field, limit = case
    assert form_class.base_fields.get(field, None) is None or form_class.base_fields[field].max_length == limit
    refused = form_class(data={field: HUGE}, **kwargs)
    assert not refused.is_valid()
    assert f"at most {limit} characters" in " ".join(refused.errors[field])
    at_limit = form_class(data={field: "x" * limit}, **kwargs)
    at_limit.is_valid()
    assert field not in at_limit.errors


@pytest.mark.parametrize("case", SERIALIZERS, ids=_name)
def test_the_api_refuses_a_million_characters_and_takes_its_limit(case):
    serializer_class, others, field, limit = case
    refused = serializer_class(data={**others, field: HUGE})
    assert not refused.is_valid()
    assert field in refused.errors
    at_limit = serializer_class(data={**others, field: "x" * limit})
    at_limit.is_valid()
    assert field not in at_limit.errors


def test_a_service_refuses_over_long_text_naming_the_field():
    assert limited_text(" x ", field="note", max_length=1) == "x"
    with pytest.raises(ApplicationError) as refused:
        limited_text(HUGE, field="items.7.note", max_length=NOTE_TEXT)
    assert list(refused.value.fields) == ["items.7.note"]
    with pytest.raises(ApplicationError) as refused:
        required_text(HUGE, field="plan", message="Write it.", max_length=LONG_TEXT)
    assert list(refused.value.fields) == ["plan"]
    assert required_text("x" * LONG_TEXT, field="plan", message="Write it.", max_length=LONG_TEXT)


# --- a request's draft, end to end: the page, the API and the service -----------------------------


@pytest.fixture
def draft(db, school, make_member):
    principal = make_member(Role.PRINCIPAL, school=school)
    call = CallFactory(created_by=make_member(Role.ADMIN))
    return complete_request(principal=principal, school=school, call=call), principal


@pytest.mark.parametrize("name", ["justification", "barrier"])
def test_a_reason_too_long_is_refused_on_the_page_the_api_and_the_service(draft, client_for, api_for, name):
    request, principal = draft
    item = request.items.get()
    before = getattr(item, name)
    page = client_for(principal).post(
        reverse("autonomy:request_edit", args=[request.pk, "reasons"]),
        {f"items-{item.pk}-justification": "Why.", f"items-{item.pk}-{name}": HUGE, "intent": "draft"},
    )
    assert page.status_code == 400
    assert f"at most {LONG_TEXT} characters" in page.content.decode()
    api = api_for(principal).patch(
        f"/api/v1/requests/{request.pk}/",
        {"items": [{"autonomy": item.autonomy.code, name: HUGE}]},
        format="json",
    )
    assert api.status_code == 400, api.content
    assert f"items.0.{name}" in api.json()["fields"]
    with pytest.raises(ApplicationError) as refused:
        request_update_items(actor=principal, request_id=request.pk, items={item.pk: {name: HUGE}})
    assert list(refused.value.fields) == [f"items.{item.pk}.{name}"]
    item.refresh_from_db()
    assert getattr(item, name) == before
    request_update_items(actor=principal, request_id=request.pk, items={item.pk: {name: "x" * LONG_TEXT}})
    item.refresh_from_db()
    assert len(getattr(item, name)) == LONG_TEXT


def test_a_plan_too_long_is_refused_on_the_page_the_api_and_the_service(draft, client_for, api_for):
    request, principal = draft
    page = client_for(principal).post(
        reverse("autonomy:request_edit", args=[request.pk, "plan"]), {"plan": HUGE, "intent": "draft"}
    )
    assert page.status_code == 400
    api = api_for(principal).patch(f"/api/v1/requests/{request.pk}/", {"plan": HUGE}, format="json")
    assert api.status_code == 400
    assert "plan" in api.json()["fields"]
    with pytest.raises(ApplicationError) as refused:
        request_update_plan(actor=principal, request_id=request.pk, plan=HUGE, answers={})
    assert list(refused.value.fields) == ["plan"]
    request.refresh_from_db()
    assert request.plan == "Our plan."
