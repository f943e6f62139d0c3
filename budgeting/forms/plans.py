"""The plan page's forms: they check the shape of what was typed; the rules (locks, costing, splits, the
balance) are the services' (budgeting.services.plans), whose refusals are put next to the fields named."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budgeting.models import BudgetCategory, FundingSource, JobType, PlanStatus
from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class _LockedLabels(forms.ModelChoiceField):
    """A choice says in words when the school may not plan in it (a lock is never only a colour)."""

    def __init__(self, *args, locked: set[int], **kwargs):
        self.locked = locked
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return _("%(name)s (locked)") % {"name": obj} if self._lock_key(obj) in self.locked else str(obj)

    def _lock_key(self, obj):
        return getattr(obj, "category_id", obj.pk)


class PositionForm(AccessibleFormMixin, forms.Form):
    job_type = _LockedLabels(
        queryset=JobType.objects.select_related("category"), locked=set(), label=_("Job type"), empty_label=None
    )
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=SHORT_TEXT)
    fte = forms.DecimalField(
        label=_("FTE"),
        max_digits=4,
        decimal_places=2,
        help_text=_("Full-time equivalent: more than 0, at most 1 (as 0.5)."),
    )
    actual_salary = forms.DecimalField(
        label=_("Actual salary (optional)"),
        required=False,
        **MONEY_FIELD,
        help_text=_("Only for job types the district costs at the actual salary; otherwise the district average."),
    )
    source_1 = forms.ModelChoiceField(
        queryset=FundingSource.objects.filter(restricted=False), label=_("Paid from"), empty_label=None
    )
    share_1 = forms.DecimalField(
        label=_("Share paid from it"),
        max_digits=5,
        decimal_places=4,
        initial=1,
        help_text=_("As a fraction: 1 for all of it, 0.5 for half."),
    )
    source_2 = forms.ModelChoiceField(
        queryset=FundingSource.objects.filter(restricted=False), label=_("Also paid from (optional)"), required=False
    )
    share_2 = forms.DecimalField(label=_("Share paid from it"), max_digits=5, decimal_places=4, required=False)

    def __init__(self, *args, locked: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_type"].locked = set(locked)

    def clean(self):
        data = super().clean()
        if data.get("source_2") and data.get("share_2") is None:
            self.add_error("share_2", _("Enter the share paid from the second source."))
        return data

    def funding(self) -> list:
        data = self.cleaned_data
        rows = [(data["source_1"], data["share_1"])]
        if data.get("source_2"):
            rows.append((data["source_2"], data["share_2"]))
        return rows

    @staticmethod
    def initial_for(position) -> dict:
        funding = list(position.funding.all())
        initial = {
            "job_type": position.job_type_id,
            "title": position.title,
            "fte": position.fte,
            "actual_salary": position.actual_salary,
        }
        for number, row in enumerate(funding[:2], start=1):
            initial |= {f"source_{number}": row.source_id, f"share_{number}": row.share}
        return initial


class LineForm(AccessibleFormMixin, forms.Form):
    category = _LockedLabels(queryset=BudgetCategory.objects.all(), locked=set(), label=_("Category"), empty_label=None)
    description = forms.CharField(label=_("Description"), max_length=SHORT_TEXT)
    source = forms.ModelChoiceField(
        queryset=FundingSource.objects.filter(restricted=False), label=_("Paid from"), empty_label=None
    )
    amount = forms.DecimalField(label=_("Amount in dollars"), **MONEY_FIELD)

    def __init__(self, *args, locked: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].locked = set(locked)


class PlanSubmitForm(AccessibleFormMixin, forms.Form):
    expected_status = expected_status_field(PlanStatus.choices)


class PlanReturnForm(AccessibleFormMixin, forms.Form):
    note = text_area(
        "What the school should change",
        max_length=NOTE_TEXT,
        required_message="Say what the school should change.",
        help_text="The principal reads this with the plan.",
    )
    expected_status = expected_status_field(PlanStatus.choices)


class PlanApproveForm(AccessibleFormMixin, forms.Form):
    note = text_area("Note (optional)", max_length=NOTE_TEXT, required=False)
    expected_status = expected_status_field(PlanStatus.choices)
