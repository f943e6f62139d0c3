"""School allocations through the API, read-only: what the formula gives each school and, on one
allocation, why — its lines (basis × weight × per-capita amount = amount) as the school's page explains it.

Scoped by budgeting.policies.allocations_visible_to: a released allocation is seen by whoever sees the
school; finance sees every one, released or not. Anything else is 404. The list costs the same queries
with 1 row or 500, an allocation the same with 1 line or 30.
"""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from budgeting.models import AllocationLine, LineKind, SchoolAllocation, SetKind
from budgeting.policies import allocations_visible_to
from core.api.fields import ID_REGEX, EnumField
from schools.periods import validate_school_year

# --- what the API answers -------------------------------------------------------------------------


class AllocationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:allocation-detail")
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    school_name = serializers.CharField(source="school.name", read_only=True)
    school_year = serializers.CharField(
        source="allocation_set.formula.school_year.label", read_only=True, help_text="As 2026-27."
    )
    allocation_set = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The computation this allocation belongs to (one per formula and enrollment)."
    )
    kind = EnumField(SetKind, source="allocation_set.kind", read_only=True, help_text="Initial, or a true-up.")
    formula_version = serializers.IntegerField(
        source="allocation_set.formula.number", read_only=True, help_text="The formula version's number."
    )
    computed_at = serializers.DateTimeField(source="allocation_set.computed_at", read_only=True)
    released_on = serializers.DateField(
        source="allocation_set.released_on", read_only=True, allow_null=True, help_text="Null: not released yet."
    )
    formula_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Before the transition rule."
    )
    previous_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text="Last year's final amount."
    )

    class Meta:
        model = SchoolAllocation
        fields = [
            "id",
            "url",
            "school",
            "school_name",
            "school_year",
            "allocation_set",
            "kind",
            "formula_version",
            "computed_at",
            "released_on",
            "students",
            "formula_amount",
            "transition_adjustment",
            "final_amount",
            "per_pupil",
            "previous_amount",
        ]
        read_only_fields = fields


class AllocationLineSerializer(serializers.ModelSerializer):
    kind = EnumField(LineKind, read_only=True)
    category = serializers.CharField(
        source="category.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The enrollment category's code; null for a foundation, small-school or transition line.",
    )
    basis = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True, help_text="Students counted."
    )
    weight = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True, allow_null=True)
    per_capita = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text="Dollars per student counted."
    )

    class Meta:
        model = AllocationLine
        fields = ["position", "kind", "category", "label", "basis", "weight", "per_capita", "amount"]
        read_only_fields = fields


class AllocationDetailSerializer(AllocationSerializer):
    lines = AllocationLineSerializer(many=True, read_only=True, help_text="In order; they add up to the final.")

    class Meta(AllocationSerializer.Meta):
        fields = [*AllocationSerializer.Meta.fields, "lines"]
        read_only_fields = fields


# --- filters and the endpoints -------------------------------------------------------------------


class AllocationFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    school_year = django_filters.CharFilter(
        field_name="allocation_set__formula__school_year__label",
        validators=[validate_school_year],
        help_text="A school year, as 2026-27.",
    )
    kind = django_filters.ChoiceFilter(field_name="allocation_set__kind", choices=SetKind.choices)

    class Meta:
        model = SchoolAllocation
        fields = ["school", "school_year", "kind"]


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The school allocations you may see: released ones of the schools you see; finance, every one."""

    lookup_value_regex = ID_REGEX
    filterset_class = AllocationFilter
    ordering_fields = ["id", "final_amount", "per_pupil", "students"]
    ordering = ["school__code", "-allocation_set__computed_at", "pk"]

    def get_queryset(self):
        allocations = allocations_visible_to(self.request.user).select_related(
            "school", "allocation_set__formula__school_year"
        )
        if self.action == "retrieve":
            lines = AllocationLine.objects.select_related("category").order_by("position")
            allocations = allocations.prefetch_related(Prefetch("lines", queryset=lines))
        return allocations

    def get_serializer_class(self):
        return AllocationSerializer if self.action == "list" else AllocationDetailSerializer
