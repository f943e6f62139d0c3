"""Forms of the grants ledger. They check shape only; the grants service checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from autonomy.models import AccountabilityModel, Autonomy, AutonomyGrant, Domain, GrantStatus
from autonomy.workflows import GRANT_WORKFLOW
from core.forms import AccessibleFormMixin, IdFilterField, expected_status_field, text_area
from core.limits import BRIEF_TEXT, NOTE_TEXT
from schools.models import Cohort

DISTRICT_SCOPE = "district"


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class GrantMatrixFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Search schools by name or code"), required=False, max_length=100)
    network = IdFilterField(label=_("Network"), empty_label=_("All networks"))
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=_blank(_("All domains"), Domain.choices))
    model = forms.ChoiceField(
        label=_("Accountability model"), required=False, choices=_blank(_("All models"), AccountabilityModel.choices)
    )
    status = forms.ChoiceField(
        label=_("Schools with a grant that is"),
        required=False,
        choices=_blank(
            _("Any status or none"),
            [(s.value, s.label) for s in (GrantStatus.ACTIVE, GrantStatus.AT_RISK, GrantStatus.SUSPENDED)],
        ),
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].offer(networks)


class FlexibilityFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=_blank(_("All domains"), Domain.choices))


def grant_actions_from(status: str) -> list[tuple[str, str]]:
    """The steps a person from the autonomy office may take on a grant in this status: the table's
    steps for a person. Putting at risk, the steps "under the contract" and expiry belong to a
    contract's rule and the nightly job, so they are not offered by hand."""
    return [(t.action, t.label) for t in GRANT_WORKFLOW.person_steps_from(status)]


class GrantChangeForm(AccessibleFormMixin, forms.Form):
    action = forms.ChoiceField(
        label="What to do",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what to do.",
            "invalid_choice": "That step is not open from the status you saw. Choose one of those listed.",
        },
    )
    reason = text_area(
        "Why",
        rows=4,
        max_length=NOTE_TEXT,
        required_message="Say why: the school reads this.",
        help_text="The school's principal and liaison receive this in their inbox. Name the benchmark or rule.",
    )
    evidence_note = text_area(
        "Evidence (optional)",
        rows=2,
        required=False,
        max_length=BRIEF_TEXT,
        help_text="What you relied on: a report, a benchmark result, a date.",
    )
    expected_status = expected_status_field(GrantStatus.choices)

    def __init__(self, *args, grant: AutonomyGrant, initial=None, **kwargs):
        super().__init__(*args, initial={**(initial or {}), "expected_status": grant.status}, **kwargs)
        # The actions offered are those from the status the person saw; if the grant has moved on
        # since, the service says so (a conflict) rather than this form calling the choice invalid.
        seen = self.data.get("expected_status") if self.is_bound else None
        if seen not in GrantStatus.values:
            seen = grant.status
        self.fields["action"].choices = grant_actions_from(seen)

    @property
    def has_actions(self) -> bool:
        return bool(self.fields["action"].choices)

    def evidence(self) -> dict:
        note = self.cleaned_data.get("evidence_note", "").strip()
        return {"note": note} if note else {}


class GrantIssueScopeForm(AccessibleFormMixin, forms.Form):
    autonomy = forms.ModelChoiceField(
        label="Autonomy",
        queryset=Autonomy.objects.filter(model=AccountabilityModel.FULL).order_by("domain", "display_order"),
        empty_label="Choose an autonomy",
        error_messages={
            "required": "Choose an autonomy.",
            "invalid_choice": "Choose an autonomy offered as full autonomy with expectations.",
        },
        help_text="Only autonomies offered as full autonomy with expectations are granted up front.",
    )
    scope = forms.ChoiceField(
        label="Who receives it",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a cohort or every school."},
    )
    reason = text_area(
        "Why",
        max_length=NOTE_TEXT,
        required_message="Say why the autonomy is granted.",
        help_text="Recorded on every grant, as the first entry of each school's history.",
    )
    retention_benchmarks = text_area(
        "Retention benchmarks",
        max_length=NOTE_TEXT,
        required_message="Name what a school must meet to keep it.",
        help_text=(
            "What a school must meet to keep it, e.g. “No more than 3 teacher vacancies on the first day of school”."
        ),
    )
    starts_on = forms.DateField(
        label="Starts on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Give the first day of the grant."},
    )
    ends_on = forms.DateField(
        label="Ends on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave empty for a grant that lasts until it is revoked.",
    )

    def __init__(self, *args, scopes: list[tuple[Cohort | None, int]], **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._scopes = {(str(c.pk) if c else DISTRICT_SCOPE): (c, size) for c, size in scopes}
        self.fields["scope"].choices = [
            (
                key,
                f"{cohort.name} ({size} school{'s' if size != 1 else ''})"
                if cohort
                else f"Every school in the district ({size})",
            )
            for key, (cohort, size) in self._scopes.items()
        ]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date.")
        return data

    @property
    def cohort(self) -> Cohort | None:
        return self._scopes[self.cleaned_data["scope"]][0]

    @property
    def scope_size(self) -> int:
        return self._scopes[self.cleaned_data["scope"]][1]
