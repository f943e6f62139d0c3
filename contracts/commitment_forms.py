"""Forms of the commitments' pages. They check shape only; contracts.services.commitments checks the rules
(a date within the term, N days of 1 or more, an autonomy the version covers), naming the field."""

from django import forms

from contracts.forms import input_from
from contracts.models import CommitmentMeasure, ContractStatus
from contracts.services.commitments import CommitmentInput
from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT
from support.models import Department, MilestoneKind


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CommitmentForm(AccessibleFormMixin, forms.Form):
    department = forms.ChoiceField(
        label="Department", choices=[("", "Choose a department"), *Department.choices], required=False
    )
    text = forms.CharField(
        label="What central office commits to",
        max_length=SHORT_TEXT,
        required=False,
        help_text="In the district's words, e.g. “Budget and enrollment projections released”.",
    )
    measure = forms.ChoiceField(
        label="How it is measured", choices=CommitmentMeasure.choices, widget=forms.RadioSelect, required=False
    )
    due_on = _date("Due", required=False, help_text="Delivered by this date; or the last day of the period counted.")
    milestone_kind = forms.ChoiceField(
        label="Delivered: read from the district calendar (optional)",
        choices=[("", "No: the department records the delivery"), *MilestoneKind.choices],
        required=False,
        help_text="The calendar's date of this kind, in the school year of the due date, is the delivery date.",
    )
    period_start = _date(
        "Requests: the period starts (optional)", required=False, help_text="Empty: the first day of the term."
    )
    days = forms.IntegerField(label="Requests: answered within (days)", required=False)
    business_days = forms.BooleanField(label="Count business days (Monday to Friday)", required=False, initial=True)
    target_percent = forms.IntegerField(label="Requests: share answered in time (%)", required=False)
    autonomy = forms.ModelChoiceField(
        label="The autonomy it bears on (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="If central office misses it, the intervention clock of this autonomy's benchmarks pauses.",
    )
    expected_status = expected_status_field(ContractStatus.choices)

    def __init__(self, *args, autonomies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autonomy"].queryset = autonomies

    def to_input(self) -> CommitmentInput:
        return input_from(CommitmentInput, self.cleaned_data)


class CommitmentRemoveForm(AccessibleFormMixin, forms.Form):
    key = forms.SlugField(max_length=60)
    expected_status = expected_status_field(ContractStatus.choices)


class DeliveryForm(AccessibleFormMixin, forms.Form):
    delivered_on = _date("Delivered on")
    note = text_area(
        "The evidence",
        max_length=NOTE_TEXT,
        required_message="Say what was delivered, and where the school can find it.",
        help_text="What was delivered and where the school finds it; the school reads this on its contract.",
    )
