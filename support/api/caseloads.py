"""Caseloads and the partnership log through the API.

`caseloads`: each liaison the caller may see (central office: every one; a liaison: their own) with the
schools they hold against the district's limit and their time with principals this month and this school
year, worked out as the pages say (support.selectors.caseloads). `partnership-entries`: the log's entries
the caller may read (the school's liaison, principal and team, and the autonomy office); a liaison logs a
contact at a school of their caseload through the same service as the page — a school outside it is
refused naming `school`. Anyone else's object answers 404.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api.fields import ID_REGEX, EnumField, StrictBooleanField, StrictInputSerializer, text
from core.api.steps import valid_input
from core.limits import NOTE_TEXT
from core.policies import ALLOW, deny, require
from schools.models import School
from schools.policies import roles_of, schools_visible_to
from support.models import ENTRY_MAX_MINUTES, ContactKind, FocusArea, PartnershipEntry
from support.policies.caseloads import is_liaison, partnership_entries_visible_to
from support.selectors.caseloads import (
    TimeShare,
    liaisons_with_load,
    periods_to,
)
from support.selectors.service_policy import service_policy_current
from support.services.partnership import Contact, partnership_entry_create

# --- caseloads ----------------------------------------------------------------------------------


class TimeShareSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(help_text="Minutes logged as spent with the principal in the period.")
    percent = serializers.IntegerField(
        help_text="Minutes ÷ (weeks elapsed × the working week's hours × 60), in whole percent."
    )
    weeks = serializers.FloatField(source="period.weeks", help_text="Weeks elapsed in the period, to today.")
    target_percent = serializers.IntegerField()
    meets_target = serializers.BooleanField(read_only=True)


class CaseloadSerializer(serializers.Serializer):
    liaison = serializers.IntegerField(source="pk", help_text="The liaison's user id.")
    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    schools = serializers.SerializerMethodField(help_text="The ids of the schools the liaison holds.")
    school_count = serializers.IntegerField(source="schools_held")
    limit = serializers.SerializerMethodField(help_text="The district's caseload limit.")
    over_limit = serializers.SerializerMethodField()
    month = serializers.SerializerMethodField()
    school_year = serializers.SerializerMethodField()

    def get_name(self, liaison) -> str:
        return liaison.get_full_name() or liaison.get_username()

    def get_schools(self, liaison) -> list[int]:
        return [school.pk for school in liaison.caseload.all()]

    def get_limit(self, liaison) -> int:
        return self.context["policy"].caseload_limit

    def get_over_limit(self, liaison) -> bool:
        return liaison.schools_held > self.context["policy"].caseload_limit

    def _share(self, minutes, period) -> dict:
        policy = self.context["policy"]
        share = TimeShare(minutes, period, policy.liaison_hours_per_week, policy.principal_time_target_percent)
        return TimeShareSerializer(share).data

    @extend_schema(responses=TimeShareSerializer)
    def get_month(self, liaison) -> dict:
        return self._share(liaison.minutes_month, self.context["periods"][0])

    @extend_schema(responses=TimeShareSerializer)
    def get_school_year(self, liaison) -> dict:
        return self._share(liaison.minutes_year, self.context["periods"][1])


class CaseloadViewSet(viewsets.ReadOnlyModelViewSet):
    """Liaisons' caseloads: central office sees every one, a liaison their own, anyone else none."""

    serializer_class = CaseloadSerializer
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "username"]
    ordering = ["username"]
    filterset_fields = []

    def _periods(self):
        if not hasattr(self, "_cached_periods"):
            self._cached_periods = periods_to(timezone.localdate())
        return self._cached_periods

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model, not the rows
            return get_user_model().objects.none()
        schools = Prefetch("caseload", queryset=School.objects.only("pk", "liaison_id").order_by("pk"))
        month, year = self._periods()
        return liaisons_with_load(self.request.user, month=month, year=year).prefetch_related(schools)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "policy": service_policy_current(), "periods": self._periods()}


# --- the partnership log ------------------------------------------------------------------------


class PartnershipEntrySerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    liaison = serializers.CharField(source="liaison.username", read_only=True, help_text="Who logged it.")
    kind = EnumField(ContactKind, read_only=True)
    focus = serializers.SerializerMethodField(help_text="The focus areas' numbers (the district's standards).")

    class Meta:
        model = PartnershipEntry
        fields = [
            "id",
            "school",
            "liaison",
            "kind",
            "on",
            "minutes",
            "with_principal",
            "focus",
            "notes",
            "next_steps",
            "next_step_due",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_focus(self, entry) -> list[int]:
        return [area.number for area in entry.focus.all()]


class WholeNumberField(serializers.IntegerField):
    """A whole number sent as a JSON number: "45" and true are refused, as the other strict fields refuse them."""

    default_error_messages = {"invalid": "Send a whole number (a JSON number)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class PartnershipEntryInput(StrictInputSerializer):
    school = serializers.CharField(max_length=20, help_text="The school's code: a school of your caseload.")
    kind = EnumField(ContactKind)
    on = serializers.DateField(help_text="The day of the contact: today or earlier.")
    minutes = WholeNumberField(min_value=1, max_value=ENTRY_MAX_MINUTES)
    with_principal = StrictBooleanField(required=False, default=True)
    focus = serializers.ListField(
        child=WholeNumberField(min_value=1, max_value=32767),
        required=False,
        max_length=20,
        help_text="Focus areas by number.",
    )
    notes = text(max_length=NOTE_TEXT)
    next_steps = text(max_length=NOTE_TEXT)
    next_step_due = serializers.DateField(required=False, allow_null=True)

    def validate_focus(self, numbers):
        areas = list(FocusArea.objects.filter(number__in=numbers))
        unknown = sorted(set(numbers) - {area.number for area in areas})
        if unknown:
            raise serializers.ValidationError(f"No focus area numbered {', '.join(map(str, unknown))}.")
        return areas


class PartnershipEntryFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    kind = django_filters.ChoiceFilter(choices=ContactKind.choices)

    class Meta:
        model = PartnershipEntry
        fields = ["school", "kind"]


def _may_log_at_all(user):
    """Asked before the body is read: only liaisons and the autonomy office ever log a contact."""
    if is_liaison(user) or roles_of(user).is_admin:
        return ALLOW
    return deny("Only liaisons log contacts in a partnership log.")


class PartnershipEntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Partnership log entries of the schools whose log you read, newest first; a liaison logs a contact at a
    school of their caseload."""

    serializer_class = PartnershipEntrySerializer
    lookup_value_regex = ID_REGEX
    filterset_class = PartnershipEntryFilter
    ordering_fields = ["id", "on"]
    ordering = ["-on", "-pk"]

    def get_queryset(self):
        return (
            partnership_entries_visible_to(self.request.user)
            .select_related("school", "liaison")
            .prefetch_related(Prefetch("focus", queryset=FocusArea.objects.order_by("number")))
        )

    @extend_schema(request=PartnershipEntryInput, responses={201: PartnershipEntrySerializer})
    def create(self, request, *args, **kwargs):
        require(_may_log_at_all(request.user))
        data = valid_input(PartnershipEntryInput, request)
        school = schools_visible_to(request.user).filter(code=data["school"]).first()
        if school is None:
            raise serializers.ValidationError({"school": ["Choose a school of your caseload, by its code."]})
        entry = partnership_entry_create(
            actor=request.user,
            school=school,
            contact=Contact(
                kind=data["kind"],
                on=data["on"],
                minutes=data["minutes"],
                with_principal=data.get("with_principal", True),
                focus=data.get("focus", []),
                notes=data.get("notes", ""),
                next_steps=data.get("next_steps", ""),
                next_step_due=data.get("next_step_due"),
            ),
        )
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)
