"""What-if scenarios through the API, read-only: each scenario's changes to its formula and, compared school
by school with the formula as it is, the summary the compare page shows (gainers, losers, the distribution
of changes) and every school's row, paginated.

Finance only (budgeting.policies.can_manage_budgeting): anyone else signed in is answered 404. Nothing of
a comparison is stored: it is computed when asked (budgeting.services.scenario_comparison), in a fixed
number of queries; a scenario whose formula or counts no longer compute is refused (400) with the reason.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from budgeting.api.finance import FinanceOnlyMixin
from budgeting.models import Scenario, ScenarioStatus, SnapshotKind
from budgeting.selectors import scenario_get, scenarios_for_finance
from budgeting.services.scenario_comparison import scenario_compare
from core.api.fields import ID_REGEX, EnumField
from core.api.pagination import ApiPagination

# --- what the API answers -------------------------------------------------------------------------


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


def _percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=1, read_only=True, allow_null=True, **kwargs)


class ScenarioSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scenario-detail")
    status = EnumField(ScenarioStatus, read_only=True)
    school_year = serializers.CharField(source="formula.school_year.label", read_only=True, help_text="As 2026-27.")
    formula = serializers.HyperlinkedRelatedField(
        view_name="api:formula-version-detail", read_only=True, help_text="The formula version it changes."
    )
    formula_version = serializers.IntegerField(source="formula.number", read_only=True)
    snapshot = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The enrollment snapshot it runs on.")
    snapshot_kind = EnumField(SnapshotKind, source="snapshot.kind", read_only=True)
    snapshot_as_of = serializers.DateField(source="snapshot.as_of", read_only=True)
    changes = serializers.DictField(
        read_only=True,
        help_text="What differs from the formula: base_per_pupil, pool, weights {category: value}, "
        "transition_mode and its shares, enrollment {school code: {category: students}}.",
    )
    adopted_as = serializers.HyperlinkedRelatedField(
        view_name="api:formula-version-detail",
        read_only=True,
        allow_null=True,
        help_text="The draft formula version it became, once adopted.",
    )
    comparison = serializers.HyperlinkedIdentityField(view_name="api:scenario-comparison")

    class Meta:
        model = Scenario
        fields = [
            "id",
            "url",
            "name",
            "status",
            "school_year",
            "formula",
            "formula_version",
            "snapshot",
            "snapshot_kind",
            "snapshot_as_of",
            "changes",
            "notes",
            "adopted_as",
            "comparison",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ComparedSchoolSerializer(serializers.Serializer):
    school = serializers.CharField(source="code", read_only=True, help_text="The school's code.")
    school_name = serializers.CharField(source="name", read_only=True)
    students = serializers.IntegerField(read_only=True)
    poverty_share = _percent(help_text="Percent of its students in poverty, in the scenario's counts.")
    published = _money(help_text="Its final amount under the formula as it is.")
    scenario = _money(help_text="Its final amount under the scenario.")
    difference = _money()
    change_percent = _percent(help_text="The difference in percent of the formula's amount; null if that was 0.")
    published_per_pupil = _money()
    scenario_per_pupil = _money()


class BucketSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True, help_text="As “Loses 5% to 10%”, from biggest loss to gain.")
    count = serializers.IntegerField(read_only=True)


class ComparisonSummarySerializer(serializers.Serializer):
    published_total = _money()
    scenario_total = _money()
    difference = _money()
    published_base = _money(help_text="The base per pupil under the formula (solved, in pool mode).")
    scenario_base = _money()
    gainers = serializers.IntegerField(read_only=True)
    losers = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    biggest_gains = ComparedSchoolSerializer(many=True, read_only=True)
    biggest_losses = ComparedSchoolSerializer(many=True, read_only=True)
    distribution = BucketSerializer(many=True, read_only=True)


class ComparisonPageSerializer(serializers.Serializer):
    """Documents the answer: the summary of every school, then one page of the schools, by name."""

    summary = ComparisonSummarySerializer(read_only=True)
    count = serializers.IntegerField(read_only=True, help_text="Schools compared.")
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = ComparedSchoolSerializer(many=True, read_only=True)


class ComparisonPageQuery(serializers.Serializer):
    """Documents the page's parameters; ApiPagination reads them (a bad one is 400 naming it)."""

    limit = serializers.IntegerField(
        min_value=1, required=False, help_text="Schools per page: 50 unless asked, at most 500."
    )
    offset = serializers.IntegerField(min_value=0, required=False, help_text="Schools to skip.")


# --- the endpoints ----------------------------------------------------------------------------------


class ScenarioViewSet(FinanceOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """The what-if scenarios, newest first, and each one compared with its formula: finance only."""

    serializer_class = ScenarioSerializer
    lookup_value_regex = ID_REGEX
    filterset_fields = ["status"]
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return scenarios_for_finance()

    def get_object(self) -> Scenario:
        return scenario_get(pk=int(self.kwargs["pk"]))

    @extend_schema(
        responses={200: ComparisonPageSerializer},
        parameters=[ComparisonPageQuery],
        filters=False,
        description="Every school under the formula and under the scenario: the summary of all of them, then "
        "a page of schools by name (`limit`, `offset`).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=ApiPagination)
    def comparison(self, request, pk=None):
        comparison = scenario_compare(scenario=self.get_object())
        paginator = self.paginator
        rows = paginator.paginate_queryset(comparison.rows, request, view=self)
        return Response(
            {
                "summary": ComparisonSummarySerializer(comparison).data,
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": ComparedSchoolSerializer(rows, many=True).data,
            }
        )
