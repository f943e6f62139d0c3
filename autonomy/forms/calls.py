"""The form a district officer fills to open a call for requests. It checks shape; the services check the rules."""

from django import forms

from core.forms import AccessibleFormMixin, text_area
from core.limits import LONG_TEXT, QUESTION_TEXT, SHORT_TEXT


class CallForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=SHORT_TEXT)
    opens_on = forms.DateField(label="Opens on", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label="Closes on", widget=forms.DateInput(attrs={"type": "date"}), help_text="The last day schools can submit."
    )
    autonomies = forms.TypedMultipleChoiceField(
        label="Autonomies this call offers", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    guidance = text_area(
        "Guidance for schools",
        rows=5,
        required=False,
        max_length=LONG_TEXT,
        help_text="What the district hopes to see in proposals.",
    )
    questions = text_area(
        "Questions every proposal must answer",
        rows=5,
        required=False,
        # Up to 50 questions of QUESTION_TEXT each, as the API takes them; each is checked below.
        max_length=50 * (QUESTION_TEXT + 1),
        help_text="One question per line.",
    )

    def __init__(self, *args, autonomies, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog = {a.pk: a for a in autonomies}
        self.fields["autonomies"].choices = [(a.pk, a.name) for a in autonomies]

    def clean_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        questions = [line for line in lines if line]
        if any(len(q) > QUESTION_TEXT for q in questions):
            raise forms.ValidationError(f"Keep each question to {QUESTION_TEXT} characters or fewer.")
        return questions

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The call must close on or after the day it opens.")
        return cleaned

    def chosen_autonomies(self) -> list:
        return [self.catalog[pk] for pk in self.cleaned_data["autonomies"]]
