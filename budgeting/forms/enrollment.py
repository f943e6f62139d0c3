"""Forms of finance's enrollment pages. They check shape only; budgeting.services.enrollment checks the rows
and the rules (what a count may be, which snapshot may change)."""

from django import forms
from django.core.exceptions import ValidationError

from budgeting.models import EnrollmentCategory, SnapshotKind
from core.forms import AccessibleFormMixin
from core.parsing import parse_id
from metrics.forms import ObservationImportForm
from schools.models import School, SchoolYear

DAY_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _school_year_field(label: str, help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=SchoolYear.objects.order_by("-start_date"),
        to_field_name="label",
        help_text=help_text,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a school year from the list."},
    )


def _day_field(help_text: str) -> forms.DateField:
    return forms.DateField(
        label="Counted on",
        widget=DAY_WIDGET,
        help_text=help_text,
        error_messages={"required": "Enter the day.", "invalid": "Enter a date, as 2027-03-01."},
    )


class EnrollmentImportForm(ObservationImportForm):
    """The observation import's file field and its checks (size, name, UTF-8), with the snapshot's terms."""

    school_year = _school_year_field("School year", "The year these students are counted for.")
    kind = forms.ChoiceField(
        label="Kind of count",
        choices=SnapshotKind.choices,
        widget=forms.RadioSelect,
        help_text="Projected: the spring estimate the budget is built on. Official: the fall count, for true-ups.",
        error_messages={"required": "Choose projected or official."},
    )
    as_of = _day_field("Importing again for the same year, kind and day replaces that snapshot.")

    field_order = ["school_year", "kind", "as_of", "file"]


class EnrollmentProjectForm(AccessibleFormMixin, forms.Form):
    school_year = _school_year_field(
        "Project the school year", "Projected from the official counts of the three years before it."
    )
    as_of = _day_field("Projecting again for the same year and day replaces that projection.")


class EnrollmentCountForm(AccessibleFormMixin, forms.Form):
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.order_by("name"),
        to_field_name="code",
        error_messages={"invalid_choice": "Choose a school from the list."},
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=EnrollmentCategory.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": "Choose a category from the list."},
    )
    students = forms.CharField(
        label="Students",
        max_length=20,
        help_text="A whole number, as 1204.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Enter the number of students."},
    )

    def clean_students(self) -> int:
        """ASCII digits only (core.parsing): the service then checks the range."""
        number = parse_id(self.cleaned_data["students"].replace(",", ""))
        if number is None:
            raise ValidationError("Enter a whole number of students, 0 or more, in digits: 1204.")
        return number
