"""What the autonomy endpoints share: a stable order, strict input, and service errors keyed as the API names fields."""

import re

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.filters import OrderingFilter

from autonomy.models import GrantStatus, RequestStatus
from core.errors import ApplicationError

# Ids are whole numbers that fit a bigint: junk and overflowing ids answer 404 from the router, never 500.
ID_REGEX = r"[0-9]{1,18}"
# Long free text is capped so that one request cannot fill the database; the pages' texts fit easily.
LONG_TEXT = 20_000
NOTE_TEXT = 4_000


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as DRF reads it, with the primary key appended so that equal values keep one order
    from page to page."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("pk")
        return ordering


FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]


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


class StringField(serializers.CharField):
    """Text that must be sent as a JSON string: DRF's CharField would take 1e400 as the text "inf"."""

    default_error_messages = {"invalid": "Send text (a JSON string)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text(*, max_length: int = LONG_TEXT, required: bool = False, **kwargs) -> StringField:
    """Free text: may be blank unless required; NUL bytes are refused by DRF's CharField itself."""
    return StringField(max_length=max_length, required=required, allow_blank=not required, **kwargs)


def named_choice_field(component_name: str, choices, *, blank: bool = False) -> type[serializers.ChoiceField]:
    """A choice field documented as one named enum in the schema, wherever it is used.

    A request's and a grant's statuses both appear as `status`, `from_status`, `to_status` and
    `expected_status`; named once, they never collide with each other or with other apps' statuses.
    """
    values = [value for value, _ in choices] + ([""] if blank else [])
    meaning = "; ".join(f"`{value}`: {label}" for value, label in choices)
    schema = {"type": "string", "enum": values, "description": meaning + ("; `` (empty): none" if blank else "")}

    @extend_schema_field(schema, component_name=component_name)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, allow_blank=blank, **kwargs)

    NamedChoiceField.__name__ = NamedChoiceField.__qualname__ = f"{component_name}Field"
    return NamedChoiceField


# Prefixed: other apps name components after their choices classes (contracts' covered grants: GrantStatus).
RequestStatusField = named_choice_field("AutonomyRequestStatus", RequestStatus.choices)
RequestStatusOrNoneField = named_choice_field("AutonomyRequestStatusOrNone", RequestStatus.choices, blank=True)
GrantStatusField = named_choice_field("AutonomyGrantStatus", GrantStatus.choices)
GrantStatusOrNoneField = named_choice_field("AutonomyGrantStatusOrNone", GrantStatus.choices, blank=True)


ITEM_KEY = re.compile(r"^item-(\d+)-(\w+)$")
ANSWER_KEY = re.compile(r"^answer-(\d+)$")
OUTCOME_KEY = re.compile(r"^outcomes-(\d+)-(\w+)$")


def api_field_name(key: str, *, items: dict[int, str], answers: dict[int, str] | None = None) -> str:
    """A service's field key as the API names it: `item-7-justification` → `items.0.justification`,
    `answer-3` → `answers.1`, `outcomes-0-target` → `outcomes.0.target`.

    `items` maps an item's id to its place in the list the client sees (`items.<index>`), or to
    plain `items` when the client did not send that item; `answers` does the same for questions.
    """
    if match := ITEM_KEY.match(key):
        place = items.get(int(match[1]), "items")
        return f"{place}.{match[2]}" if place != "items" else "items"
    if match := ANSWER_KEY.match(key):
        return (answers or {}).get(int(match[1]), "answers")
    if match := OUTCOME_KEY.match(key):
        return f"outcomes.{match[1]}.{match[2]}"
    return key


def api_fields(fields: dict[str, list[str]], **places) -> dict[str, list[str]]:
    renamed: dict[str, list[str]] = {}
    for key, messages in fields.items():
        renamed.setdefault(api_field_name(key, **places), []).extend(messages)
    return renamed


def renamed_error(error: ApplicationError, **places) -> ApplicationError:
    """The same refusal (same class, so the same status code) with its fields named as the API names them."""
    return type(error)(error.message, fields=api_fields(error.fields, **places))
