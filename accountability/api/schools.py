"""Schools as the API lists them: the school's facts and whether it has a live intervention flag."""

import django_filters
from django.db.models import Exists, OuterRef
from rest_framework import serializers, viewsets

from accountability.models import LIVE_FLAG_STATUSES, InterventionFlag
from schools.models import GradeBand, School
from schools.policies import schools_visible_to


class SchoolSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True, help_text="The network's name."
    )
    cohort = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True, help_text="The pilot cohort's name."
    )
    liaison = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The liaison's username."
    )
    flagged = serializers.BooleanField(read_only=True, help_text="Has an open, acknowledged or planned flag.")

    class Meta:
        model = School
        fields = ["code", "name", "grade_band", "network", "cohort", "liaison", "enrollment", "opened_year", "flagged"]
        read_only_fields = fields


class SchoolFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__name", help_text="The network's name.")
    liaison = django_filters.CharFilter(field_name="liaison__username", help_text="The liaison's username.")
    grade_band = django_filters.ChoiceFilter(choices=GradeBand.choices)
    flagged = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_flagged",
        help_text="Only schools with (true) or without (false) a live flag.",
    )

    class Meta:
        model = School
        fields = ["network", "liaison", "grade_band", "flagged"]

    def filter_flagged(self, queryset, name, value: str):  # the hint documents words, not a JSON boolean
        return queryset.filter(flagged=value == "true")


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """The schools you may see: the district for central office, a liaison's caseload, a school's own."""

    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]{1,20}"
    ordering_fields = ["code", "name", "enrollment"]
    ordering = ["code"]

    def get_queryset(self):
        live_flag = InterventionFlag.objects.filter(school=OuterRef("pk"), status__in=LIVE_FLAG_STATUSES)
        return (
            schools_visible_to(self.request.user)
            .select_related("network", "cohort", "liaison")
            .annotate(flagged=Exists(live_flag))
            .order_by("code")
        )
