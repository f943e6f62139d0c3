"""core.form_pages.form_submit: the one answer of a page whose form is handed to a service."""

import pytest
from django import forms
from django.http import Http404
from django.test import RequestFactory

from core.errors import ApplicationError, Conflict, NotFound, NotPermitted
from core.form_pages import form_submit
from core.forms import AccessibleFormMixin


class NoteForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(max_length=20)


def _posted(data):
    return RequestFactory().post("/", data), NoteForm(data)


def _refusing(error):
    def call():
        raise error

    return call


def test_a_page_only_read_is_drawn_with_200_and_the_service_is_not_called():
    request = RequestFactory().get("/")
    assert form_submit(request, NoteForm(), _refusing(AssertionError("called"))) == (None, 200)


def test_a_form_that_does_not_check_is_400_and_the_service_is_not_called():
    request, form = _posted({"note": ""})
    assert form_submit(request, form, _refusing(AssertionError("called"))) == (None, 400)
    assert "note" in form.errors


def test_an_accepted_form_returns_the_services_result():
    request, form = _posted({"note": "fine"})
    assert form_submit(request, form, lambda: form.cleaned_data["note"].upper()) == ("FINE", None)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ApplicationError("Too long.", fields={"note": ["Shorten it."]}), 400),
        (Conflict("Somebody changed it first."), 409),
        (NotFound("It is gone."), 404),
        (NotPermitted("Not yours to change."), 403),
    ],
)
def test_a_refusal_goes_on_the_form_with_its_own_status(error, status):
    request, form = _posted({"note": "fine"})
    assert form_submit(request, form, _refusing(error)) == (None, status)
    if error.fields:
        assert form.errors["note"] == ["Shorten it."]
    else:
        assert form.non_field_errors() == [error.message]


def test_on_a_page_only_some_may_know_of_a_refusal_for_want_of_the_role_is_404():
    request, form = _posted({"note": "fine"})
    with pytest.raises(Http404):
        form_submit(request, form, _refusing(NotPermitted("Not yours.")), hidden=True)
    request, form = _posted({"note": "fine"})
    assert form_submit(request, form, _refusing(Conflict("First.")), hidden=True) == (None, 409)
