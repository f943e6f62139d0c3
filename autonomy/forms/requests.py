"""Forms for requests and their review: they check the shape of input; the services check the rules.

Field names are the keys services use in ApplicationError.fields with dashes for dots
(`items.<pk>.justification` → `items-<pk>-justification`; `answers.<pk>`, `outcomes.<n>.target`,
`items.<pk>.override_reason`…), so a refusal lands next to the field it is about.
"""

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _

from autonomy.models import AccountabilityModel, ItemDecision, Recommendation, RequestStatus
from autonomy.services import ItemChoice
from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import LONG_TEXT, NOTE_TEXT
from core.parsing import parse_ids
from schools.periods import validate_school_year


class ExpectedStatusForm(forms.Form):
    """Every POST that changes a request carries the status the user saw, so a stale click is a conflict."""

    expected_status = expected_status_field(RequestStatus.choices)


# --- the principal's steps ------------------------------------------------------------------------


class AutonomiesForm(AccessibleFormMixin, forms.Form):
    autonomies = forms.TypedMultipleChoiceField(
        label=_("Autonomies your school asks for"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autonomies"].choices = [(a.pk, a.name) for a in offered]

    def chosen(self) -> set[int]:
        if self.is_bound:
            return parse_ids(self.data.getlist("autonomies"))
        return set(self.initial.get("autonomies", []))


class ReasonsForm(AccessibleFormMixin, forms.Form):
    """For each chosen autonomy: why the school needs it, and the barrier it meets today."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"items-{item.pk}-justification"] = text_area(
                _("Why does your school need this?"),
                rows=4,
                required=False,
                max_length=LONG_TEXT,
                initial=item.justification,
                help_text=_("What you would decide differently, and what it would change for students."),
            )
            self.fields[f"items-{item.pk}-barrier"] = text_area(
                _("What stands in the way today? (optional)"),
                required=False,
                max_length=LONG_TEXT,
                initial=item.barrier,
                help_text=_(
                    "The district policy, procedure or bargaining-agreement clause that stands in the way today."
                ),
            )

    def rows(self):
        return [(item, self[f"items-{item.pk}-justification"], self[f"items-{item.pk}-barrier"]) for item in self.items]

    def values(self) -> dict[int, dict[str, str]]:
        return {
            item.pk: {
                "justification": self.cleaned_data[f"items-{item.pk}-justification"],
                "barrier": self.cleaned_data[f"items-{item.pk}-barrier"],
            }
            for item in self.items
        }


class PlanForm(AccessibleFormMixin, forms.Form):
    plan = text_area(
        _("Your school's plan"),
        rows=8,
        required=False,
        max_length=LONG_TEXT,
        help_text=_("How your school will use these decisions, who leads the work, and when."),
    )

    def __init__(self, *args, answered, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [a.question for a in answered]
        for answer in answered:
            self.fields[f"answers-{answer.question.pk}"] = text_area(
                answer.question.text, rows=4, required=False, max_length=LONG_TEXT, initial=answer.text
            )

    def answer_fields(self):
        return [self[f"answers-{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"answers-{q.pk}"] for q in self.questions}


class OutcomeForm(AccessibleFormMixin, forms.Form):
    metric = forms.ChoiceField(label=_("Measure"))
    baseline = forms.DecimalField(
        label=_("Where you are now (optional)"),
        required=False,
        max_digits=14,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=4, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    by_period = forms.CharField(
        label=_("By school year"), help_text=_("As 2027-28."), validators=[validate_school_year]
    )

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("Choose a measure"))] + [(m.code, m.name) for m in metrics]
        # Say which row a message is about: "Outcome 2: Target".
        self.number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix and self.prefix[-1].isdigit() else None


class BaseOutcomeFormSet(forms.BaseFormSet):
    def clean(self):
        """Refuse row counts the page did not send: a negative count reads as no rows at all, and a row
        counted as new though it is saved reads as unchanged and left out, and either way as a removal."""
        super().clean()
        counts = self.management_form.cleaned_data
        total, initial = counts.get(TOTAL_FORM_COUNT, 0), counts.get(INITIAL_FORM_COUNT, 0)
        if not 0 <= initial <= total or initial != len(self.initial or []):
            raise forms.ValidationError(
                _(
                    "The rows of this form do not match the page it came from (it was altered or is out of date). "
                    "Nothing was saved: reload the page and enter your changes again."
                ),
                code="row_counts_changed",
            )

    def kept_forms(self) -> list[OutcomeForm]:
        """The rows to save: those already saved, and new ones filled in; less those marked for removal."""
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed()) and not self._should_delete_form(form)
        ]

    def add_field_errors(self, fields: dict[str, list[str]]) -> None:
        kept = self.kept_forms()
        for key, messages in fields.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "outcomes" and parts[1].isdigit() and int(parts[1]) < len(kept):
                form = kept[int(parts[1])]
                form.add_error(parts[2] if parts[2] in form.fields else None, messages)
            else:
                self._non_form_errors = self.error_class(
                    [*self.non_form_errors(), *messages], error_class="nonform", renderer=self.renderer
                )


OutcomeFormSet = forms.formset_factory(
    OutcomeForm, formset=BaseOutcomeFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


# --- review and decision --------------------------------------------------------------------------


class CommentForm(AccessibleFormMixin, forms.Form):
    body = text_area(_("Comment"), rows=4, max_length=LONG_TEXT)
    to_school = forms.BooleanField(
        label=_("Visible to the school"),
        required=False,
        help_text=_("Leave unticked for a note only central office sees."),
    )
    recommendation = forms.ChoiceField(label=_("Your recommendation"), choices=Recommendation.choices, required=False)


class ClarifyForm(AccessibleFormMixin, forms.Form):
    explanation = text_area(
        _("Explain what schools may already do"),
        max_length=NOTE_TEXT,
        help_text=_("Every school will see this explanation in the clarified flexibilities list."),
    )


class ActionNoteForm(AccessibleFormMixin, ExpectedStatusForm):
    """Return for changes or decline: the note the school will read."""

    note = text_area(_("Note to the school"), max_length=NOTE_TEXT)


ITEM_DECISIONS = [
    (ItemDecision.APPROVED, _("Approve")),
    (ItemDecision.DECLINED, _("Decline")),
    (ItemDecision.CLARIFIED, _("Already allowed — no rule prevents this")),
]


class DecideForm(AccessibleFormMixin, ExpectedStatusForm):
    """One decision per requested autonomy, plus a note to the school."""

    note = text_area(_("Note to the school (optional)"), required=False, max_length=NOTE_TEXT)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"items-{item.pk}-decision"] = forms.ChoiceField(
                label=_("Decision"),
                choices=ITEM_DECISIONS,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Approve, decline or clarify “%(autonomy)s”.") % {"autonomy": item.autonomy.name}
                },
            )
            self.fields[f"items-{item.pk}-note"] = text_area(
                _("Note on this item"),
                rows=2,
                required=False,
                max_length=NOTE_TEXT,
                help_text=_("Required when you clarify: every school will see it."),
            )
            if item.autonomy.model == AccountabilityModel.EARNED:
                self.fields[f"items-{item.pk}-override_reason"] = text_area(
                    _("Override reason"),
                    rows=2,
                    required=False,
                    max_length=NOTE_TEXT,
                    help_text=_("Only if you approve although a criterion does not hold: say why."),
                )

    def item_fields(self, item):
        names = ("decision", "note", "override_reason")
        return {n: self[f"items-{item.pk}-{n}"] for n in names if f"items-{item.pk}-{n}" in self.fields}

    def choices(self):
        return {
            item.pk: ItemChoice(
                decision=self.cleaned_data[f"items-{item.pk}-decision"],
                note=self.cleaned_data[f"items-{item.pk}-note"],
                override_reason=self.cleaned_data.get(f"items-{item.pk}-override_reason", ""),
            )
            for item in self.items
        }


class RequestFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *RequestStatus.choices]
    )
    call = forms.ModelChoiceField(label=_("Call"), required=False, queryset=None, empty_label=_("Every call"))

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
