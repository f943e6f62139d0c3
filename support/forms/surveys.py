"""The service surveys' forms: a cycle's dates and statements, a step on a cycle, a principal's answers, and
the results' filter. They check shape; the services (support.services.surveys, survey_answers) check the rules."""

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin, expected_status_field
from core.translated import stored
from schools.models import SchoolYear
from support.models import SCALE_MAX, SCALE_MIN, Department, SurveyStatus
from support.services.surveys import DEFAULT_ITEMS, ITEM_TEXT, MAX_ITEMS, TERM_TEXT

SCALE_WORDS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}
NO_EXPERIENCE = "none"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def item_field_name(number: int) -> str:
    return f"item_{number}"


def item_es_field_name(number: int) -> str:
    return f"item_es_{number}"


def _add_errors_by_name(form: forms.Form, error, field_name: Callable[[str], str]) -> None:
    """A service's refusal on the form: each message next to the field `field_name` finds for the key the
    service named it by (on top when the form has no such field), the whole message on top when it names none."""
    for key, messages in error.fields.items():
        name = field_name(key)
        form.add_error(name if name in form.fields else None, messages)
    if not error.fields:
        form.add_error(None, error.message)


class SurveyItemsForm(AccessibleFormMixin, forms.Form):
    """The dates and up to six statements; a statement left empty is dropped."""

    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), help_text=_("The last day principals may answer."), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_ITEMS + 1):
            self.fields[item_field_name(number)] = forms.CharField(
                label=_("Statement %(number)s") % {"number": number}, required=False, max_length=ITEM_TEXT
            )
        for number in range(1, MAX_ITEMS + 1):
            self.fields[item_es_field_name(number)] = forms.CharField(
                label=_("Statement %(number)s in Spanish") % {"number": number}, required=False, max_length=ITEM_TEXT
            )

    @classmethod
    def initial_for(cls, cycle) -> dict:
        initial = {"opens_on": cycle.opens_on, "closes_on": cycle.closes_on}
        for item in cycle.items.all():
            initial[item_field_name(item.position)] = stored(item, "text")
            initial[item_es_field_name(item.position)] = item.text_es
        return initial

    def items(self) -> list[str]:
        return [self.cleaned_data.get(item_field_name(n), "") for n in range(1, MAX_ITEMS + 1)]

    def items_es(self) -> list[str]:
        return [self.cleaned_data.get(item_es_field_name(n), "") for n in range(1, MAX_ITEMS + 1)]

    def dates_and_items(self) -> dict:
        """What both the create and the edit services take from this form."""
        data = self.cleaned_data
        return {
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "items": self.items(),
            "items_es": self.items_es(),
        }

    def add_application_error(self, error) -> None:
        """The service names `items[n]` and `items_es[n]`; the form's fields for them are `item_n`, `item_es_n`."""
        _add_errors_by_name(
            self, error, lambda key: key.replace("items_es[", "item_es_").replace("items[", "item_").rstrip("]")
        )


class SurveyCycleForm(SurveyItemsForm):
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.order_by("-start_date"))
    term = forms.CharField(label=_("Term"), max_length=TERM_TEXT, help_text=_("As Fall or Spring."))
    term_es = forms.CharField(
        label=_("Term in Spanish"),
        max_length=TERM_TEXT,
        required=False,
        help_text=_("As Otoño or Primavera: what Spanish readers see. Left blank, they see the English."),
    )
    field_order = ["school_year", "term", "term_es", "opens_on", "closes_on"]

    @classmethod
    def defaults(cls) -> dict:
        return {item_field_name(n): text for n, text in enumerate(DEFAULT_ITEMS, start=1)}


class SurveyStepForm(AccessibleFormMixin, forms.Form):
    expected_status = expected_status_field(SurveyStatus.choices)


def answer_field_name(department: str, position: int) -> str:
    return f"{department}-{position}"


class SurveyAnswerForm(AccessibleFormMixin, forms.Form):
    """One radio group per department and statement: 1 (strongly disagree) to 5 (strongly agree), or no
    experience. Every group must be answered, so "no experience" is a choice, never a blank."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        choices = [(str(v), f"{v} {SCALE_WORDS[v]}") for v in range(SCALE_MIN, SCALE_MAX + 1)]
        choices.append((NO_EXPERIENCE, _("No experience")))
        for department, name in Department.choices:
            for item in self.items:
                self.fields[answer_field_name(department, item.position)] = forms.ChoiceField(
                    label=f"{name}: {item.text.rstrip('.')}",
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose an answer, or no experience.")},
                )

    def groups(self) -> list[tuple[str, str, list]]:
        """(department, its name, [(statement, bound field)]) for the template's fieldsets."""
        return [
            (department, name, [(item, self[answer_field_name(department, item.position)]) for item in self.items])
            for department, name in Department.choices
        ]

    def answers(self) -> dict[str, dict[int, int | None]]:
        data = self.cleaned_data
        return {
            department: {
                item.position: None
                if data[answer_field_name(department, item.position)] == NO_EXPERIENCE
                else int(data[answer_field_name(department, item.position)])
                for item in self.items
            }
            for department in Department.values
        }

    def add_application_error(self, error) -> None:
        """The service names `answers[finance][2]`; the form's field for it is `finance-2`."""
        _add_errors_by_name(self, error, lambda key: key.replace("answers[", "").replace("][", "-").rstrip("]"))


class ResultsFilterForm(forms.Form):
    """Which department and network to look at; anything else is refused naming the filter (400)."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, departments, networks: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Department.choices)
        self.fields["department"].choices = [("", _("Every department"))] + [(d, labels[d]) for d in departments]
        self.fields["network"].choices = [("", _("The whole district"))] + list(networks.items())
