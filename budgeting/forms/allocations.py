"""The shapes of the allocation pages' forms; the rules (a published formula, one release a year) are the
services' (budgeting.services.allocations)."""

from django import forms

from budgeting.models import SetKind
from core.forms import AccessibleFormMixin

DATE = forms.DateInput(attrs={"type": "date"})


class AllocationComputeForm(AccessibleFormMixin, forms.Form):
    formula = forms.TypedChoiceField(label="Published formula", coerce=int)
    snapshot = forms.TypedChoiceField(
        label="Enrollment", coerce=int, help_text="Projected counts for the first allocation, official for a true-up."
    )
    kind = forms.ChoiceField(label="Kind of allocation", choices=SetKind.choices, initial=SetKind.INITIAL)

    def __init__(self, *args, formulas, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        self.formulas = {f.pk: f for f in formulas}
        self.snapshots = {s.pk: s for s in snapshots}
        self.fields["formula"].choices = [("", "Choose a formula")] + [
            (f.pk, f"{f.school_year.label}, version {f.number}{f' — {f.name}' if f.name else ''}") for f in formulas
        ]
        self.fields["snapshot"].choices = [("", "Choose an enrollment")] + [(s.pk, str(s)) for s in snapshots]

    def chosen(self):
        data = self.cleaned_data
        return self.formulas[data["formula"]], self.snapshots[data["snapshot"]], data["kind"]


class AllocationReleaseForm(AccessibleFormMixin, forms.Form):
    released_on = forms.DateField(label="Released on", widget=DATE, help_text="The day principals are given it.")
    staffing_deadline = forms.DateField(
        label="Staffing deadline", widget=DATE, required=False, help_text="When school staffing plans are due."
    )
    plans_due_on = forms.DateField(
        label="Budget plans due on", widget=DATE, required=False, help_text="When budget plans are due against it."
    )
