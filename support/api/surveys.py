"""The service surveys through the API: the cycles (read), a closed cycle's results at the suppressed level
(filter by department and network; a suppressed cell carries no figure, only the words why), and a
principal's answers, through the same policy, selectors and services as the pages.

Who reads what follows support.policies.surveys: the autonomy office, the board and principals read every
department; a department's staff their own; anyone else is refused the list (403) and each cycle (404).
"""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.fields import ID_REGEX, EnumField, StrictInputSerializer
from core.api.steps import valid_input
from core.errors import NotPermitted
from core.policies import require
from schools.selectors import school_get_for_user
from support.models import SurveyCycle, SurveyStatus
from support.policies.surveys import (
    can_answer_survey,
    can_manage_surveys,
    can_view_survey_results,
    can_view_surveys,
)
from support.selectors.surveys import survey_cycle_get, survey_cycles_list, survey_results_for_user
from support.services.survey_answers import survey_answer_submit
from support.survey_results import NO_NETWORK, result_rows


class SurveyCycleSerializer(serializers.ModelSerializer):
    school_year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    status = EnumField(SurveyStatus, read_only=True)
    items = serializers.SerializerMethodField(help_text="The statements asked of each department, by number.")
    answered = serializers.IntegerField(source="answer_count", read_only=True, help_text="Schools that answered.")

    class Meta:
        model = SurveyCycle
        fields = ["id", "school_year", "term", "opens_on", "closes_on", "status", "items", "answered"]
        read_only_fields = fields

    def get_items(self, cycle) -> list[dict]:
        return [{"number": item.position, "text": item.text} for item in cycle.items.all()]


class ResultRowSerializer(serializers.Serializer):
    department = serializers.CharField()
    department_name = serializers.CharField()
    network = serializers.CharField(
        allow_null=True, help_text=f"A network's id, '{NO_NETWORK}', or null: the district."
    )
    network_name = serializers.CharField()
    item = serializers.IntegerField(allow_null=True, help_text="The statement's number, or null: all statements.")
    item_text = serializers.CharField()
    shown = serializers.BooleanField(source="cell.shown", read_only=True)
    respondents = serializers.IntegerField(source="cell.respondents", allow_null=True)
    percent_positive = serializers.IntegerField(source="cell.percent_positive", allow_null=True)
    mean = serializers.DecimalField(source="cell.mean", max_digits=3, decimal_places=1, allow_null=True)
    grade = serializers.CharField(source="cell.grade")
    note = serializers.CharField(source="cell.hidden", help_text="Why no figure is shown, where none is.")


class ResultsSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    minimum = serializers.IntegerField(help_text="Figures are shown only where at least this many answered.")
    rows = ResultRowSerializer(many=True)


class SurveyAnswerInput(StrictInputSerializer):
    answers = serializers.JSONField(
        help_text='By department, then statement number: 1 to 5, or null for no experience, as {"finance": {"1": 4}}.'
    )


class SurveyCycleViewSet(viewsets.ReadOnlyModelViewSet):
    """Survey cycles, newest first; their results once closed; principals answer an open one."""

    serializer_class = SurveyCycleSerializer
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "opens_on"]
    ordering = ["-opens_on", "-id"]
    filterset_fields = ["status"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # 401 without credentials comes first
        if self.action == "answer":
            return
        if not (decision := can_view_surveys(request.user)):
            raise NotPermitted(decision.reason) if self.action == "list" else NotFound()

    def get_queryset(self):
        """The office sees its drafts; everyone else a cycle once it has opened."""
        cycles = survey_cycles_list().prefetch_related("items")
        return cycles if can_manage_surveys(self.request.user) else cycles.exclude(status=SurveyStatus.DRAFT)

    def get_object(self) -> SurveyCycle:
        try:
            cycle = survey_cycle_get(pk=self.kwargs["pk"])
        except Http404:
            raise NotFound() from None
        if cycle.status == SurveyStatus.DRAFT and not can_manage_surveys(self.request.user):
            raise NotFound()
        return cycle

    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="A department's key."),
            OpenApiParameter("network", str, description=f"A network's id, or '{NO_NETWORK}'."),
        ],
        responses={200: ResultsSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        cycle = self.get_object()
        require(can_view_survey_results(request.user, cycle))
        results = survey_results_for_user(user=request.user, cycle=cycle)
        department, network = _filters(request, results)
        rows = result_rows(results.departments, department=department, network=network)
        return Response(ResultsSerializer({"cycle": cycle.pk, "minimum": results.minimum, "rows": rows}).data)

    @extend_schema(request=SurveyAnswerInput, responses={201: None})
    @action(detail=True, methods=["post"], url_path=r"schools/(?P<code>[A-Za-z0-9_.-]{1,20})/answer")
    def answer(self, request, pk=None, code=None):
        """Your school's answers, once: kept without your name or your school's. Who may answer is asked
        before the body is read: another school is 404, anyone but its principal 403, a closed cycle 409."""
        school = school_get_for_user(user=request.user, code=code)
        cycle = self.get_object()
        require(can_answer_survey(request.user, cycle, school, today=timezone.localdate()))
        data = valid_input(SurveyAnswerInput, request)
        survey_answer_submit(actor=request.user, cycle=cycle, school=school, answers=data["answers"])
        return Response({"detail": f"Your answers to the {cycle} survey are in."}, status=status.HTTP_201_CREATED)


def _filters(request, results) -> tuple[str | None, str | None]:
    """The department and network asked for, each one of the results' own keys; else 400 naming it."""
    department = request.query_params.get("department") or None
    network = request.query_params.get("network") or None
    errors = {}
    if department and department not in {d.department for d in results.departments}:
        errors["department"] = ["Not one of the departments you may read."]
    if network and network not in results.networks:
        errors["network"] = ["No such network."]
    if errors:
        raise serializers.ValidationError(errors)
    return department, network
