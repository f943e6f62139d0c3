"""Networks through the API: the networks with their places and support teams (anyone signed in with a
role), the memberships of the schools you see, and requests to join a network — the principal asks for
their own school, the autonomy office approves or declines, the principal withdraws.

Thin, as the pages are: serializers check the shape, support.services.networks_requests holds every rule.
A step asks the policy before the body is read: 403 for a person who may never take it, 409 when it is
not open now; a request of a school you do not see is 404.
"""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api.events import status_event_serializer
from core.api.fields import ID_REGEX, EnumField, SlugChoiceField, StrictInputSerializer, expected_status_field, text
from core.api.steps import step_endpoint
from core.errors import ApplicationError, Conflict, NotPermitted
from core.limits import NOTE_TEXT
from core.policies import require
from core.workflows import transition_attempt_decide, transition_decide
from schools.models import Network, NetworkKind, School, SchoolYear
from schools.policies import roles_of
from support.models import Department, NetworkMembership, NetworkRequest, NetworkRequestEvent, NetworkRequestStatus
from support.policies.networks import (
    has_a_role,
    network_memberships_visible_to,
    network_request_acts_as,
    network_requests_visible_to,
)
from support.selectors.networks import (
    network_request_get_for_user,
    networks_with_places,
    opt_in_window_open,
    places_left,
    school_year_current,
    team_by_function,
)
from support.services import networks_requests as services
from support.workflows import NETWORK_REQUEST_WORKFLOW

# --- networks -------------------------------------------------------------------------------------------


class TeamMemberSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    title = serializers.CharField()


class TeamFunctionSerializer(serializers.Serializer):
    function = serializers.CharField(help_text="The function's name.")
    members = TeamMemberSerializer(many=True)


class AllowanceSerializer(serializers.Serializer):
    department = EnumField(Department)
    terms = serializers.CharField()


class NetworkSerializer(serializers.ModelSerializer):
    kind = EnumField(NetworkKind, read_only=True)
    places_taken = serializers.IntegerField(
        read_only=True, help_text="Schools in the network for `places_year`: those staying and those approved in."
    )
    places_left = serializers.SerializerMethodField(help_text="Null when the network has no capacity.")
    places_year = serializers.SerializerMethodField(help_text="The school year the places are counted for.")
    team = serializers.SerializerMethodField(help_text="The support team by function.")
    opt_outs_allowed = AllowanceSerializer(source="opt_out_allowances", many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "offers",
            "capacity",
            "places_year",
            "places_taken",
            "places_left",
            "team",
            "opt_outs_allowed",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_places_left(self, network) -> int | None:
        return places_left(network.capacity, network.places_taken)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_places_year(self, network) -> str | None:
        year = self.context.get("places_year")
        return year.label if year else None

    @extend_schema_field(TeamFunctionSerializer(many=True))
    def get_team(self, network) -> list:
        return [
            {"function": function, "members": TeamMemberSerializer(seats, many=True).data}
            for function, seats in team_by_function(network.team_seats.all())
        ]


def _places_year():
    """The year principals are choosing for while the window is open, else the year under way."""
    window = opt_in_window_open()
    return window.school_year if window else school_year_current()


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    """The district's networks with their places, teams and allowed opt-outs; nothing without a role."""

    serializer_class = NetworkSerializer
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "name"]
    ordering = ["name"]
    filterset_fields = ["kind"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not hasattr(self, "_places_year"):
            self._places_year = _places_year()
        return {**context, "places_year": self._places_year}

    def get_queryset(self):
        if not has_a_role(self.request.user):
            return Network.objects.none()
        return networks_with_places(self.get_serializer_context()["places_year"])


# --- memberships ----------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True)
    network_name = serializers.CharField(source="network.name", read_only=True)
    school_year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    current = serializers.SerializerMethodField(help_text="False once the school left it for another that year.")

    class Meta:
        model = NetworkMembership
        fields = [
            "id",
            "school",
            "network",
            "network_name",
            "school_year",
            "started_on",
            "ended_on",
            "current",
            "request",
        ]
        read_only_fields = fields

    def get_current(self, membership) -> bool:
        return membership.ended_on is None


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole-number id: `1.5` and `1e400` are refused (400), not rounded or overflowed."""

    field_class = forms.IntegerField


class MembershipFilter(django_filters.FilterSet):
    school_year = django_filters.CharFilter(field_name="school_year__label", max_length=7, help_text="As 2026-27.")
    network = IdFilter(field_name="network_id", min_value=1, max_value=10**18, help_text="The network's id.")
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")

    class Meta:
        model = NetworkMembership
        fields = ["school_year", "network", "school"]


class NetworkMembershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Memberships of the schools you may see, with their history (ended ones too)."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["id", "started_on"]
    ordering = ["id"]

    def get_queryset(self):
        return network_memberships_visible_to(self.request.user).select_related("school", "network", "school_year")


# --- requests -------------------------------------------------------------------------------------------

NetworkRequestEventSerializer = status_event_serializer(
    NetworkRequestEvent, NetworkRequestStatus, created="the school asked"
)


class NetworkRequestSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True)
    school_year = serializers.SlugRelatedField(slug_field="label", read_only=True)
    network_name = serializers.CharField(source="network.name", read_only=True)
    status = EnumField(NetworkRequestStatus, read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = NetworkRequest
        fields = [
            "id",
            "school",
            "school_year",
            "network",
            "network_name",
            "reason",
            "status",
            "requested_by",
            "decision_note",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class NetworkRequestDetailSerializer(NetworkRequestSerializer):
    events = NetworkRequestEventSerializer(many=True, read_only=True)

    class Meta(NetworkRequestSerializer.Meta):
        fields = [*NetworkRequestSerializer.Meta.fields, "events"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class NetworkIdField(serializers.Field):
    """A network named by its id, sent as a JSON whole number (not "5", 5.0 or true); none such is refused."""

    default_error_messages = {"invalid": "Send the network's id as a whole number.", "missing": "No such network."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        network = Network.objects.filter(pk=data).first() if 0 < data < 10**18 else None
        if network is None:
            self.fail("missing")
        return network

    def to_representation(self, value):
        return value.pk


class NetworkRequestInput(StrictInputSerializer):
    school = serializers.CharField(
        max_length=20, required=False, help_text="Your school's code; needed only if you lead several."
    )
    school_year = SlugChoiceField(
        slug_field="label",
        queryset=SchoolYear.objects.all(),
        required=False,
        help_text="As 2027-28; by default the year whose window is open.",
    )
    network = NetworkIdField(help_text="The network's id.")
    reason = text(max_length=NOTE_TEXT, required=True, help_text="Why the network suits the school.")


class DecisionInput(StrictInputSerializer):
    note = text(max_length=NOTE_TEXT, help_text="What the principal reads.")
    expected_status = expected_status_field(NetworkRequestStatus, noun="request")


class DeclineInput(DecisionInput):
    note = text(max_length=NOTE_TEXT, required=True, help_text="Why: the principal reads it.")


class WithdrawInput(StrictInputSerializer):
    expected_status = expected_status_field(NetworkRequestStatus, noun="request")


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NetworkRequestStatus.choices)
    school_year = django_filters.CharFilter(field_name="school_year__label", max_length=7, help_text="As 2026-27.")
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")

    class Meta:
        model = NetworkRequest
        fields = ["status", "school_year", "school"]


class NetworkRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to join a network: your school's, your caseload's, or every school's for central office."""

    filterset_class = RequestFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return network_requests_visible_to(self.request.user).select_related(
            "school", "school_year", "network", "requested_by"
        )

    def get_serializer_class(self):
        return NetworkRequestSerializer if self.action == "list" else NetworkRequestDetailSerializer

    def get_object(self) -> NetworkRequest:
        return network_request_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        fresh = network_request_get_for_user(user=self.request.user, pk=pk)
        return Response(NetworkRequestDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=NetworkRequestInput, responses={201: NetworkRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        """The principal asks for their school to join a network, while the year's window is open."""
        led = list(School.objects.filter(pk__in=roles_of(request.user).principal_of).order_by("code"))
        if not led:
            raise NotPermitted("Only a school's principal asks to join a network.")
        data = NetworkRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        school = self._school(led, values.get("school"))
        year = values.get("school_year")
        if year is None:
            window = opt_in_window_open()
            if window is None:
                raise ApplicationError(
                    "No window is open: name the school year.", fields={"school_year": ["No window is open now."]}
                )
            year = window.school_year
        made = services.network_request_create(
            actor=request.user, school=school, school_year=year, network=values["network"], reason=values["reason"]
        )
        return self._answer(made.pk, status.HTTP_201_CREATED)

    @staticmethod
    def _school(led: list[School], code: str | None) -> School:
        if code is None:
            if len(led) > 1:
                raise ApplicationError(
                    "You lead several schools: say which.",
                    fields={"school": [f"One of {', '.join(s.code for s in led)}."]},
                )
            return led[0]
        found = next((s for s in led if s.code == code), None)
        if found is None:
            raise ApplicationError(
                "You may ask only for a school you lead.", fields={"school": ["You are not this school's principal."]}
            )
        return found

    def _step(self, action: str, input_class, service) -> Response:
        current = self.get_object()
        user = self.request.user
        require(transition_attempt_decide(NETWORK_REQUEST_WORKFLOW, user, current, action, network_request_acts_as))
        if not (
            decision := transition_decide(NETWORK_REQUEST_WORKFLOW, user, current, action, network_request_acts_as)
        ):
            raise Conflict(decision.reason)
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        expected = values.pop("expected_status", None) or current.status
        service(actor=user, request_id=current.pk, expected_status=expected, **values)
        return self._answer(current.pk)

    @step_endpoint(DecisionInput, NetworkRequestDetailSerializer)
    def approve(self, request, pk=None):
        """The autonomy office approves: the place is checked again (409 if the network filled meanwhile)."""
        return self._step("approve", DecisionInput, services.network_request_approve)

    @step_endpoint(DeclineInput, NetworkRequestDetailSerializer)
    def decline(self, request, pk=None):
        """The autonomy office declines, saying why."""
        return self._step("decline", DeclineInput, services.network_request_decline)

    @step_endpoint(WithdrawInput, NetworkRequestDetailSerializer)
    def withdraw(self, request, pk=None):
        """The principal takes the request back while it waits."""
        return self._step("withdraw", WithdrawInput, services.network_request_withdraw)
