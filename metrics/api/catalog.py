from rest_framework import serializers, viewsets

from core.api.fields import StoredTextsMixin
from metrics.models import Metric


class MetricSerializer(StoredTextsMixin, serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = [
            "code",
            "name",
            "name_es",
            "unit",
            "direction",
            "category",
            "description",
            "description_es",
            "data_source",
            "min_value",
            "max_value",
        ]
        read_only_fields = fields


class MetricViewSet(viewsets.ReadOnlyModelViewSet):
    """The measures the district keeps, with the unit and range a value must fall in."""

    queryset = Metric.objects.order_by("code")
    serializer_class = MetricSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,60}"
    filterset_fields = ["category", "unit", "direction"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]
