"""The public read-only API: the Autonomy Register and the contract results, as the open-data files
publish them (the same suppression). No token; throttled per address at the anonymous rate."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from reports.cache import public_version
from reports.forms_public import ServiceScoresFilterForm
from reports.selectors_open_data import register_rows, results_rows
from reports.selectors_service_scores import service_score_rows


class PublicRegisterRowSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="The school's code.")
    school_name = serializers.CharField()
    network = serializers.CharField(help_text="Empty when the school is in no network.")
    autonomy = serializers.CharField(help_text="The autonomy's code; empty for a school holding none.")
    autonomy_name = serializers.CharField()
    domain = serializers.CharField(help_text="people, time, money or program.")
    model = serializers.CharField(help_text="earned, full or programmatic.")
    status = serializers.CharField(help_text="active, at_risk or suspended.")
    since = serializers.CharField(help_text="The grant's start date, YYYY-MM-DD.")
    benchmarks_met = serializers.IntegerField(help_text="This school year, of the published results.")
    benchmarks_rated = serializers.IntegerField()


class PublicResultRowSerializer(serializers.Serializer):
    school = serializers.CharField()
    metric = serializers.CharField()
    metric_name = serializers.CharField()
    benchmark = serializers.CharField()
    period = serializers.CharField(help_text="The school year, as 2026-27.")
    value = serializers.CharField(
        help_text="The value; the policy's marker when the group is too small, or the coded bound (> 95%)."
    )
    target = serializers.CharField()
    status = serializers.CharField(help_text="met, not_met, no_data, or the marker when the value is hidden.")
    rating = serializers.CharField()


class PublicRowsViewSet(viewsets.GenericViewSet):
    authentication_classes: list = []  # no token, no session: every caller is an address
    permission_classes = [AllowAny]
    filter_backends: list = []
    surface = ""

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def variant(self) -> str:
        """What else the rows depend on besides the version (the filters asked for): part of the cache key."""
        return ""

    def list(self, request):
        key = f"reports:api:{public_version()}:{self.surface}:{self.variant()}"
        rows = cache.get(key)
        if rows is None:
            rows = self.rows()
            cache.set(key, rows, 60 * 60)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["public"], auth=[])
class PublicRegisterViewSet(PublicRowsViewSet):
    """The Autonomy Register: one row per school and autonomy it holds (a school holding none: one row)."""

    serializer_class = PublicRegisterRowSerializer
    surface = "api:register"

    def rows(self):
        return register_rows(today=timezone.localdate())


@extend_schema(tags=["public"], auth=[])
class PublicResultsViewSet(PublicRowsViewSet):
    """Every benchmark result of every active contract, through the district's suppression policy."""

    serializer_class = PublicResultRowSerializer
    surface = "api:results"

    def rows(self):
        return results_rows(surface=self.surface)


class PublicServiceScoreRowSerializer(serializers.Serializer):
    survey = serializers.CharField(help_text="The survey cycle, as its school year and term.")
    department = serializers.CharField(help_text="The department's key, e.g. academics.")
    department_name = serializers.CharField()
    network = serializers.CharField(help_text='"all" for the whole district, a network\'s id, or "none".')
    network_name = serializers.CharField()
    percent_positive = serializers.CharField(
        help_text="Whole percent of answers that agree or strongly agree; the coded bound (> 95%), or the "
        "policy's marker when too few principals answered."
    )
    grade = serializers.CharField(help_text="A, B, C, D or F; empty when the figure is hidden.")
    respondents = serializers.IntegerField(allow_null=True, help_text="Principals who answered; null when hidden.")


@extend_schema(
    tags=["public"],
    auth=[],
    parameters=[
        OpenApiParameter(
            "network",
            OpenApiTypes.STR,
            description='A network\'s id, "none" (schools in no network) or "all" (the whole district only).',
        )
    ],
)
class PublicServiceScoresViewSet(PublicRowsViewSet):
    """Principals' ratings of each central-office department in the latest closed service survey,
    district-wide and by network, through the survey's and the district's suppression (no school named)."""

    serializer_class = PublicServiceScoreRowSerializer
    surface = "api:service-scores"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        form = ServiceScoresFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        self.network = form.cleaned_data["network"]

    def variant(self):
        return f"{get_language()}:{self.network or ''}"

    def rows(self):
        return service_score_rows(surface=self.surface, network=self.network)
