"""The shapes of the formula pages' forms. Shares are typed as percents (5 for 5%) and handed to the services
as shares (0.05); weights as published (1.08, 0.12). The rules — a base above $0, a pool that covers the
foundations, a full share above the start — are the services' (budgeting.services.formula_edits); their
refusals come back on the fields named here, which carry the services' names."""

from decimal import Decimal

from django import forms

from budgeting.models import (
    BaseMode,
    CategoryKind,
    EnrollmentCategory,
    FormulaVersion,
    TransitionMode,
    WeightConvention,
)
from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT
from schools.models import GradeBand, SchoolYear

HUNDRED = Decimal(100)


def money_field(label: str, *, required=False, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=14, decimal_places=2, help_text=help_text
    )


def percent_field(label: str, *, required=False, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_value=100, decimal_places=2, help_text=help_text
    )


def weight_field(label: str, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=20, decimal_places=4, help_text=help_text
    )


def share_of(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else (percent / HUNDRED).normalize()


def percent_of(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * HUNDRED).normalize()


class GroupedForm(AccessibleFormMixin, forms.Form):
    """A form whose page draws its fields in groups: [(legend, [field names])]."""

    expected_status = expected_status_field(FormulaVersion._meta.get_field("status").choices)
    group_names: list[tuple[str, list[str]]] = []

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.group_names]


class FormulaNewForm(AccessibleFormMixin, forms.Form):
    school_year = forms.ModelChoiceField(
        label="School year", queryset=SchoolYear.objects.order_by("-start_date"), empty_label="Choose a year"
    )
    copy_from = forms.ModelChoiceField(
        label="Start from",
        required=False,
        queryset=FormulaVersion.objects.select_related("school_year").order_by("-school_year__start_date", "-number"),
        empty_label="An empty formula",
        help_text="A copy keeps every part of the version: base, foundations, weights, curves and rules.",
    )
    name = forms.CharField(label="Name", required=False, max_length=SHORT_TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].label_from_instance = lambda f: (
            f"{f.school_year.label}, version {f.number} ({f.get_status_display().lower()})"
        )


class FormulaBaseForm(GroupedForm):
    base_mode = forms.ChoiceField(label="The base per pupil is", choices=BaseMode.choices, widget=forms.RadioSelect)
    base_per_pupil = money_field("Base per pupil ($)", help_text="What one student weighted 1.00 brings, e.g. 4084.80.")
    pool = money_field("Pool ($)", help_text="The whole sum to share among the schools, when the base is solved.")
    group_names = [("Base", ["base_mode", "base_per_pupil", "pool"])]


class FormulaFoundationsForm(GroupedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band, label in GradeBand.choices:
            self.fields[f"foundation_{band}"] = money_field(f"{label} ($)")
        self.group_names = [("Foundation by school type", [f"foundation_{band}" for band in GradeBand.values])]

    def foundations(self) -> dict[str, Decimal | None]:
        return {band: self.cleaned_data[f"foundation_{band}"] for band in GradeBand.values}


class FormulaWeightsForm(GroupedForm):
    def __init__(self, *args, categories: list[EnrollmentCategory], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.group_names = []
        for category in categories:
            code = category.code
            self.fields[f"convention_{code}"] = forms.ChoiceField(
                label=f"{category.name}: counted as", choices=WeightConvention.choices, widget=forms.RadioSelect
            )
            self.fields[f"weight_{code}"] = weight_field(
                f"{category.name}: weight",
                help_text="Blank for no weight. 1.08 as a multiplier is 108% of the base; 0.12 as an add-on is +12%.",
            )
            self.group_names.append((category.name, [f"weight_{code}", f"convention_{code}"]))

    def weights(self) -> dict[str, tuple[str, Decimal] | None]:
        data = self.cleaned_data
        return {
            c.code: None
            if data[f"weight_{c.code}"] is None
            else (data[f"convention_{c.code}"], data[f"weight_{c.code}"])
            for c in self.categories
        }


class FormulaConcentrationForm(GroupedForm):
    def __init__(self, *args, categories: list[EnrollmentCategory], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = [c for c in categories if c.kind == CategoryKind.NEED]
        self.group_names = []
        for category in self.categories:
            code = category.code
            self.fields[f"start_{code}"] = percent_field(f"{category.name}: starts above (% of the school's students)")
            self.fields[f"full_{code}"] = percent_field(f"{category.name}: full at (% of the school's students)")
            self.fields[f"max_{code}"] = weight_field(
                f"{category.name}: full extra weight", help_text="0.10 adds 10% of the base."
            )
            self.group_names.append((category.name, [f"start_{code}", f"full_{code}", f"max_{code}"]))

    def curves(self) -> dict[str, tuple | None]:
        data = self.cleaned_data
        curves = {}
        for c in self.categories:
            parts = (share_of(data[f"start_{c.code}"]), share_of(data[f"full_{c.code}"]), data[f"max_{c.code}"])
            curves[c.code] = None if parts == (None, None, None) else parts
        return curves


class FormulaSmallSchoolForm(GroupedForm):
    small_school_rate = money_field("For each student short of the threshold ($)", required=True)
    small_school_cap_share = percent_field(
        "Capped at (% of the school's formula amount)", required=True, help_text="0 for no cap."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band, label in GradeBand.choices:
            self.fields[f"threshold_{band}"] = forms.IntegerField(
                label=f"{label}: below (students)", required=False, min_value=0, max_value=10_000
            )
        self.group_names = [
            ("Amount", ["small_school_rate", "small_school_cap_share"]),
            ("Threshold by school type (blank: no small-school amount)", [f"threshold_{b}" for b in GradeBand.values]),
        ]

    def thresholds(self) -> dict[str, int | None]:
        return {band: self.cleaned_data[f"threshold_{band}"] for band in GradeBand.values}


class FormulaTransitionForm(GroupedForm):
    transition_mode = forms.ChoiceField(label="Rule", choices=TransitionMode.choices, widget=forms.RadioSelect)
    stop_loss_share = percent_field("Stop-loss: the most a school may lose (% of last year)")
    gain_cap_share = percent_field(
        "Stop-loss: the most a school may gain (% of last year)",
        help_text="Blank to work out the cap that pays for the stop-loss.",
    )
    percent_of_formula = percent_field("Percent of formula (%)", help_text="90 funds schools at 90% of formula.")
    group_names = [
        ("Transition", ["transition_mode"]),
        ("Stop-loss", ["stop_loss_share", "gain_cap_share"]),
        ("Percent of formula", ["percent_of_formula"]),
    ]

    def rule(self) -> dict:
        data = self.cleaned_data
        return {
            "mode": data["transition_mode"],
            **{name: share_of(data[name]) for name in ("stop_loss_share", "gain_cap_share", "percent_of_formula")},
        }


class FormulaDetailsForm(GroupedForm):
    name = forms.CharField(label="Name", required=False, max_length=SHORT_TEXT)
    notes = text_area("Notes", required=False, max_length=NOTE_TEXT, rows=4)
    group_names = [("Name and notes", ["name", "notes"])]


class FormulaPublishForm(AccessibleFormMixin, forms.Form):
    expected_status = expected_status_field(FormulaVersion._meta.get_field("status").choices)
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)
