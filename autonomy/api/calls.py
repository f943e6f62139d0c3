"""Calls for proposals: every signed-in user sees every call, as on the calls page; the autonomy office
opens one through the same service as the page."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from autonomy.models import Autonomy, CallForProposals, CallQuestion
from autonomy.policies import can_manage_autonomy
from autonomy.services import call_create
from core.api.fields import ID_REGEX, StrictCharField, StrictInputSerializer, text
from core.limits import LONG_TEXT, QUESTION_TEXT, SHORT_TEXT
from core.policies import require


class CallQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallQuestion
        fields = ["id", "text"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    autonomies = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="The codes of the autonomies the call offers."
    )
    questions = CallQuestionSerializer(many=True, read_only=True, help_text="Every proposal must answer these.")
    is_open = serializers.SerializerMethodField(help_text="Whether schools can submit today.")

    class Meta:
        model = CallForProposals
        fields = ["id", "title", "opens_on", "closes_on", "is_open", "guidance", "autonomies", "questions"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, call) -> bool:
        return call.is_open_on(timezone.localdate())


class CallInputSerializer(StrictInputSerializer):
    title = StrictCharField(max_length=SHORT_TEXT)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField(help_text="The last day schools can submit.")
    autonomies = serializers.ListField(
        child=StrictCharField(max_length=60),
        max_length=100,
        help_text="Codes of the autonomies the call offers, as `program.curriculum`.",
    )
    guidance = text(max_length=LONG_TEXT)
    questions = serializers.ListField(
        child=StrictCharField(max_length=QUESTION_TEXT), max_length=50, required=False, default=list
    )

    def validate_autonomies(self, codes: list[str]) -> list[Autonomy]:
        found = {autonomy.code: autonomy for autonomy in Autonomy.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(f"Not in the catalog: {', '.join(sorted(set(unknown)))[:300]}.")
        return list({code: found[code] for code in codes}.values())


class CallFilter(django_filters.FilterSet):
    window = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("upcoming", "upcoming"), ("closed", "closed")],
        method="filter_window",
        help_text="Open today, opening later, or already closed.",
    )
    autonomy = django_filters.CharFilter(
        field_name="autonomies__code", distinct=True, help_text="Calls offering this autonomy (its code)."
    )

    class Meta:
        model = CallForProposals
        fields = ["window", "autonomy"]

    def filter_window(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.filter(opens_on__lte=today, closes_on__gte=today)
        if value == "upcoming":
            return queryset.filter(opens_on__gt=today)
        return queryset.filter(closes_on__lt=today)


class CallViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "opens_on", "closes_on", "title"]
    ordering = ["-opens_on", "-id"]

    def get_queryset(self):
        questions = CallQuestion.objects.order_by("position", "pk")
        return CallForProposals.objects.prefetch_related(
            Prefetch("autonomies", queryset=Autonomy.objects.order_by("code")),
            Prefetch("questions", queryset=questions),
        )

    @extend_schema(
        request=CallInputSerializer,
        responses={201: CallSerializer},
        description="The autonomy office opens a call: its window, the autonomies it offers and its questions.",
    )
    def create(self, request, *args, **kwargs):
        require(can_manage_autonomy(request.user))
        data = CallInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = call_create(actor=request.user, **data.validated_data)
        return Response(CallSerializer(self.get_queryset().get(pk=call.pk)).data, status=status.HTTP_201_CREATED)
