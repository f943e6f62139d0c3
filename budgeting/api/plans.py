"""School budget plans through the API: read them as the plan page shows them (scoped by who sees the
school; another school's plan is 404), and the principal writes their own open plan's positions and lines
through the same services as the page — a locked category or row is refused (400) naming the field.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from budgeting.models import (
    BudgetCategory,
    BudgetPlan,
    FundingSource,
    JobType,
    PlanEvent,
    PlanLine,
    PlanStatus,
    Position,
)
from budgeting.policies import can_edit_plan, plans_visible_to
from budgeting.selectors_plans import plan_figures, plan_get_for_user, plan_lines, plan_locks, plan_positions
from budgeting.services import plans as services
from core.api.events import status_event_serializer
from core.api.fields import ID_REGEX, EnumField, SlugChoiceField, StrictCharField, StrictInputSerializer
from core.api.steps import valid_input
from core.limits import SHORT_TEXT
from core.policies import require

# --- what the API answers -------------------------------------------------------------------------


class PlanRowSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    school_year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    status = EnumField(PlanStatus, read_only=True)
    allocation = serializers.DecimalField(
        source="allocation.final_amount", max_digits=14, decimal_places=2, read_only=True
    )

    class Meta:
        model = BudgetPlan
        fields = ["id", "school", "school_year", "status", "allocation", "due_on", "submitted_at", "updated_at"]
        read_only_fields = fields


class FundingSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.code")
    share = serializers.DecimalField(max_digits=5, decimal_places=4)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PositionSerializer(serializers.ModelSerializer):
    job_type = serializers.CharField(source="job_type.code")
    category = serializers.CharField(source="job_type.category.code")
    funding = FundingSerializer(many=True, read_only=True)

    class Meta:
        model = Position
        fields = ["id", "job_type", "category", "title", "fte", "actual_salary", "cost", "mandated", "funding"]
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")
    source = serializers.CharField(source="source.code")

    class Meta:
        model = PlanLine
        fields = ["id", "category", "source", "description", "amount", "mandated"]
        read_only_fields = fields


PlanEventSerializer = status_event_serializer(PlanEvent, PlanStatus, created="the plan was started")


class PlanDetailSerializer(PlanRowSerializer):
    positions = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField(help_text="Each category's lock, total and reason in words.")
    balance = serializers.SerializerMethodField(help_text="Formula money planned against the allocation.")
    events = PlanEventSerializer(many=True, read_only=True)

    class Meta(PlanRowSerializer.Meta):
        fields = [*PlanRowSerializer.Meta.fields, "balance", "categories", "positions", "lines", "events"]
        read_only_fields = fields

    def _figures(self, plan):
        if not hasattr(plan, "_api_figures"):
            positions, lines = plan_positions(plan), plan_lines(plan)
            plan._api_rows = positions, lines
            plan._api_figures = plan_figures(plan, positions=positions, lines=lines, locks=plan_locks(plan))
        return plan._api_figures

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, plan):
        self._figures(plan)
        return PositionSerializer(plan._api_rows[0], many=True).data

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, plan):
        self._figures(plan)
        return LineSerializer(plan._api_rows[1], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_categories(self, plan):
        return [
            {
                "category": group.category.code,
                "name": group.category.name,
                "locked": group.lock.locked,
                "reason": group.lock.reason,
                "total": f"{group.total:.2f}",
            }
            for group in self._figures(plan).groups
        ]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_balance(self, plan):
        figures = self._figures(plan)
        return {
            "allocation": f"{figures.allocation:.2f}",
            "formula_total": f"{figures.formula_total:.2f}",
            "remaining": f"{figures.remaining:.2f}",
            "balanced": "yes" if figures.balanced else "no",
        }


# --- what the API reads -------------------------------------------------------------------------


class LineInput(StrictInputSerializer):
    category = SlugChoiceField(slug_field="code", queryset=BudgetCategory.objects.all())
    source = SlugChoiceField(slug_field="code", queryset=FundingSource.objects.all())
    description = StrictCharField(max_length=SHORT_TEXT)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class FundingInput(StrictInputSerializer):
    source = SlugChoiceField(slug_field="code", queryset=FundingSource.objects.all())
    share = serializers.DecimalField(max_digits=5, decimal_places=4)


class PositionInput(StrictInputSerializer):
    job_type = SlugChoiceField(slug_field="code", queryset=JobType.objects.select_related("category"))
    fte = serializers.DecimalField(max_digits=4, decimal_places=2, help_text="More than 0, at most 1.")
    title = StrictCharField(max_length=SHORT_TEXT, required=False, allow_blank=True)
    actual_salary = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    funding = FundingInput(many=True, help_text="Sources and shares; the shares add up to 1.")


def _position_arguments(data: dict) -> dict:
    return {
        "job_type": data["job_type"],
        "fte": data["fte"],
        "title": data.get("title", ""),
        "actual_salary": data.get("actual_salary"),
        "funding": [(row["source"], row["share"]) for row in data["funding"]],
    }


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Budget plans of the schools you may see; principals write their own open plan's rows."""

    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "updated_at"]
    ordering = ["id"]
    filterset_fields = ["status"]

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("school", "school_year", "allocation")

    def get_serializer_class(self):
        return PlanRowSerializer if self.action == "list" else PlanDetailSerializer

    def get_object(self) -> BudgetPlan:
        return plan_get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    def _editable(self) -> BudgetPlan:
        """The plan a write is for: seen by the user (else 404), theirs to change now (403, or 409 when closed),
        asked before the body is read, as the pages ask before they validate a form."""
        plan = self.get_object()
        require(can_edit_plan(self.request.user, plan))
        return plan

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        plan = plan_get_for_user(user=self.request.user, pk=pk)
        return Response(PlanDetailSerializer(plan, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=LineInput, responses={201: PlanDetailSerializer})
    @action(detail=True, methods=["post"], url_path="lines")
    def line_add(self, request, pk=None):
        plan = self._editable()
        services.line_add(actor=request.user, plan_id=plan.pk, **valid_input(LineInput, request))
        return self._detail(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=LineInput, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["put", "delete"], url_path=r"lines/(?P<line_id>[0-9]{1,18})")
    def line(self, request, pk=None, line_id=None):
        plan = self._editable()
        if not plan.lines.filter(pk=line_id).exists():
            return Response({"error": "not_found", "detail": "No such line.", "fields": {}}, status=404)
        if request.method == "DELETE":
            services.line_remove(actor=request.user, line_id=int(line_id))
        else:
            services.line_change(actor=request.user, line_id=int(line_id), **valid_input(LineInput, request))
        return self._detail(plan.pk)

    @extend_schema(request=PositionInput, responses={201: PlanDetailSerializer})
    @action(detail=True, methods=["post"], url_path="positions")
    def position_add(self, request, pk=None):
        plan = self._editable()
        data = valid_input(PositionInput, request)
        services.position_add(actor=request.user, plan_id=plan.pk, **_position_arguments(data))
        return self._detail(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PositionInput, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["put", "delete"], url_path=r"positions/(?P<position_id>[0-9]{1,18})")
    def position(self, request, pk=None, position_id=None):
        plan = self._editable()
        if not plan.positions.filter(pk=position_id).exists():
            return Response({"error": "not_found", "detail": "No such position.", "fields": {}}, status=404)
        if request.method == "DELETE":
            services.position_remove(actor=request.user, position_id=int(position_id))
        else:
            data = valid_input(PositionInput, request)
            services.position_change(actor=request.user, position_id=int(position_id), **_position_arguments(data))
        return self._detail(plan.pk)
