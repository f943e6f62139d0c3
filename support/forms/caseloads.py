"""The caseload pages' forms: they check the shape of what was typed; the rules (whose caseload, dates not
in the future, minutes in range, the limit) are the services', whose refusals go next to the fields named."""

from django import forms
from django.contrib.auth import get_user_model

from core.forms import AccessibleFormMixin, IdsChoiceField, text_area
from core.limits import NOTE_TEXT
from support.models import ENTRY_MAX_MINUTES, ContactKind, FocusArea
from support.services.partnership import Contact

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FocusChoices(IdsChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.name}"


class PartnershipEntryForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of contact", choices=[("", "Choose…"), *ContactKind.choices], help_text="How you met."
    )
    on = forms.DateField(label="Date", widget=DATE, help_text="Today or earlier.")
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=ENTRY_MAX_MINUTES,
        help_text=f"1 to {ENTRY_MAX_MINUTES} (a full day).",
    )
    with_principal = forms.BooleanField(
        label="Time spent with the principal",
        required=False,
        initial=True,
        help_text="Counts toward your share of time with principals.",
    )
    focus = FocusChoices(
        label="Focus",
        queryset=FocusArea.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The district's supervisor standards this contact worked on; the first four are about the "
        "principal's instructional leadership.",
    )
    notes = text_area("Notes", rows=4, max_length=NOTE_TEXT, required=False, help_text="The principal reads them.")
    next_steps = text_area(
        "Next steps agreed",
        max_length=NOTE_TEXT,
        required=False,
        help_text="What each of you will do next. The principal is told of them.",
    )
    next_step_due = forms.DateField(label="Next step due (optional)", required=False, widget=DATE)

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            kind=data["kind"],
            on=data["on"],
            minutes=data["minutes"],
            with_principal=data["with_principal"],
            focus=list(data["focus"]),
            notes=data["notes"],
            next_steps=data["next_steps"],
            next_step_due=data["next_step_due"],
        )

    @staticmethod
    def initial_for(entry) -> dict:
        return {
            "kind": entry.kind,
            "on": entry.on,
            "minutes": entry.minutes,
            "with_principal": entry.with_principal,
            "focus": [area.pk for area in entry.focus.all()],
            "notes": entry.notes,
            "next_steps": entry.next_steps,
            "next_step_due": entry.next_step_due,
        }


class LiaisonChoice(forms.ModelChoiceField):
    """Each liaison with the schools they hold now, the limit said in words."""

    def __init__(self, *args, held: dict[int, int], limit: int, **kwargs):
        self.held, self.limit = held, limit
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        count = self.held.get(obj.pk, 0)
        state = " — over the limit" if count > self.limit else " — at the limit" if count == self.limit else ""
        return f"{name} ({count} school{'' if count == 1 else 's'}{state})"


class LiaisonAssignForm(AccessibleFormMixin, forms.Form):
    """`choices`: every liaison with the schools they hold (support.selectors.caseloads.liaison_choices)."""

    def __init__(self, *args, choices: list, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        held = {liaison.pk: count for liaison, count in choices}
        self.fields["liaison"] = LiaisonChoice(
            queryset=get_user_model().objects.filter(pk__in=held).order_by("last_name", "first_name", "username"),
            held=held,
            limit=limit,
            required=False,
            label="Liaison",
            empty_label="No liaison for now",
            help_text=f"The district's limit is {limit} schools per liaison. You may go over it; the caseload "
            "pages then say so.",
        )


class ServicePolicyCaseloadForm(AccessibleFormMixin, forms.Form):
    caseload_limit = forms.IntegerField(
        label="Caseload limit (schools per liaison)", help_text="Most urban districts aim for about 12."
    )
    liaison_hours_per_week = forms.IntegerField(
        label="A liaison's working week, in hours", help_text="The time with principals is counted against it."
    )
    principal_time_target_percent = forms.IntegerField(
        label="Target share of time with principals, in percent",
        help_text="Principal supervisors spend about 61% of their time with principals on average.",
    )
