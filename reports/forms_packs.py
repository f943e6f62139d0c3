"""Forms of the autonomy office's packs: the board pack's dates, the dossier's school and year. They check
shape only: dates written as YYYY-MM-DD in plain digits, the first on or before the last, at most two
years apart; a school and a year that exist."""

import datetime
import re

from django import forms

from core.forms import AccessibleFormMixin
from schools.models import School, SchoolYear

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MOST_YEARS = 2
FIRST_YEAR, LAST_YEAR = 1900, 2999


class PlainDateField(forms.DateField):
    """A date as YYYY-MM-DD in ASCII digits only: Python would also read "２０２６" as a year."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not ISO_DAY.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def validate(self, value):
        super().validate(value)
        # A range reaching year 1 or 9999 has no day before or after it in every time zone.
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(f"Give a day between {FIRST_YEAR} and {LAST_YEAR}.", code="out_of_range")


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (February 29 becomes February 28), or the last day there is."""
    if day.year + years > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 in a year that has none
        return day.replace(year=day.year + years, day=28)


class BoardPackForm(AccessibleFormMixin, forms.Form):
    since = PlainDateField(
        label="First day",
        error_messages={
            "required": "Give the first day, as YYYY-MM-DD.",
            "invalid": "Give the first day as YYYY-MM-DD.",
        },
        help_text="The first day the pack covers.",
    )
    until = PlainDateField(
        label="Last day",
        error_messages={"required": "Give the last day, as YYYY-MM-DD.", "invalid": "Give the last day as YYYY-MM-DD."},
        help_text="The last day the pack covers, at most two years after the first.",
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if until < since:
                self.add_error("until", "The last day must be on or after the first day.")
            elif until > _years_later(since, MOST_YEARS):
                self.add_error(
                    "until", "A pack covers at most two years: choose a later first day or an earlier last day."
                )
        return data


class DossierForm(AccessibleFormMixin, forms.Form):
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.order_by("name"),
        to_field_name="code",
        empty_label="Choose a school",
        error_messages={"required": "Choose a school.", "invalid_choice": "Choose a school from the list."},
    )
    school_year = forms.ModelChoiceField(
        label="School year",
        queryset=SchoolYear.objects.order_by("-start_date"),
        to_field_name="label",
        empty_label="Choose a school year",
        error_messages={"required": "Choose a school year.", "invalid_choice": "Choose a school year from the list."},
    )
