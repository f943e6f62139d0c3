"""The planning calendar's forms: its filters, and the autonomy office's milestone form.

The forms check shape (a date is a date, a kind is a kind); the service checks the rest (the dates fall in
the school year, the last day is not before the first) and names the field it refuses.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT
from schools.models import SchoolYear
from support.models import Milestone, MilestoneKind


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarFilterForm(AccessibleFormMixin, forms.Form):
    """A year's choices are the years read once by the view (no second query to validate one)."""

    year = forms.ChoiceField(label=_("School year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Every kind")), *MilestoneKind.choices], required=False)

    def __init__(self, *args, years: list[SchoolYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year.label, year.label) for year in years]
        self._years = {year.label: year for year in years}

    def chosen(self, default: SchoolYear | None) -> tuple[SchoolYear | None, str]:
        """The year and kind asked for; a filter that is not one of the choices is ignored (and shown)."""
        if not self.is_bound:
            return default, ""
        self.is_valid()  # each field that is valid is in cleaned_data; a bad one is left out and shown
        data = self.cleaned_data
        return self._years.get(data.get("year") or "", default), data.get("kind", "")


class MilestoneForm(AccessibleFormMixin, forms.Form):
    school_year = forms.ModelChoiceField(
        label=_("School year"), queryset=SchoolYear.objects.order_by("start_date"), to_field_name="label"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MilestoneKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=SHORT_TEXT,
        help_text=_("What happens, as schools will read it: “Staffing plans due to HR”."),
        error_messages={"required": _("Give the milestone a title.")},
    )
    on = forms.DateField(label=_("Date"), widget=_date_input(), help_text=_("The day, or the first day of a span."))
    ends_on = forms.DateField(
        label=_("Last day (for a span of days)"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty for a single day. Every day from the first to the last is included."),
    )
    description = text_area(
        _("Description"), required=False, max_length=NOTE_TEXT, help_text=_("What schools should do or expect.")
    )

    @staticmethod
    def initial_of(milestone: Milestone) -> dict:
        return {
            "school_year": milestone.school_year.label,
            "kind": milestone.kind,
            "title": milestone.title,
            "on": milestone.on,
            "ends_on": milestone.ends_on,
            "description": milestone.description,
        }
