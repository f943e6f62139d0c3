"""Input and output fields every app's API shares: strict about JSON types (DRF would take 5 for the text
"5", 0 or "yes" for a boolean, 1e400 for the text "inf"), and choices documented as one schema component
per choices class.

drf-spectacular names an enum after the property that holds it, so the `status` of a contract, a grant,
a flag and a run would collide, and one set of choices under `status` and `expected_status` would get two
names. EnumField names the component after its choices class (ContractStatus, GrantStatus…), which says
what it is and never collides.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from rest_framework import serializers

# Ids are whole numbers that fit a bigint: junk and overflowing ids answer 404 from the router, never 500.
ID_REGEX = r"[0-9]{1,18}"


class EnumField(serializers.ChoiceField):
    """A choice of a Django choices class; "1" is not the rung 1, nor 1 the status "1".

    With allow_blank, "" is a value too (an event's `from_status` when the object was created), and the
    component is named `<Class>OrBlank`.
    """

    def __init__(self, choices_class: type[models.Choices], **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)

    def to_internal_value(self, data):
        numeric = issubclass(self.choices_class, models.IntegerChoices)
        if isinstance(data, bool) or not isinstance(data, int if numeric else str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self) -> str:
        return self.target.choices_class.__name__ + ("OrBlank" if self.target.allow_blank else "")

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        values = list(choices.values) + ([""] if self.target.allow_blank else [])
        kind = "integer" if all(isinstance(value, int) for value in choices.values) else "string"
        description = build_choice_description_list(choices.choices)
        if self.target.allow_blank:
            description += "\n* `` (empty) - none"
        return {"type": kind, "enum": values, "description": description}


def expected_status_field(choices_class: type[models.Choices], *, noun: str) -> EnumField:
    """The status the caller saw, sent back with a workflow step: if the row has moved on since, the
    service refuses the step as a conflict (409) and nothing changes. Left out, the status is not checked."""
    return EnumField(
        choices_class,
        required=False,
        help_text=f"The status you saw: if the {noun} has moved on since, the step is refused (409) and nothing "
        "changes.",
    )


class StrictCharField(serializers.CharField):
    """Text that must be sent as a JSON string. NUL characters are refused by DRF's CharField itself."""

    default_error_messages = {"invalid": "Send text (a JSON string)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text(*, max_length: int, required: bool = False, **kwargs) -> StrictCharField:
    """Free text: may be blank unless required. `max_length` comes from core.limits, the limit the pages and
    the services hold the same field to."""
    return StrictCharField(max_length=max_length, required=required, allow_blank=not required, **kwargs)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class SlugChoiceField(serializers.SlugRelatedField):
    """A related object named by a text field (a school's code, a template's name). Anything but plain
    text is refused before the lookup: PostgreSQL would fail on a NUL character rather than find nothing."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            raise serializers.ValidationError("Null characters are not allowed.")
        return super().to_internal_value(data)


class StrictInputSerializer(serializers.Serializer):
    """Refuses keys it does not know (status, school, decided_by…) with 400 naming each, rather than
    silently ignoring them: a client that believes it changed a status is told it did not."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key[:100]: ["This field cannot be set here."] for key in unknown[:20]}
                )
        return super().to_internal_value(data)


class StoredTextsMixin:
    """For a model serializer: the district's translated texts (core.translated) read as stored, whatever
    the request's language: the English in the text's own field (`name`) and the Spanish in its own
    (`name_es`, blank when the district wrote none). A script gets the same answer from any client."""

    def to_representation(self, instance):
        with translation.override(settings.LANGUAGE_CODE):
            return super().to_representation(instance)
