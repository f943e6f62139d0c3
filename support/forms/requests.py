"""The support request pages' forms: asking for help, each workflow step, a message, the queue's filters and
the categories the autonomy office sets. They check shape and length (core.limits); the services check the
rules again, naming the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT
from support.models import Department, SupportCategory, SupportStatus
from support.selectors.requests import LIVE, UNASSIGNED, categories_by_department
from support.services.support_request_categories import DEADLINE_MAX, DEADLINE_MIN


def deadline_words(days: int) -> str:
    return ngettext("answered within %(days)s business day", "answered within %(days)s business days", days) % {
        "days": days
    }


class SupportRequestForm(AccessibleFormMixin, forms.Form):
    category = forms.TypedChoiceField(
        label=_("What do you need help with?"),
        coerce=int,
        error_messages={"required": _("Choose what you need help with.")},
        help_text=_(
            "Each department answers within the business days shown (weekends and district closures do not count)."
        ),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SHORT_TEXT,
        error_messages={"required": _("Say in a few words what you need.")},
        help_text=_("A few words, such as “Leaking roof in the gym”."),
    )
    body = text_area(
        _("Details"),
        rows=6,
        max_length=NOTE_TEXT,
        required_message=_("Describe what you need help with."),
        help_text=_("What happened, what you need, and by when if it is urgent."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = categories_by_department()
        self.categories = {category.pk: category for _, categories in groups for category in categories}
        self.fields["category"].choices = [
            ("", _("Choose a category")),
            *[
                (
                    department,
                    [(c.pk, f"{c.name} ({deadline_words(c.deadline_business_days)})") for c in categories],
                )
                for department, categories in groups
            ],
        ]

    def clean_category(self):
        return self.categories[self.cleaned_data["category"]]


def _expected_status():
    return expected_status_field(SupportStatus.choices)


class WaitForm(AccessibleFormMixin, forms.Form):
    message = text_area(
        _("What the school should send"),
        max_length=NOTE_TEXT,
        required_message=_("Say what the school should send."),
        help_text=_("The school reads this. The deadline is paused until they answer."),
    )
    expected_status = _expected_status()


class AnswerForm(AccessibleFormMixin, forms.Form):
    message = text_area(_("Your answer"), max_length=NOTE_TEXT, required_message=_("Write your answer."))
    expected_status = _expected_status()


class ResolveForm(AccessibleFormMixin, forms.Form):
    message = text_area(
        _("What was done"),
        max_length=NOTE_TEXT,
        required_message=_("Say what was done: the school reads this."),
        help_text=_("The school reads this, then closes the request with a rating or reopens it."),
    )
    expected_status = _expected_status()


class ReopenForm(AccessibleFormMixin, forms.Form):
    reason = text_area(
        _("What is still not right"), max_length=NOTE_TEXT, required_message=_("Say what is still not right.")
    )
    expected_status = _expected_status()


RATING_CHOICES = [
    (5, _("5: excellent")),
    (4, _("4: good")),
    (3, _("3: fair")),
    (2, _("2: poor")),
    (1, _("1: very poor")),
]


class CloseForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well were you served?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = text_area(_("Comment (optional)"), required=False, max_length=NOTE_TEXT)
    expected_status = _expected_status()


class ReassignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        error_messages={
            "required": _("Choose who takes it."),
            "invalid_choice": _("Choose a member of the department."),
        },
    )
    note = text_area(
        _("Internal note (optional)"),
        required=False,
        max_length=NOTE_TEXT,
        help_text=_("Only central office reads this."),
    )
    expected_status = _expected_status()

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


STEP_FORMS = {
    "wait": WaitForm,
    "answer": AnswerForm,
    "reassign": ReassignForm,
    "resolve": ResolveForm,
    "reopen": ReopenForm,
    "close": CloseForm,
}


class MessageForm(AccessibleFormMixin, forms.Form):
    body = text_area(_("Message"), rows=4, max_length=NOTE_TEXT, required_message=_("Write the message."))
    internal = forms.BooleanField(label=_("Internal note: only central office reads it"), required=False, initial=False)

    def __init__(self, *args, may_note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_note:
            del self.fields["internal"]


class QueueFilterForm(AccessibleFormMixin, forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(LIVE, _("Not yet resolved")), ("", _("Any status")), *SupportStatus.choices],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, departments, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(value, Department(value).label) for value in departments]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody yet")),
            *[(str(user.pk), user.get_full_name() or user.username) for user in staff],
        ]


class CategoryForm(AccessibleFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and dashes, such as facilities-repair. It cannot be changed later."),
        error_messages={"required": _("Give the category a short code.")},
    )
    name = forms.CharField(label=_("Name"), max_length=SHORT_TEXT, error_messages={"required": _("Name the category.")})
    department = forms.ChoiceField(label=_("Department that answers"), choices=Department.choices)
    deadline_business_days = forms.IntegerField(
        label=_("Deadline in business days"),
        min_value=DEADLINE_MIN,
        max_value=DEADLINE_MAX,
        initial=5,
        help_text=_("Weekends and the days the district's offices are closed do not count. The usual is 5."),
        error_messages={"required": _("Give the deadline in business days.")},
    )
    active = forms.BooleanField(
        label=_("Offered to schools"),
        required=False,
        initial=True,
        help_text=_("Untick to retire the category: requests already made keep it."),
    )

    def __init__(self, *args, editing: SupportCategory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            del self.fields["code"]
