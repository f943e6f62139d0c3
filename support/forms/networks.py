"""The networks pages' forms: they check the shape of what was typed; the rules (the window, places, the
agreement's allowances) are support.services.networks*'s, whose refusals are put next to the fields named."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import BRIEF_TEXT, NOTE_TEXT, SHORT_TEXT
from schools.models import Network, NetworkKind, SchoolYear
from support.models import Department, DepartmentStaff, NetworkRequestStatus


class NetworkChoiceField(forms.ModelChoiceField):
    """A network named with its kind and the places it has left, so a full one says so in words."""

    def __init__(self, *args, places: dict[int, int | None] | None = None, **kwargs):
        self.places = places or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        left = self.places.get(obj.pk)
        values = {"name": obj.name, "kind": obj.get_kind_display(), "left": left}
        if obj.capacity is None:
            return _("%(name)s (%(kind)s, no limit on places)") % values
        if left == 0:
            return _("%(name)s (%(kind)s, full)") % values
        return (
            ngettext("%(name)s (%(kind)s, %(left)s place left)", "%(name)s (%(kind)s, %(left)s places left)", left or 0)
            % values
        )


class NetworkRequestForm(AccessibleFormMixin, forms.Form):
    network = NetworkChoiceField(
        queryset=Network.objects.order_by("name"), label=_("Network"), empty_label=_("Choose a network")
    )
    reason = text_area(
        _("Why this network suits your school"),
        rows=4,
        max_length=NOTE_TEXT,
        required_message=_("Say why this network suits the school."),
        help_text=_(
            "The autonomy office reads this when it decides: say what your school needs from the network's team."
        ),
    )

    def __init__(self, *args, places=None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        field.places = places or {}
        if exclude is not None:
            field.queryset = field.queryset.exclude(pk=exclude.pk)


class NetworkDecisionForm(AccessibleFormMixin, forms.Form):
    note = text_area(_("Note to the principal (optional)"), rows=2, max_length=NOTE_TEXT, required=False)
    expected_status = expected_status_field(NetworkRequestStatus.choices)


class NetworkDeclineForm(AccessibleFormMixin, forms.Form):
    note = text_area(
        _("Why it is declined"),
        rows=2,
        max_length=NOTE_TEXT,
        required_message=_("Say why the request is declined."),
        help_text=_("The principal reads this."),
    )
    expected_status = expected_status_field(NetworkRequestStatus.choices)


class NetworkWithdrawForm(AccessibleFormMixin, forms.Form):
    expected_status = expected_status_field(NetworkRequestStatus.choices)


class NetworkEditForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=NetworkKind.choices, label=_("Kind of network"))
    offers = text_area(
        _("What the network offers"),
        rows=4,
        max_length=BRIEF_TEXT,
        required=False,
        help_text=_("A few lines principals read when they choose: the team's focus, the schools it suits."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (optional)"),
        required=False,
        min_value=1,
        max_value=32767,
        help_text=_("The most schools the network takes. Leave it empty for no limit."),
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.user.get_full_name() or obj.user.username
        return f"{obj.get_department_display()}: {name}{' (head)' if obj.is_head else ''}"


class TeamSeatForm(AccessibleFormMixin, forms.Form):
    staff = StaffChoiceField(
        queryset=DepartmentStaff.objects.select_related("user").order_by("department", "-is_head", "user__last_name"),
        label=_("Person and function"),
        empty_label=_("Choose somebody"),
        help_text=_("Central-office staff, listed under the department they work in."),
    )
    title = forms.CharField(label=_("Title on the team (optional)"), required=False, max_length=SHORT_TEXT)


class AllowanceForm(AccessibleFormMixin, forms.Form):
    department = forms.ChoiceField(choices=Department.choices, label=_("Service the schools may opt out of"))
    terms = text_area(
        _("Terms"),
        rows=3,
        max_length=NOTE_TEXT,
        required=False,
        help_text=_("What a school takes on when it opts out (it buys or runs the service itself, reports to …)."),
    )


class WindowForm(AccessibleFormMixin, forms.Form):
    school_year = forms.ModelChoiceField(
        queryset=SchoolYear.objects.order_by("-start_date"), label=_("School year"), empty_label=_("Choose a year")
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day principals may ask."),
    )


class OptOutForm(AccessibleFormMixin, forms.Form):
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.none(), label=_("School year"), empty_label=None)
    department = forms.ChoiceField(choices=(), label=_("Service"))
    reason = text_area(_("How the school will run or buy it (optional)"), rows=2, max_length=NOTE_TEXT, required=False)

    def __init__(self, *args, allowed=(), years=None, **kwargs):
        super().__init__(*args, **kwargs)
        if years is not None:
            self.fields["school_year"].queryset = years
        labels = dict(Department.choices)
        self.fields["department"].choices = [("", _("Choose a service"))] + [(d, labels[d]) for d in allowed]
