"""The planning calendar's milestones through the API: everyone with a role reads them, filtered by school year
and kind; the autonomy office creates, changes and deletes them through the same services as the pages.

Only the milestones the office types in are here. The dates the calendar page adds from other rows (the
network opt-in window, the survey cycles) have their own endpoints, and calendar apps read all of them from
the page's private feed.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api.fields import ID_REGEX, EnumField, SlugChoiceField, StrictCharField, StrictInputSerializer, text
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import require
from schools.models import SchoolYear
from schools.periods import validate_school_year
from support.models import Milestone, MilestoneKind
from support.policies.calendar import can_manage_milestones, can_view_calendar
from support.selectors.calendar import milestones_list
from support.services.calendar import milestone_create, milestone_delete, milestone_update


class MilestoneSerializer(serializers.ModelSerializer):
    school_year = serializers.CharField(source="school_year.label", read_only=True, help_text="As 2026-27.")
    kind = EnumField(MilestoneKind, read_only=True)
    ends_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day of a span; null for one day."
    )

    class Meta:
        model = Milestone
        fields = ["id", "school_year", "kind", "title", "on", "ends_on", "description", "created_at", "updated_at"]
        read_only_fields = fields


class MilestoneInputSerializer(StrictInputSerializer):
    school_year = SlugChoiceField(
        slug_field="label", queryset=SchoolYear.objects.all(), help_text="The school year's label, as 2026-27."
    )
    kind = EnumField(MilestoneKind)
    title = StrictCharField(max_length=SHORT_TEXT)
    on = serializers.DateField(help_text="The day, or the first day of a span.")
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The last day of a span (inclusive); null for one day."
    )
    description = text(max_length=NOTE_TEXT)


class MilestoneFilter(django_filters.FilterSet):
    # A label checked by its shape before any lookup (a NUL would fail in PostgreSQL rather than find nothing).
    year = django_filters.CharFilter(
        field_name="school_year__label",
        validators=[validate_school_year],
        help_text="The school year's label, as 2026-27.",
    )
    kind = django_filters.ChoiceFilter(choices=MilestoneKind.choices)

    class Meta:
        model = Milestone
        fields = ["year", "kind"]


class MilestoneViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The district planning calendar's milestones, by date."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "on", "title"]
    ordering = ["on", "id"]

    def get_queryset(self):
        # Without a role there is nothing to read: an object is not found (404), the list is refused (403).
        if not can_view_calendar(self.request.user):
            return Milestone.objects.none()
        return milestones_list()

    def list(self, request, *args, **kwargs):
        require(can_view_calendar(request.user))
        return super().list(request, *args, **kwargs)

    def _write(self, request, save, *, partial_of=None):
        require(can_manage_milestones(request.user))
        data = MilestoneInputSerializer(data=request.data, partial=partial_of is not None and self.partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if partial_of is not None:
            values = {
                "school_year": partial_of.school_year,
                "kind": partial_of.kind,
                "title": partial_of.title,
                "on": partial_of.on,
                "ends_on": partial_of.ends_on,
                "description": partial_of.description,
            } | values
        return save(values)

    @extend_schema(
        request=MilestoneInputSerializer,
        responses={201: MilestoneSerializer},
        description="The autonomy office adds a milestone. Every date falls within its school year.",
    )
    def create(self, request, *args, **kwargs):
        milestone = self._write(request, lambda values: milestone_create(actor=request.user, **values))
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneInputSerializer,
        responses={200: MilestoneSerializer},
        description="The autonomy office changes a milestone: PUT sends every field, PATCH the ones that change.",
    )
    def update(self, request, *args, **kwargs):
        self.partial = kwargs.pop("partial", False)
        milestone = self.get_object()
        saved = self._write(
            request,
            lambda values: milestone_update(actor=request.user, milestone_id=milestone.pk, **values),
            partial_of=milestone,
        )
        return Response(MilestoneSerializer(saved).data)

    @extend_schema(request=MilestoneInputSerializer, responses={200: MilestoneSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(description="The autonomy office deletes a milestone.")
    def destroy(self, request, *args, **kwargs):
        milestone = self.get_object()
        milestone_delete(actor=request.user, milestone_id=milestone.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
