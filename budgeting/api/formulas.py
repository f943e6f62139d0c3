"""Formula versions through the API, read-only: every parameter of a version as the formula page shows it,
figures as exact decimal strings (money to the cent, weights and shares to four places).

Finance only (budgeting.policies.can_manage_budgeting): anyone else signed in is answered 404, list and
detail alike, as budgeting's finance pages answer — the formula being drafted is not news to share.
"""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from budgeting.api.finance import FinanceOnlyMixin
from budgeting.models import (
    BaseMode,
    ConcentrationCurve,
    FormulaEvent,
    FormulaStatus,
    FormulaVersion,
    Foundation,
    SmallSchoolThreshold,
    TransitionMode,
    Weight,
    WeightConvention,
)
from core.api.events import status_event_serializer
from core.api.fields import ID_REGEX, EnumField
from schools.models import GradeBand
from schools.periods import validate_school_year

# --- what the API answers -------------------------------------------------------------------------


class FoundationSerializer(serializers.ModelSerializer):
    grade_band = EnumField(GradeBand, read_only=True, help_text="The school type the amount is for.")

    class Meta:
        model = Foundation
        fields = ["grade_band", "amount"]
        read_only_fields = fields


class WeightSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True, help_text="The category's code.")
    category_name = serializers.CharField(source="category.name", read_only=True)
    category_kind = serializers.CharField(source="category.kind", read_only=True, help_text="grade or need.")
    convention = EnumField(
        WeightConvention,
        read_only=True,
        help_text="multiplier: a student counts as `value` students; add_on: `value` × base on top.",
    )

    class Meta:
        model = Weight
        fields = ["category", "category_name", "category_kind", "convention", "value"]
        read_only_fields = fields


class ConcentrationSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True, help_text="The need's code.")
    start_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, help_text="Share of students where the extra weight starts."
    )
    full_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, read_only=True, help_text="Share where it reaches `max_weight`."
    )

    class Meta:
        model = ConcentrationCurve
        fields = ["category", "start_share", "full_share", "max_weight"]
        read_only_fields = fields


class ThresholdSerializer(serializers.ModelSerializer):
    grade_band = EnumField(GradeBand, read_only=True)

    class Meta:
        model = SmallSchoolThreshold
        fields = ["grade_band", "threshold"]
        read_only_fields = fields


class SmallSchoolSerializer(serializers.Serializer):
    rate = serializers.DecimalField(
        source="small_school_rate", max_digits=14, decimal_places=2, help_text="Dollars per student short."
    )
    cap_share = serializers.DecimalField(
        source="small_school_cap_share",
        max_digits=5,
        decimal_places=4,
        help_text="The amount is capped at this share of the school's formula amount; 0: no cap.",
    )
    thresholds = ThresholdSerializer(source="small_school_thresholds", many=True, read_only=True)


class TransitionSerializer(serializers.Serializer):
    mode = EnumField(TransitionMode, source="transition_mode")
    stop_loss_share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    gain_cap_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="Null under stop-loss: solved when computed."
    )
    percent_of_formula = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class FormulaVersionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:formula-version-detail")
    school_year = serializers.SlugRelatedField(slug_field="label", read_only=True, help_text="As 2026-27.")
    status = EnumField(FormulaStatus, read_only=True)
    base_mode = EnumField(BaseMode, read_only=True)
    base_per_pupil = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Entered; in pool mode, null until it is solved when allocations are computed.",
    )
    pool = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, help_text="Pool mode: the sum shared."
    )
    foundations = FoundationSerializer(many=True, read_only=True)
    weights = WeightSerializer(many=True, read_only=True)
    concentration_curves = ConcentrationSerializer(many=True, read_only=True)
    small_school = SmallSchoolSerializer(source="*", read_only=True)
    transition = TransitionSerializer(source="*", read_only=True)

    class Meta:
        model = FormulaVersion
        fields = [
            "id",
            "url",
            "school_year",
            "number",
            "name",
            "status",
            "base_mode",
            "base_per_pupil",
            "pool",
            "foundations",
            "weights",
            "concentration_curves",
            "small_school",
            "transition",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


FormulaEventSerializer = status_event_serializer(FormulaEvent, FormulaStatus, created="the draft was started")


class FormulaVersionDetailSerializer(FormulaVersionSerializer):
    events = FormulaEventSerializer(many=True, read_only=True, help_text="Who did what, oldest first.")

    class Meta(FormulaVersionSerializer.Meta):
        fields = [*FormulaVersionSerializer.Meta.fields, "notes", "events"]
        read_only_fields = fields


# --- filters and the endpoints -------------------------------------------------------------------


class FormulaFilter(django_filters.FilterSet):
    school_year = django_filters.CharFilter(
        field_name="school_year__label", validators=[validate_school_year], help_text="A school year, as 2026-27."
    )
    status = django_filters.ChoiceFilter(choices=FormulaStatus.choices)

    class Meta:
        model = FormulaVersion
        fields = ["school_year", "status"]


def formula_versions_with_parameters():
    """Versions with all their parameters: six queries, whatever the number of versions or weights."""
    by_category = ("category",)
    return FormulaVersion.objects.select_related("school_year").prefetch_related(
        "foundations",
        Prefetch("weights", queryset=Weight.objects.select_related(*by_category)),
        Prefetch(
            "concentration_curves",
            queryset=ConcentrationCurve.objects.select_related(*by_category).order_by(
                "category__display_order", "category__code"
            ),
        ),
        Prefetch("small_school_thresholds", queryset=SmallSchoolThreshold.objects.order_by("grade_band")),
    )


class FormulaVersionViewSet(FinanceOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Every version of every school year's funding formula, with all its parameters: finance only."""

    lookup_value_regex = ID_REGEX
    filterset_class = FormulaFilter
    ordering_fields = ["id", "number", "published_at", "updated_at"]
    ordering = ["-school_year__start_date", "-number", "-pk"]

    def get_queryset(self):
        versions = formula_versions_with_parameters()
        if self.action == "retrieve":
            events = FormulaEvent.objects.select_related("actor").order_by("at", "pk")
            versions = versions.prefetch_related(Prefetch("events", queryset=events))
        return versions

    def get_serializer_class(self):
        return FormulaVersionSerializer if self.action == "list" else FormulaVersionDetailSerializer
