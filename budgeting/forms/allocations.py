"""The shapes of the allocation pages' forms; the rules (a published formula, one release a year) are the
services' (budgeting.services.allocations)."""

from django import forms

from budgeting.forms.formula_choices import FormulaSnapshotChoices
from budgeting.models import SetKind
from core.forms import AccessibleFormMixin

DATE = forms.DateInput(attrs={"type": "date"})


class AllocationComputeForm(FormulaSnapshotChoices, AccessibleFormMixin, forms.Form):
    formula = forms.TypedChoiceField(label="Published formula", coerce=int)
    snapshot = forms.TypedChoiceField(
        label="Enrollment", coerce=int, help_text="Projected counts for the first allocation, official for a true-up."
    )
    kind = forms.ChoiceField(label="Kind of allocation", choices=SetKind.choices, initial=SetKind.INITIAL)

    @staticmethod
    def formula_label(formula) -> str:
        return f"{formula.school_year.label}, version {formula.number}{f' — {formula.name}' if formula.name else ''}"

    def chosen(self):
        return (*super().chosen(), self.cleaned_data["kind"])


class AllocationReleaseForm(AccessibleFormMixin, forms.Form):
    released_on = forms.DateField(label="Released on", widget=DATE, help_text="The day principals are given it.")
    staffing_deadline = forms.DateField(
        label="Staffing deadline", widget=DATE, required=False, help_text="When school staffing plans are due."
    )
    plans_due_on = forms.DateField(
        label="Budget plans due on", widget=DATE, required=False, help_text="When budget plans are due against it."
    )
