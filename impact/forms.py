"""The filters of impact's pages: shape only. A choice that is not on the list is refused naming its
field (400), never a 500."""

from django import forms

from autonomy.models import AccountabilityModel, Autonomy, Domain
from core.forms import AccessibleFormMixin
from impact.models import DecisionKind
from metrics.models import Metric


class UptakeFilterForm(AccessibleFormMixin, forms.Form):
    domain = forms.ChoiceField(required=False, choices=[("", "All domains"), *Domain.choices])
    year = forms.RegexField(
        required=False,
        regex=r"^\d{4}-\d{2}$",
        label="School year",
        help_text="As 2025-26.",
        error_messages={"invalid": "Write the school year as 2025-26."},
    )

    def start_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        return int(year[:4]) if year else None


class OutcomesForm(AccessibleFormMixin, forms.Form):
    autonomy = forms.ChoiceField(required=False, label="Autonomy")
    domain = forms.ChoiceField(required=False, label="Or a domain", choices=[("", "—"), *Domain.choices])
    model = forms.ChoiceField(required=False, label="Or a model", choices=[("", "—"), *AccountabilityModel.choices])
    metric = forms.ChoiceField(label="Metric")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autonomy"].choices = [("", "—"), *Autonomy.objects.values_list("code", "name")]
        self.fields["metric"].choices = list(Metric.objects.values_list("code", "name"))

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("autonomy", "domain", "model") if data.get(name)]
        if len(chosen) != 1:
            self.add_error("autonomy", "Choose one autonomy, or one domain, or one model.")
        return data


class DecisionForm(AccessibleFormMixin, forms.Form):
    autonomy = forms.ModelChoiceField(queryset=Autonomy.objects.all(), to_field_name="code", label="Autonomy")
    decision = forms.ChoiceField(choices=DecisionKind.choices, label="The district's decision")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="Why",
        help_text="What in the evidence led to the decision.",
    )
    evidence_path = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput, label="The evidence")
