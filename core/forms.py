"""The one form mixin every page form uses: inputs tied to their help and errors, and a service's refusal
put next to the fields it names."""

from django import forms
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.errors import ApplicationError
from core.parsing import parse_id


class DescribedBoundField(BoundField):
    """Django points an input at its help and its error under the ids `<auto_id>_helptext` and
    `<auto_id>_error` (BoundField.aria_describedby) and marks it aria-invalid when the field has errors;
    templates/partials/field.html and every fieldset draw the help and the error under those same ids."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        # Django leaves the inputs of a fieldset (radios, checkbox lists) undescribed; here each choice
        # names the help and the error too, so a screen reader hears them on whichever choice has focus.
        if self.use_fieldset and not attrs.get("aria-describedby") and (described := self.aria_describedby):
            attrs["aria-describedby"] = described
        return attrs


def form_field_name(key: str) -> str:
    """Services name what they refuse by domain names (`items.7.justification`, `outcomes.0.target`); a
    form field for it is named the same with dashes, as Django names formset fields."""
    return key.replace(".", "-")


def text_area(
    label: str,
    *,
    rows: int = 3,
    required: bool = True,
    max_length: int,
    required_message: str | None = None,
    help_text: str = "",
    initial: str | None = None,
) -> forms.CharField:
    """A box for a sentence or a paragraph (a reason, a note, a plan), so every page's reason reads the
    same way; `required_message` says what to write when it is left empty. `max_length` comes from
    core.limits, the limit the API and the services hold the same field to."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
        help_text=help_text,
        initial=initial,
    )


def expected_status_field(choices) -> forms.ChoiceField:
    """The status the person saw when the page was drawn, sent back hidden with a workflow step; the
    service refuses the step as a conflict if the row has moved on since."""
    return forms.ChoiceField(choices=choices, widget=forms.HiddenInput)


class QuickSelect(forms.Select):
    """A drop-down written in Python rather than through Django's templates, which draw each option through
    two included templates (select_option.html and attrs.html) and spend tens of microseconds an option: on
    a filter of hundreds of networks and liaisons that was most of the page's time. The markup is Django's,
    option for option (tests/core/test_forms.py)."""

    @classmethod
    def like(cls, widget: forms.Select) -> "QuickSelect":
        """The same drop-down (choices, attributes, whether it is required), written quickly."""
        quick = cls.__new__(cls)
        quick.__dict__.update(widget.__dict__)
        return quick

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = ['<select name="', conditional_escape(widget["name"]), '"', _attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts += ['\n  <optgroup label="', _text(group_name), '">']
            for option in options:
                parts += ['\n  <option value="', conditional_escape(option["value"]), '"']
                parts += [_attributes(option["attrs"]), ">", _text(option["label"]), "</option>\n"]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


def _text(value) -> str:
    """A value as a template prints it: localized, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _attributes(attrs: dict) -> str:
    """Django's attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class AccessibleFormMixin:
    """Put before `forms.Form`: renders every field as a DescribedBoundField, and drop-downs quickly (QuickSelect)."""

    bound_field_class = DescribedBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect.like(field.widget)

    def add_application_error(self, error: ApplicationError) -> None:
        """Each message next to the field it names. When the refusal names no field, or a row the form
        does not show (a template benchmark's key), its whole message goes on top, so the row is still named."""
        names = {key: form_field_name(key) for key in error.fields}
        if not error.fields or any(name not in self.fields for name in names.values()):
            self.add_error(None, error.message)
        for key, messages in error.fields.items():
            if names[key] in self.fields:
                self.add_error(names[key], messages)

    def add_field_errors(self, fields: dict[str, list[str]]) -> None:
        """Each message next to the field it names; those naming no field go on top. For pages that show
        the refusal's message elsewhere (as a flash message)."""
        for key, messages in fields.items():
            name = form_field_name(key)
            self.add_error(name if name in self.fields else None, messages)


class IdFilterField(forms.TypedChoiceField):
    """A row to filter a list by (a network, a liaison), offered as (id, label) pairs rather than a queryset:
    hundreds of options drawn as plain pairs, which a page may keep in the cache, with no model row built for
    each on every page. Cleaned to the row's id, or None for every row; an id not offered is refused."""

    def __init__(self, *, empty_label, **kwargs):
        self.empty_label = empty_label
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def offer(self, rows: list[tuple[int, str]]) -> None:
        self.choices = [("", self.empty_label), *rows]


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Choices of rows by id that refuses what cannot be an id (a sign, non-ASCII digits, a number past
    any bigint) as an invalid choice, before the database is asked: Django's `pk__in` lookup passes such a
    number on, and the database then fails rather than finding nothing."""

    def _check_values(self, value):
        for pk in value or []:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
