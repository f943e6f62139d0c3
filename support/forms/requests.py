"""The support request pages' forms: asking for help, each workflow step, a message, the queue's filters and
the categories the autonomy office sets. They check shape and length (core.limits); the services check the
rules again, naming the same fields."""

from django import forms

from core.forms import AccessibleFormMixin, expected_status_field, text_area
from core.limits import NOTE_TEXT, SHORT_TEXT
from support.models import Department, SupportCategory, SupportStatus
from support.selectors.requests import LIVE, UNASSIGNED, categories_by_department
from support.services.support_request_categories import DEADLINE_MAX, DEADLINE_MIN


def deadline_words(days: int) -> str:
    return f"answered within {days} business day{'s' if days != 1 else ''}"


class SupportRequestForm(AccessibleFormMixin, forms.Form):
    category = forms.TypedChoiceField(
        label="What do you need help with?",
        coerce=int,
        error_messages={"required": "Choose what you need help with."},
        help_text="Each department answers within the business days shown (weekends and district closures "
        "do not count).",
    )
    subject = forms.CharField(
        label="Subject",
        max_length=SHORT_TEXT,
        error_messages={"required": "Say in a few words what you need."},
        help_text="A few words, such as “Leaking roof in the gym”.",
    )
    body = text_area(
        "Details",
        rows=6,
        max_length=NOTE_TEXT,
        required_message="Describe what you need help with.",
        help_text="What happened, what you need, and by when if it is urgent.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = categories_by_department()
        self.categories = {category.pk: category for _, categories in groups for category in categories}
        self.fields["category"].choices = [
            ("", "Choose a category"),
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
        "What the school should send",
        max_length=NOTE_TEXT,
        required_message="Say what the school should send.",
        help_text="The school reads this. The deadline is paused until they answer.",
    )
    expected_status = _expected_status()


class AnswerForm(AccessibleFormMixin, forms.Form):
    message = text_area("Your answer", max_length=NOTE_TEXT, required_message="Write your answer.")
    expected_status = _expected_status()


class ResolveForm(AccessibleFormMixin, forms.Form):
    message = text_area(
        "What was done",
        max_length=NOTE_TEXT,
        required_message="Say what was done: the school reads this.",
        help_text="The school reads this, then closes the request with a rating or reopens it.",
    )
    expected_status = _expected_status()


class ReopenForm(AccessibleFormMixin, forms.Form):
    reason = text_area("What is still not right", max_length=NOTE_TEXT, required_message="Say what is still not right.")
    expected_status = _expected_status()


RATING_CHOICES = [
    (5, "5: excellent"),
    (4, "4: good"),
    (3, "3: fair"),
    (2, "2: poor"),
    (1, "1: very poor"),
]


class CloseForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="How well were you served?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5.", "invalid_choice": "Choose a rating from 1 to 5."},
    )
    comment = text_area("Comment (optional)", required=False, max_length=NOTE_TEXT)
    expected_status = _expected_status()


class ReassignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=None,
        error_messages={"required": "Choose who takes it.", "invalid_choice": "Choose a member of the department."},
    )
    note = text_area(
        "Internal note (optional)",
        required=False,
        max_length=NOTE_TEXT,
        help_text="Only central office reads this.",
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
    body = text_area("Message", rows=4, max_length=NOTE_TEXT, required_message="Write the message.")
    internal = forms.BooleanField(label="Internal note: only central office reads it", required=False, initial=False)

    def __init__(self, *args, may_note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_note:
            del self.fields["internal"]


class QueueFilterForm(AccessibleFormMixin, forms.Form):
    department = forms.ChoiceField(label="Department", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(LIVE, "Not yet resolved"), ("", "Any status"), *SupportStatus.choices],
    )
    assignee = forms.ChoiceField(label="Assigned to", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, departments, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(value, Department(value).label) for value in departments]
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            (UNASSIGNED, "Nobody yet"),
            *[(str(user.pk), user.get_full_name() or user.username) for user in staff],
        ]


class CategoryForm(AccessibleFormMixin, forms.Form):
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Lower-case letters, digits and dashes, such as facilities-repair. It cannot be changed later.",
        error_messages={"required": "Give the category a short code."},
    )
    name = forms.CharField(label="Name", max_length=SHORT_TEXT, error_messages={"required": "Name the category."})
    department = forms.ChoiceField(label="Department that answers", choices=Department.choices)
    deadline_business_days = forms.IntegerField(
        label="Deadline in business days",
        min_value=DEADLINE_MIN,
        max_value=DEADLINE_MAX,
        initial=5,
        help_text="Weekends and the days the district's offices are closed do not count. The usual is 5.",
        error_messages={"required": "Give the deadline in business days."},
    )
    active = forms.BooleanField(
        label="Offered to schools",
        required=False,
        initial=True,
        help_text="Untick to retire the category: requests already made keep it.",
    )

    def __init__(self, *args, editing: SupportCategory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            del self.fields["code"]
