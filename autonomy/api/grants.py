"""The grants ledger: what each school holds, under which model, with its history. The autonomy office
suspends, revokes and restores through the one service that changes a grant, always with a reason."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from autonomy.evidence_words import evidence_summary
from autonomy.models import AccountabilityModel, AutonomyGrant, Domain, GrantEvent, GrantStatus
from autonomy.policies import can_manage_autonomy, grant_steps_for, grants_visible_to
from autonomy.selectors_grants import grant_get_for_change
from autonomy.services import grant_change
from autonomy.workflows import GRANT_WORKFLOW
from core.api.events import status_event_serializer
from core.api.fields import ID_REGEX, EnumField, StrictInputSerializer, expected_status_field, text
from core.limits import BRIEF_TEXT, NOTE_TEXT
from core.policies import require

# The changes a person makes through the API: the table's steps for a person; the rule's stay the rule's.
GRANT_STEPS = GRANT_WORKFLOW.person_actions


class GrantRowSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    autonomy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    autonomy_name = serializers.CharField(source="autonomy.name", read_only=True)
    domain = serializers.ChoiceField(source="autonomy.domain", choices=Domain.choices, read_only=True)
    status = EnumField(GrantStatus, read_only=True)
    granted_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null when granted by the system."
    )
    request = serializers.IntegerField(
        source="request_item.request_id",
        read_only=True,
        allow_null=True,
        help_text="The request it was approved on, if any.",
    )

    class Meta:
        model = AutonomyGrant
        fields = [
            "id",
            "school",
            "school_name",
            "autonomy",
            "autonomy_name",
            "domain",
            "model",
            "status",
            "starts_on",
            "ends_on",
            "granted_by",
            "reason",
            "retention_benchmarks",
            "request",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


GrantEventSerializer = status_event_serializer(GrantEvent, GrantStatus, created="the grant was issued")


class GrantDetailSerializer(GrantRowSerializer):
    evidence_summary = serializers.SerializerMethodField(help_text="The evidence in plain sentences.")
    events = GrantEventSerializer(many=True, read_only=True, help_text="Who changed it, when, from what, why.")
    allowed_actions = serializers.SerializerMethodField(help_text="The changes open to you now.")

    class Meta(GrantRowSerializer.Meta):
        fields = [*GrantRowSerializer.Meta.fields, "evidence", "evidence_summary", "events", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence_summary(self, grant: AutonomyGrant) -> list[str]:
        return evidence_summary(grant.evidence)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=GRANT_STEPS)))
    def get_allowed_actions(self, grant: AutonomyGrant) -> list[str]:
        return [step.action for step in grant_steps_for(self.context["request"].user, grant)]


class GrantChangeInput(StrictInputSerializer):
    reason = text(max_length=NOTE_TEXT, required=True, help_text="Why: the school's principal and liaison read it.")
    evidence_note = text(max_length=BRIEF_TEXT, help_text="What you relied on: a report, a benchmark result, a date.")
    expected_status = expected_status_field(GrantStatus, noun="grant")


class GrantFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    autonomy = django_filters.CharFilter(field_name="autonomy__code", max_length=60, help_text="The autonomy's code.")
    domain = django_filters.ChoiceFilter(field_name="autonomy__domain", choices=Domain.choices)
    model = django_filters.ChoiceFilter(choices=AccountabilityModel.choices, help_text="The accountability model.")
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices)

    class Meta:
        model = AutonomyGrant
        fields = ["school", "autonomy", "domain", "model", "status"]


class GrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Grants of the schools you may see: the district for central office, a liaison's caseload, your school's."""

    filterset_class = GrantFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "starts_on", "updated_at"]
    ordering = ["id"]

    def get_queryset(self):
        return grants_visible_to(self.request.user).select_related("school", "autonomy", "granted_by", "request_item")

    def get_serializer_class(self):
        return GrantRowSerializer if self.action == "list" else GrantDetailSerializer

    def get_object(self) -> AutonomyGrant:
        return grant_get_for_change(user=self.request.user, pk=int(self.kwargs["pk"]))

    def _change(self, step: str) -> Response:
        grant = self.get_object()
        require(can_manage_autonomy(self.request.user))
        data = GrantChangeInput(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        expected = values.get("expected_status") or grant.status
        note = values.get("evidence_note", "").strip()
        grant_change(
            actor=self.request.user,
            grant_id=grant.pk,
            action=step,
            reason=values["reason"],
            evidence={"note": note} if note else {},
            expected_status=expected,
        )
        fresh = grant_get_for_change(user=self.request.user, pk=grant.pk)
        return Response(GrantDetailSerializer(fresh, context=self.get_serializer_context()).data)


def _step_endpoint(step: str):
    """One POST route per step of the grants table a person may take (suspend, cure, restore, revoke)."""
    sources = [t for t in GRANT_WORKFLOW.transitions if t.action == step]
    states = ", ".join(dict.fromkeys(GrantStatus(t.source).label.lower() for t in sources))

    def endpoint(self, request, pk=None):
        return self._change(step)

    # The router maps the route to the method by its name: name it before decorating.
    endpoint.__name__ = step
    endpoint.__doc__ = f"{sources[0].label}: open from a grant that is {states}; the grant becomes {sources[0].target}."
    endpoint = action(detail=True, methods=["post"], url_path=step, url_name=step)(endpoint)
    endpoint = extend_schema(request=GrantChangeInput, responses={200: GrantDetailSerializer})(endpoint)
    return endpoint


for _step in GRANT_STEPS:
    setattr(GrantViewSet, _step, _step_endpoint(_step))
