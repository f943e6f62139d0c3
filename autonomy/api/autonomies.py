"""The autonomy catalog: every decision right the district can hand to a school, with the accountability
model it is offered under and, for earned autonomies, the criteria a school must meet."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from autonomy.models import AccountabilityModel, Autonomy, Domain, EligibilityCriterion
from core.api.fields import StoredTextsMixin


class CriterionSerializer(serializers.ModelSerializer):
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True)
    metric_name = serializers.CharField(source="metric.name", read_only=True)
    text = serializers.CharField(source="__str__", read_only=True, help_text="As people read it: “… at least 4”.")

    class Meta:
        model = EligibilityCriterion
        fields = ["metric", "metric_name", "comparator", "threshold", "text"]
        read_only_fields = fields


class AutonomySerializer(StoredTextsMixin, serializers.ModelSerializer):
    criteria = CriterionSerializer(
        many=True, read_only=True, help_text="Earned autonomies: what must hold before a grant is approved."
    )

    class Meta:
        model = Autonomy
        fields = [
            "code",
            "domain",
            "name",
            "description",
            "school_decides",
            "district_keeps",
            "retention_expectations",
            "name_es",
            "description_es",
            "school_decides_es",
            "district_keeps_es",
            "retention_expectations_es",
            "model",
            "criteria",
        ]
        read_only_fields = fields


class AutonomyFilter(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(choices=Domain.choices)
    model = django_filters.ChoiceFilter(choices=AccountabilityModel.choices, help_text="The accountability model.")

    class Meta:
        model = Autonomy
        fields = ["domain", "model"]


class AutonomyViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalog; every signed-in user may read it. Look an entry up by its code, as `people.hiring`."""

    serializer_class = AutonomySerializer
    filterset_class = AutonomyFilter
    lookup_field = "code"
    lookup_value_regex = r"[a-z]{1,20}\.[a-z_]{1,40}"
    ordering_fields = ["code", "name", "domain", "display_order"]
    ordering = ["domain", "display_order", "code"]

    def get_queryset(self):
        criteria = EligibilityCriterion.objects.select_related("metric").order_by("metric__code", "pk")
        return Autonomy.objects.prefetch_related(Prefetch("criteria", queryset=criteria))
