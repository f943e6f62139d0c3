"""The first setup's forms: shape only; the services check the rest."""

import zoneinfo

from django import forms

from core.forms import AccessibleFormMixin
from core.limits import SHORT_TEXT


class DistrictForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label="District name", max_length=SHORT_TEXT, error_messages={"required": "Name the district."}
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Deadlines, the nightly check and dates on every page follow it.",
        choices=[(zone, zone) for zone in sorted(zoneinfo.available_timezones()) if "/" in zone],
    )


class SchoolYearForm(AccessibleFormMixin, forms.Form):
    label = forms.CharField(label="School year", max_length=7, help_text="As 2026-27.")
    start_date = forms.DateField(
        label="Starts on", help_text="Its first day, as July 1.", widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label="Ends on", help_text="Its last day, as June 30.", widget=forms.DateInput(attrs={"type": "date"})
    )
    first_day = forms.DateField(
        label="First day of school",
        help_text="The first day for students.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
