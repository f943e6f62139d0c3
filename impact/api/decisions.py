"""The decision log through the API (/api/v1/impact/decisions/): the autonomy office and the district's
viewers list the district's decisions, newest first; the office records one through the same service as
the decision log's page (impact.services.decisions), with the same rules, and the catalog then states it.

Anyone else is refused (403) before anything is read: the log belongs to the evaluation, which
impact.policies keeps to the office and the viewers. There is no detail: the list is the log.
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from autonomy.models import Autonomy
from core.api.fields import EnumField, SlugChoiceField, StrictCharField, StrictInputSerializer, text
from core.policies import require
from impact.models import EVIDENCE_MAX, RATIONALE_MAX, AutonomyDecision, DecisionKind
from impact.policies import can_record_decision, can_view_impact
from impact.selectors.decisions import decisions_list
from impact.services.decisions import decision_record


class ImpactDecisionSerializer(serializers.ModelSerializer):
    autonomy = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The autonomy's code.")
    decision = EnumField(DecisionKind, read_only=True)
    decision_words = serializers.CharField(source="get_decision_display", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AutonomyDecision
        fields = [
            "id",
            "autonomy",
            "decision",
            "decision_words",
            "rationale",
            "evidence_path",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ImpactDecisionInputSerializer(StrictInputSerializer):
    autonomy = SlugChoiceField(slug_field="code", queryset=Autonomy.objects.all(), help_text="As program.assessment.")
    decision = EnumField(DecisionKind)
    rationale = StrictCharField(max_length=RATIONALE_MAX, help_text="What in the evidence led to the decision.")
    evidence_path = text(
        max_length=EVIDENCE_MAX, help_text="The page of the evaluation the decision came from, as /impact/outcomes/?…"
    )


class ImpactDecisionFilter(django_filters.FilterSet):
    autonomy = django_filters.CharFilter(field_name="autonomy__code", help_text="Decisions about this autonomy.")
    decision = django_filters.ChoiceFilter(choices=DecisionKind.choices)

    class Meta:
        model = AutonomyDecision
        fields = ["autonomy", "decision"]


class DecisionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ImpactDecisionSerializer
    filterset_class = ImpactDecisionFilter
    ordering_fields = ["decided_at", "id"]
    ordering = ["-decided_at", "-id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # 401 without credentials comes first
        require(can_view_impact(request.user))

    def get_queryset(self):
        return decisions_list()

    @extend_schema(
        request=ImpactDecisionInputSerializer,
        responses={201: ImpactDecisionSerializer},
        description="The autonomy office records the district's decision about an autonomy from the evidence; "
        "the catalog then shows it as the autonomy's latest evaluation decision.",
    )
    def create(self, request, *args, **kwargs):
        require(can_record_decision(request.user))
        data = ImpactDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = decision_record(actor=request.user, **data.validated_data)
        return Response(ImpactDecisionSerializer(decisions_list().get(pk=row.pk)).data, status=status.HTTP_201_CREATED)
