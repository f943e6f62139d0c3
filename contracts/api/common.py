"""What the contracts and accountability APIs share: choice fields documented as one schema component per
choices class, list ordering that is always stable, and a JSON parser that never fails with a 500.

EnumField: one schema component per choices class (ContractStatus, FlagStatus, …).

drf-spectacular names an enum after the property that holds it, so `status` of a contract, a grant, a
flag and a run would collide, and one choice set under `status` and `expected_status` would get two
names. Naming the component after the choices class says what it is and never collides.
"""

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from rest_framework import exceptions, filters, parsers, serializers


class EnumField(serializers.ChoiceField):
    """Also strict about the JSON type: "1" is not the rung 1, nor 1 the status "1"."""

    def __init__(self, choices_class: type[models.Choices], **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)

    def to_internal_value(self, data):
        numeric = issubclass(self.choices_class, models.IntegerChoices)
        if isinstance(data, bool) or not isinstance(data, int if numeric else str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


# DRF's text and boolean fields take a number for a text ("5" from 5) and 0, 1, "yes" for a boolean; what
# the schema calls a string or a boolean is only that here.


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class EnumFieldSchema(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self) -> str:
        return self.target.choices_class.__name__

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        values = list(choices.values)
        kind = "integer" if all(isinstance(value, int) for value in values) else "string"
        return {"type": kind, "enum": values, "description": build_choice_description_list(choices.choices)}


class StableOrderingFilter(filters.OrderingFilter):
    """Whatever a client orders by, ties are broken by id (in the direction of the view's default), so that
    pages of a list never overlap or skip a row."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if {"pk", "-pk", "id", "-id"} & set(ordering):
            return ordering
        descending = any(name in ("-pk", "-id") for name in getattr(view, "ordering", []))
        return [*ordering, "-pk" if descending else "pk"]


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested too deeply for Python's decoder is a 400 like any bad JSON,
    not a RecursionError (a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None


class SlugChoiceField(serializers.SlugRelatedField):
    """A related object named by a text field (a school's code, a template's name). Anything but plain
    text is refused before the lookup: PostgreSQL would fail on a NUL character rather than find nothing."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            raise serializers.ValidationError("Null characters are not allowed.")
        return super().to_internal_value(data)
