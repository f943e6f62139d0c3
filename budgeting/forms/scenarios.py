"""The scenario form: the parameters a what-if may change, each optional (blank keeps the formula's).

Weights and enrollment are typed one per line, so that finance can paste them from a spreadsheet:
`poverty = 0.15` and `S0001, poverty, 120`. This form reads those lines into the shape the service
checks (budgeting.services.scenarios); what a value may be is the service's rule, named by field."""

from django import forms

from budgeting.forms.formula_choices import FormulaSnapshotChoices
from budgeting.models import BaseMode, TransitionMode
from core.forms import AccessibleFormMixin, text_area
from core.limits import BRIEF_TEXT, NOTE_TEXT, SHORT_TEXT

KEEP = ("", "As in the formula")
MONEY_FIELDS = ("base_per_pupil", "pool")
SHARE_FIELDS = ("stop_loss_share", "gain_cap_share", "percent_of_formula")


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


class ScenarioForm(FormulaSnapshotChoices, AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=SHORT_TEXT)
    formula = forms.TypedChoiceField(label="Formula it changes", coerce=int)
    snapshot = forms.TypedChoiceField(label="Enrollment", coerce=int)
    base_mode = forms.ChoiceField(label="How the base is set", choices=[KEEP, *BaseMode.choices], required=False)
    base_per_pupil = forms.CharField(
        label="Base per pupil", required=False, max_length=20, help_text="Dollars: 4084.80."
    )
    pool = forms.CharField(label="Pool", required=False, max_length=20, help_text="The whole sum to share, in dollars.")
    weights = text_area(
        "Weights",
        required=False,
        max_length=BRIEF_TEXT,
        rows=4,
        help_text="One per line, a category code and its weight: poverty = 0.15",
    )
    transition_mode = forms.ChoiceField(
        label="Transition rule", choices=[KEEP, *TransitionMode.choices], required=False
    )
    stop_loss_share = forms.CharField(
        label="Stop-loss: most a school may lose", required=False, max_length=10, help_text="A share: 0.05 for 5%."
    )
    gain_cap_share = forms.CharField(
        label="Stop-loss: most a school may gain", required=False, max_length=10, help_text="A share: 0.03 for 3%."
    )
    percent_of_formula = forms.CharField(
        label="Percent of formula", required=False, max_length=10, help_text="A share: 0.90 for 90%."
    )
    enrollment = text_area(
        "Enrollment changes",
        required=False,
        max_length=BRIEF_TEXT,
        rows=4,
        help_text="One per line, a school code, a category code and the students: S0001, poverty, 120",
    )
    notes = text_area("Notes", required=False, max_length=NOTE_TEXT, rows=3)

    @staticmethod
    def formula_label(formula) -> str:
        return f"{formula.school_year.label}, version {formula.number} ({formula.get_status_display().lower()})"

    def clean_weights(self) -> dict:
        weights, problems = {}, []
        for number, line in _lines(self.cleaned_data["weights"]):
            code, sep, value = line.partition("=")
            if not sep or not code.strip() or not value.strip():
                problems.append(f"Line {number}: write a category code, “=” and the weight, as poverty = 0.15.")
                continue
            weights[code.strip()] = value.strip()
        if problems:
            raise forms.ValidationError(problems)
        return weights

    def clean_enrollment(self) -> dict:
        enrollment, problems = {}, []
        for number, line in _lines(self.cleaned_data["enrollment"]):
            parts = [part.strip() for part in line.split(",")]
            if len(parts) != 3 or not all(parts):
                problems.append(
                    f"Line {number}: write a school code, a category code and the students, as S0001, poverty, 120."
                )
                continue
            enrollment.setdefault(parts[0], {})[parts[1]] = parts[2]
        if problems:
            raise forms.ValidationError(problems)
        return enrollment

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {
            name: data[name] for name in ("base_mode", "transition_mode", *MONEY_FIELDS, *SHARE_FIELDS) if data[name]
        }
        if data["weights"]:
            changes["weights"] = data["weights"]
        if data["enrollment"]:
            changes["enrollment"] = data["enrollment"]
        return changes

    @staticmethod
    def initial_of(scenario) -> dict:
        changes = scenario.changes
        initial = {
            name: changes.get(name, "") for name in ("base_mode", "transition_mode", *MONEY_FIELDS, *SHARE_FIELDS)
        }
        initial["weights"] = "\n".join(f"{code} = {value}" for code, value in changes.get("weights", {}).items())
        initial["enrollment"] = "\n".join(
            f"{school}, {code}, {students}"
            for school, counts in changes.get("enrollment", {}).items()
            for code, students in counts.items()
        )
        return initial | {
            "name": scenario.name,
            "formula": scenario.formula_id,
            "snapshot": scenario.snapshot_id,
            "notes": scenario.notes,
        }


class ScenarioAdoptForm(AccessibleFormMixin, forms.Form):
    """Nothing to type: the button's post, so that adopting is a deliberate step."""
