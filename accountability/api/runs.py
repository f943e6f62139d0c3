"""Evaluation runs through the API, for the autonomy office as on the runs page: list and read them with
their progress and counts, and start one, through the same service as the runs page
(evaluation_run_request). A started run works in the background (the task is enqueued when the
request's writes are committed): the answer is 202 with the run's URL to poll; a run for the date still
in progress is 409. A dry run is the page's preview: worked out, answered, and rolled back.
"""

import django_filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from accountability.models import EvaluationRun, RunStatus
from accountability.policies import can_run_evaluation
from accountability.services import SUMMARY_KEYS, RunInProgress, RunTrigger, evaluation_run_request
from accountability.wording import COUNT_LABELS
from core.api.errors import ErrorSerializer
from core.api.fields import EnumField, StrictBooleanField
from core.errors import Conflict
from core.policies import require


class RunCountsSerializer(serializers.Serializer):
    """What the run counted; 0 for anything it did not get to (a run still working counts nothing yet)."""

    def get_fields(self):
        return {key: serializers.IntegerField(default=0, help_text=f"{COUNT_LABELS[key]}.") for key in SUMMARY_KEYS}


class RunSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluation-run-detail")
    status = EnumField(RunStatus, read_only=True)
    counts = RunCountsSerializer(read_only=True)
    duration_seconds = serializers.SerializerMethodField(help_text="From start to finish; null while it runs.")
    confirmed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    discarded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = EvaluationRun
        fields = [
            "id",
            "url",
            "as_of",
            "status",
            "trigger",
            "attempts",
            "started_at",
            "finished_at",
            "duration_seconds",
            "counts",
            "held_reason",
            "error",
            "confirmed_by",
            "discarded_by",
        ]
        read_only_fields = fields

    def get_duration_seconds(self, run: EvaluationRun) -> float | None:
        if run.finished_at is None or run.started_at is None:
            return None
        return round((run.finished_at - run.started_at).total_seconds(), 3)


class RunPreviewSerializer(serializers.Serializer):
    """What a run as of the date would do, worked out and rolled back: nothing was recorded."""

    as_of = serializers.DateField()
    dry_run = serializers.BooleanField()
    status = EnumField(RunStatus, help_text="succeeded, or held if the guardrails would stop the real run.")
    counts = RunCountsSerializer()
    held_reason = serializers.CharField()


class RunCreateSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        help_text="Evaluate as of this date (YYYY-MM-DD); results are for the school year it falls in.",
        error_messages={"invalid": "Give a date as YYYY-MM-DD."},
    )
    dry_run = StrictBooleanField(
        default=False, help_text="true: work out what the run would do and answer it, changing nothing."
    )


class RunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    as_of_from = django_filters.DateFilter(field_name="as_of", lookup_expr="gte", help_text="As of this date or later.")
    as_of_to = django_filters.DateFilter(field_name="as_of", lookup_expr="lte", help_text="As of this date or earlier.")

    class Meta:
        model = EvaluationRun
        fields = ["status", "as_of_from", "as_of_to"]


class EvaluationRunViewSet(viewsets.ReadOnlyModelViewSet):
    """The evaluation runs, newest first: the autonomy office's, as on the runs page."""

    serializer_class = RunSerializer
    filterset_class = RunFilter
    ordering_fields = ["as_of", "started_at", "id"]
    ordering = ["-started_at", "-id"]
    lookup_value_regex = r"[0-9]{1,18}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(can_run_evaluation(request.user))

    def get_queryset(self):
        return EvaluationRun.objects.select_related("confirmed_by", "discarded_by").order_by("-started_at", "-id")

    @extend_schema(
        request=RunCreateSerializer,
        responses={
            202: OpenApiResponse(RunSerializer, description="The run was started; poll its URL to see it progress."),
            200: OpenApiResponse(RunPreviewSerializer, description="dry_run: what the run would do; nothing saved."),
            409: OpenApiResponse(ErrorSerializer, description="A run for that date is in progress."),
        },
        parameters=[
            OpenApiParameter(
                "Location", type=str, location=OpenApiParameter.HEADER, response=[202], description="The run's URL."
            )
        ],
    )
    def create(self, request):
        serializer = RunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        as_of, dry_run = serializer.validated_data["as_of"], serializer.validated_data["dry_run"]
        try:
            run = evaluation_run_request(actor=request.user, as_of=as_of, trigger=RunTrigger.API, dry_run=dry_run)
        except RunInProgress as busy:
            raise Conflict(self._in_progress(busy, dry_run=dry_run)) from None
        if dry_run:
            body = {"as_of": as_of, "dry_run": True, "status": run.status, "counts": run.counts}
            return Response(RunPreviewSerializer({**body, "held_reason": run.held_reason}).data)
        run = self.get_queryset().get(pk=run.pk)
        body = self.get_serializer(run).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    def _in_progress(self, busy: RunInProgress, *, dry_run: bool) -> str:
        """The service's words, as the runs page shows them, and where to follow the run when it is known."""
        if dry_run:
            return f"{busy.message} Try the preview again when it has finished."
        if busy.run is None:
            return busy.message
        return f"{busy.message} Follow it at {self.reverse_action('detail', args=[busy.run.pk])}."
