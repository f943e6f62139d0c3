"""Intervention flags through the API, as the flag pages show them: the flags of the schools you see, one
flag's notice with the evidence it was opened on and its history, and its steps — the liaison
acknowledges, the principal submits a plan, the autonomy office resolves or raises it one rung — each
through the flag service the page calls. Another school's flag is 404.
"""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from accountability import selectors
from accountability.models import LIVE_FLAG_STATUSES, FlagEvent, FlagStatus, InterventionFlag
from accountability.policies import can_attempt_flag_action, can_take_flag_action, can_view_flags
from accountability.services import flag_acknowledge, flag_escalate, flag_resolve, flag_submit_plan
from accountability.wording import rung_words
from accountability.workflows import FLAG_WORKFLOW
from contracts.models import Level
from contracts.wording import rule_sentence
from core.api.events import status_event_serializer
from core.api.fields import EnumField, StrictCharField, expected_status_field
from core.api.steps import Step, step_endpoint, step_take
from core.limits import LONG_TEXT, NOTE_TEXT
from core.policies import require

# --- what the API answers ---------------------------------------------------------------------------


class FlagSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:flag-detail")
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    school_name = serializers.CharField(source="school.name", read_only=True)
    network = serializers.CharField(source="school.network.name", read_only=True, allow_null=True, default=None)
    liaison = serializers.CharField(source="school.liaison.username", read_only=True, allow_null=True, default=None)
    level = EnumField(Level, read_only=True, help_text="The rung of the intervention ladder.")
    level_label = serializers.SerializerMethodField()
    status = EnumField(FlagStatus, read_only=True)

    class Meta:
        model = InterventionFlag
        fields = [
            "id",
            "url",
            "school",
            "school_name",
            "network",
            "liaison",
            "rule_key",
            "level",
            "level_label",
            "status",
            "period",
            "deficiency",
            "provision",
            "remedy",
            "deadline",
            "opened_at",
            "opened_run",
            "condition_cleared_at",
            "plan",
        ]
        read_only_fields = fields

    def get_level_label(self, flag: InterventionFlag) -> str:
        return rung_words(flag.level)


class EvidenceLineSerializer(serializers.Serializer):
    """One result the flag was opened on, as the evaluation found it then."""

    key = serializers.CharField(help_text="The benchmark's key.")
    sentence = serializers.CharField(help_text="The benchmark in plain words.")
    status = serializers.CharField(help_text="met, not_met or no_data.")
    status_words = serializers.CharField()
    value = serializers.CharField(help_text="What was observed.")
    target = serializers.CharField()
    period = serializers.CharField()
    note = serializers.CharField(help_text="An exception that applied, e.g. a new school's target.")


FlagEventSerializer = status_event_serializer(FlagEvent, FlagStatus, created="the flag was opened")


class FlagDetailSerializer(FlagSerializer):
    rule = serializers.SerializerMethodField(help_text="The contract's rule that opened the flag, in plain words.")
    evidence = serializers.SerializerMethodField()
    events = FlagEventSerializer(many=True, read_only=True, help_text="The flag's history, oldest first.")
    actions = serializers.SerializerMethodField(help_text="The steps you may take on the flag now.")

    class Meta(FlagSerializer.Meta):
        fields = [*FlagSerializer.Meta.fields, "rule", "evidence", "events", "actions"]
        read_only_fields = fields

    def get_rule(self, flag: InterventionFlag) -> str:
        return rule_sentence(flag.rule)

    @extend_schema_field(EvidenceLineSerializer(many=True))
    def get_evidence(self, flag: InterventionFlag):
        return EvidenceLineSerializer(selectors.flag_evidence(flag=flag), many=True).data

    def get_actions(self, flag: InterventionFlag) -> list[str]:
        user = self.context["request"].user
        return [name for name in FLAG_WORKFLOW.person_actions if can_take_flag_action(user, flag, name)]


# --- what a user may send ---------------------------------------------------------------------------


class AcknowledgeSerializer(serializers.Serializer):
    note = StrictCharField(
        max_length=NOTE_TEXT, required=False, allow_blank=True, default="", help_text="For the school (optional)."
    )
    expected_status = expected_status_field(FlagStatus, noun="flag")


class PlanSerializer(serializers.Serializer):
    plan = StrictCharField(
        max_length=LONG_TEXT, help_text="What the school will do about each missed benchmark, who leads it, by when."
    )
    expected_status = expected_status_field(FlagStatus, noun="flag")


class ResolveSerializer(serializers.Serializer):
    note = StrictCharField(max_length=NOTE_TEXT, help_text="Why the case is resolved: the school reads this.")
    expected_status = expected_status_field(FlagStatus, noun="flag")


class EscalateSerializer(serializers.Serializer):
    note = StrictCharField(max_length=NOTE_TEXT, help_text="Why the flag is raised: the school reads this.")
    expected_status = expected_status_field(FlagStatus, noun="flag")
    expected_level = EnumField(Level, required=False, help_text="The rung you saw; if somebody raised it since, 409.")


# --- filters ---------------------------------------------------------------------------------------

LIVE = selectors.LIVE


class FlagFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    network = django_filters.CharFilter(field_name="school__network__name", help_text="The network's name.")
    liaison = django_filters.CharFilter(field_name="school__liaison__username", help_text="The liaison's username.")
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, help_text="A rung, 1 to 6.")
    status = django_filters.ChoiceFilter(
        choices=[(LIVE, "Still open, at any stage"), *FlagStatus.choices],
        method="filter_status",
        help_text="A status, or live for open, acknowledged and plan_submitted.",
    )

    class Meta:
        model = InterventionFlag
        fields = ["school", "network", "liaison", "level", "status"]

    def filter_status(self, queryset, name, value):
        if value == LIVE:
            return queryset.filter(status__in=LIVE_FLAG_STATUSES)
        return queryset.filter(status=value)


# --- the endpoints ----------------------------------------------------------------------------------

STEPS = {
    "acknowledge": Step(AcknowledgeSerializer, flag_acknowledge, ("note",)),
    "submit_plan": Step(PlanSerializer, flag_submit_plan, ("plan",)),
    "resolve": Step(ResolveSerializer, flag_resolve, ("note",)),
    "escalate": Step(EscalateSerializer, flag_escalate, ("note", "expected_level")),
}


class FlagViewSet(viewsets.ReadOnlyModelViewSet):
    """The flags of the schools you see, newest first: central office all, a liaison the caseload's,
    school staff their school's."""

    filterset_class = FlagFilter
    ordering_fields = ["opened_at", "deadline", "level", "id"]
    ordering = ["-opened_at", "-id"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return selectors.flag_list_for_user(user=self.request.user)

    def get_serializer_class(self):
        return FlagSerializer if self.action == "list" else FlagDetailSerializer

    def get_object(self) -> InterventionFlag:
        return selectors.flag_get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    def list(self, request, *args, **kwargs):
        require(can_view_flags(request.user))
        return super().list(request, *args, **kwargs)

    @step_endpoint(AcknowledgeSerializer, FlagDetailSerializer)
    def acknowledge(self, request, pk=None):
        """The school's liaison (or the autonomy office) has seen the notice and taken up the case."""
        return self._step(request, "acknowledge")

    @step_endpoint(PlanSerializer, FlagDetailSerializer)
    def submit_plan(self, request, pk=None):
        """The school's principal answers the notice with an improvement plan."""
        return self._step(request, "submit_plan")

    @step_endpoint(ResolveSerializer, FlagDetailSerializer)
    def resolve(self, request, pk=None):
        """The autonomy office closes the case, saying why."""
        return self._step(request, "resolve")

    @step_endpoint(EscalateSerializer, FlagDetailSerializer)
    def escalate(self, request, pk=None):
        """The autonomy office raises the flag one rung, with a new deadline, carrying out the rung."""
        return self._step(request, "escalate")

    def _step(self, request, name: str) -> Response:
        flag = self.get_object()
        require(can_attempt_flag_action(request.user, flag, name))
        step_take(request, STEPS[name], flag_id=flag.pk)
        flag = self.get_object()
        return Response(FlagDetailSerializer(flag, context=self.get_serializer_context()).data)
