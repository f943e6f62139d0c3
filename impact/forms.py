"""The filters of impact's pages: shape only. A choice that is not on the list is refused naming its
field (400), never a 500."""

from django import forms

from autonomy.models import AccountabilityModel, Autonomy, Domain
from core.forms import AccessibleFormMixin
from impact.models import EVIDENCE_MAX, RATIONALE_MAX, DecisionKind
from impact.services.pilots import MAX_PER_SCHOOL
from metrics.models import Metric
from schools.models import Cohort


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
    compare_with = forms.ChoiceField(required=False, label="Compare with")

    def __init__(self, *args, comparisons=(), **kwargs):
        """`comparisons`: the pilots' comparison groups kept now (current), each offered for its autonomy."""
        super().__init__(*args, **kwargs)
        self.fields["autonomy"].choices = [("", "—"), *Autonomy.objects.values_list("code", "name")]
        self.fields["metric"].choices = list(Metric.objects.values_list("code", "name"))
        self.comparisons = {str(c.pk): c for c in comparisons}
        chosen = (self.data.get("autonomy") if self.is_bound else self.initial.get("autonomy")) or ""
        offered = [(pk, c) for pk, c in self.comparisons.items() if c.autonomy.code == chosen]
        if offered or (self.is_bound and self.data.get("compare_with")):  # a stray choice is refused, named
            self.fields["compare_with"].choices = [
                ("", "Schools not yet holding it"),
                *((pk, f"The comparison group kept for {c.cohort.name}") for pk, c in offered),
            ]
        else:
            del self.fields["compare_with"]

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("autonomy", "domain", "model") if data.get(name)]
        if len(chosen) != 1:
            self.add_error("autonomy", "Choose one autonomy, or one domain, or one model.")
        return data

    def comparison(self):
        """The kept comparison group chosen, or None for schools not yet holding the autonomy."""
        return self.comparisons.get(self.cleaned_data.get("compare_with") or "")


class DecisionForm(AccessibleFormMixin, forms.Form):
    autonomy = forms.ModelChoiceField(queryset=Autonomy.objects.all(), to_field_name="code", label="Autonomy")
    decision = forms.ChoiceField(choices=DecisionKind.choices, label="The district's decision")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RATIONALE_MAX,
        label="Why",
        help_text="What in the evidence led to the decision.",
    )
    evidence_path = forms.CharField(
        required=False, max_length=EVIDENCE_MAX, widget=forms.HiddenInput, label="The evidence"
    )


class PilotForm(AccessibleFormMixin, forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.order_by("name"), label="Pilot cohort")
    autonomy = forms.ModelChoiceField(
        queryset=Autonomy.objects.all(), to_field_name="code", label="Autonomy the cohort pilots"
    )
    metric = forms.ModelChoiceField(
        queryset=Metric.objects.order_by("name"),
        to_field_name="code",
        label="Results to match on",
        help_text="The contract metric whose results the outcomes view will compare.",
    )
    per_school = forms.IntegerField(
        min_value=1,
        max_value=MAX_PER_SCHOOL,
        initial=1,
        label="Comparison schools per pilot school",
        help_text=f"1 to {MAX_PER_SCHOOL}.",
    )
