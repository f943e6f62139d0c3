"""Forms of the accountability pages. They check shape only; accountability.services checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accountability.models import FlagStatus
from accountability.selectors import LIVE
from contracts.models import Level
from core.forms import AccessibleFormMixin, IdFilterField, expected_status_field, text_area
from core.limits import LONG_TEXT, NOTE_TEXT


def _blank(label: str, choices) -> list[tuple]:
    return [("", label), *choices]


class FlagFilterForm(AccessibleFormMixin, forms.Form):
    network = IdFilterField(label=_("Network"), empty_label=_("All networks"))
    liaison = IdFilterField(label=_("Liaison"), empty_label=_("All liaisons"))
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(
            _("All levels"), [(value, format_lazy("{}. {}", value, label)) for value, label in Level.choices]
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Any status"), [(LIVE, _("Still open (any stage)")), *FlagStatus.choices]),
    )

    def __init__(self, *args, networks, liaisons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].offer(networks)
        self.fields["liaison"].offer(liaisons)


def _expected_status() -> forms.ChoiceField:
    return expected_status_field(FlagStatus.choices)


class FlagAcknowledgeForm(AccessibleFormMixin, forms.Form):
    note = text_area(
        _("Note for the school (optional)"),
        required=False,
        max_length=NOTE_TEXT,
        help_text=_("For example, when you will meet the principal about it."),
    )
    expected_status = _expected_status()


class FlagPlanForm(AccessibleFormMixin, forms.Form):
    plan = text_area(
        _("Improvement plan"),
        rows=8,
        max_length=LONG_TEXT,
        required_message=_("Write the improvement plan: what the school will do, and by when."),
        help_text=_(
            "What the school will do about each missed benchmark, who leads it, and by when. "
            "Your liaison and the autonomy office read it."
        ),
    )
    expected_status = _expected_status()


class FlagResolveForm(AccessibleFormMixin, forms.Form):
    note = text_area(
        _("Why the case is resolved"),
        max_length=NOTE_TEXT,
        required_message=_("Say why the case is resolved: the school reads this."),
        help_text=_("For example, the plan was carried out, or the results now meet the target."),
    )
    expected_status = _expected_status()


class FlagEscalateForm(AccessibleFormMixin, forms.Form):
    note = text_area(
        _("Why raise it"),
        max_length=NOTE_TEXT,
        required_message=_("Say why the flag is raised: the school reads this."),
        help_text=_("The school gets a new notice with a new deadline."),
    )
    expected_status = _expected_status()
    expected_level = forms.TypedChoiceField(choices=Level.choices, coerce=int, widget=forms.HiddenInput)


FLAG_FORMS = {
    "acknowledge": FlagAcknowledgeForm,
    "submit_plan": FlagPlanForm,
    "resolve": FlagResolveForm,
    "escalate": FlagEscalateForm,
}


class EvaluationRunForm(AccessibleFormMixin, forms.Form):
    as_of = forms.DateField(
        label="Evaluate as of",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Give the date to evaluate as of.", "invalid": "Give a date as YYYY-MM-DD."},
        help_text="Results are for the school year this date falls in.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate()})
        super().__init__(*args, **kwargs)
