"""Forms of the contract pages. They check shape only; contracts.services checks the rules."""

import dataclasses

from django import forms
from django.utils.translation import gettext_lazy as _

from autonomy.models import Comparator
from contracts.models import BenchmarkKind, Condition, ContractStatus, Level
from contracts.services import BenchmarkInput, RuleInput
from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import BRIEF_TEXT, SHORT_TEXT


def input_from(input_class, data: dict, **values):
    """The service's input (a dataclass) from a form's cleaned data: each field of the form is named as the
    input names it, so a field added to both is carried over. `values` are those the form does not give as is."""
    names = [field.name for field in dataclasses.fields(input_class) if field.name not in values]
    return input_class(**{name: data[name] for name in names}, **values)


def _expected_status() -> forms.ChoiceField:
    return expected_status_field(ContractStatus.choices)


def _password(*, help_text: str, required_message: str) -> forms.CharField:
    """Re-entering one's password is the signature, on both sides of a contract: the record keeps the
    account and its full name, never a typed one. Not stripped: spaces are part of a password."""
    return forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=SHORT_TEXT,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": required_message},
    )


class ContractNewForm(AccessibleFormMixin, forms.Form):
    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school")
    template = forms.ModelChoiceField(
        label="Start from the template",
        queryset=None,
        empty_label="Choose a template",
        help_text="Its benchmarks and rules are copied; targets are worked out from the school's own results.",
    )
    term_start = forms.ModelChoiceField(label="First school year", queryset=None, empty_label="Choose a year")
    term_end = forms.ModelChoiceField(label="Last school year", queryset=None, empty_label="Choose a year")
    summary = text_area(
        "What this contract is for (optional)",
        required=False,
        max_length=BRIEF_TEXT,
        help_text="In plain words; left empty, a standard sentence is used.",
    )

    def __init__(self, *args, schools, templates, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["template"].queryset = templates
        self.fields["term_start"].queryset = years
        self.fields["term_end"].queryset = years


class SignForm(AccessibleFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read this contract"),
        error_messages={"required": _("Tick the box to confirm you have read the contract.")},
    )
    password = _password(
        help_text=_(
            "The password you sign in with. Your signature records your name, your account, the time, "
            "your computer's address and a fingerprint of this version's content."
        ),
        required_message=_("Enter your password to sign."),
    )
    expected_status = _expected_status()


class CountersignForm(AccessibleFormMixin, forms.Form):
    password = _password(
        help_text=_(
            "The password you sign in with. Countersigning puts the contract in force; it records your "
            "name, your account, the time, your computer's address and a fingerprint of this version's content."
        ),
        required_message=_("Enter your password to countersign."),
    )
    expected_status = _expected_status()


class StepForm(AccessibleFormMixin, forms.Form):
    """A step with nothing to fill in: propose, recall."""

    expected_status = _expected_status()


class ReasonForm(AccessibleFormMixin, forms.Form):
    """A step that must say why: amend, terminate."""

    reason = text_area("Why", max_length=BRIEF_TEXT, required_message="Say why.")
    expected_status = _expected_status()

    def __init__(self, *args, label: str = "Why", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


def _margin(label: str, help_text: str) -> forms.DecimalField:
    # More than 0 is the service's rule (contracts.services.editing), said there in the band's words.
    return forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=4, help_text=help_text)


class BenchmarkForm(AccessibleFormMixin, forms.Form):
    """A benchmark's every field, to add one or to change one in place (`editing`: its short name stays)."""

    key = forms.SlugField(
        label="Short name",
        max_length=60,
        help_text="Letters, numbers and dashes, e.g. ela-proficiency. It stays the same across versions.",
    )
    metric = forms.ModelChoiceField(label="Measure", queryset=None, empty_label="Choose a measure")
    kind = forms.ChoiceField(label="Kind", choices=BenchmarkKind.choices)
    comparator = forms.ChoiceField(label="The result must be", choices=Comparator.choices)
    target = forms.DecimalField(label="Target", max_digits=14, decimal_places=4)
    periods = forms.IntegerField(
        label="Years counted",
        required=False,
        min_value=1,
        max_value=10,
        initial=1,
        help_text="For a trend or an average; 1 otherwise.",
    )
    baseline = forms.DecimalField(label="Baseline (optional)", required=False, max_digits=14, decimal_places=4)
    new_school_target = forms.DecimalField(
        label="Target for a new school (optional)",
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text="For a school in its first or second year.",
    )
    exceeds_margin = _margin(
        "Exceeds when beyond the target by (optional)",
        "The rating band above “meets”: a result this much better than the target is rated “exceeds”.",
    )
    far_below_margin = _margin(
        "Falls far below when short of the target by (optional)",
        "The rating band below “does not meet”: a result this much worse than the target is rated “falls far below”.",
    )
    binding_autonomy = forms.ModelChoiceField(
        label="Autonomy that depends on it (optional)",
        queryset=None,
        required=False,
        empty_label="None: no autonomy depends on this result",
        help_text="Missing this benchmark then puts that autonomy on the intervention ladder. Only the "
        "autonomies this version covers are offered.",
    )
    expected_status = _expected_status()

    def __init__(self, *args, metrics, autonomies, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = metrics
        self.fields["binding_autonomy"].queryset = autonomies
        if editing:
            del self.fields["key"]  # what matches the benchmark across versions

    def to_input(self, key: str | None = None) -> BenchmarkInput:
        data = self.cleaned_data
        return input_from(BenchmarkInput, data, key=key or data["key"], periods=data["periods"] or 1)


class RuleForm(AccessibleFormMixin, forms.Form):
    """An intervention rule's every field, changed in place (its short name stays)."""

    condition = forms.ChoiceField(label="When", choices=Condition.choices)
    count = forms.IntegerField(
        label="How many",
        min_value=1,
        max_value=20,
        help_text="N benchmarks missed in a year, or K years in a row; 1 for the other conditions.",
    )
    benchmark_key = forms.ChoiceField(
        label="Which benchmark (for K years in a row)",
        required=False,
        help_text="Only for “the same benchmark missed K periods in a row”.",
    )
    level = forms.TypedChoiceField(label="Step of the ladder", choices=Level.choices, coerce=int)
    deadline_days = forms.IntegerField(
        label="Days to remedy", min_value=0, max_value=730, help_text="0: it takes effect at once."
    )
    remedy = text_area("What the school is expected to do", max_length=BRIEF_TEXT, required_message="Say what.")
    provision = forms.CharField(
        label="Contract provision",
        max_length=SHORT_TEXT,
        help_text="The section this rule enforces, e.g. “Section 4.2: retention of autonomies”.",
        error_messages={"required": "Name the contract provision."},
    )
    expected_status = _expected_status()

    def __init__(self, *args, benchmark_keys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benchmark_key"].choices = [("", "None"), *[(key, label) for key, label in benchmark_keys]]

    def to_input(self) -> RuleInput:
        return input_from(RuleInput, self.cleaned_data)


class BenchmarkRemoveForm(AccessibleFormMixin, forms.Form):
    key = forms.SlugField(max_length=60, widget=forms.HiddenInput)
    expected_status = _expected_status()


class ContractFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ContractStatus.choices])
