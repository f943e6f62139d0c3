"""One shape for every workflow's events in the API: who, when, which step, from what to what, why, evidence."""

from rest_framework import serializers

from core.api.fields import EnumField

EVENT_FIELDS = ["at", "actor", "action", "from_status", "to_status", "reason", "evidence"]


def status_event_serializer(event_model, status_choices, *, created: str) -> type[serializers.ModelSerializer]:
    """The serializer of an app's StatusEvent model; `created` says what an empty `from_status` means."""

    class StatusEventSerializer(serializers.ModelSerializer):
        actor = serializers.SlugRelatedField(
            slug_field="username", read_only=True, allow_null=True, help_text="Null: the nightly evaluation."
        )
        from_status = EnumField(status_choices, allow_blank=True, read_only=True, help_text=f"Empty when {created}.")
        to_status = EnumField(status_choices, read_only=True)

        class Meta:
            model = event_model
            fields = EVENT_FIELDS
            read_only_fields = fields

    StatusEventSerializer.__name__ = f"{event_model.__name__}Serializer"
    return StatusEventSerializer
