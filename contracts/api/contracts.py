"""Performance contracts through the API: read them as the contract page shows them; the autonomy office
drafts one from a template and amends the version in force; the workflow's steps (propose, sign,
countersign) go through the same services, with the same roles, as the buttons on the page.

A contract the user may not see (another school's, or a draft for anyone but the autonomy office) is 404.
"""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from autonomy.models import AutonomyGrant, GrantStatus
from contracts import services
from contracts.models import (
    COMMITMENT_TERMS,
    Benchmark,
    CommitmentStatus,
    ContractCommitment,
    ContractEvent,
    ContractStatus,
    ContractTemplate,
    InterventionRule,
    PerformanceContract,
)
from contracts.policies import can_amend_contract, can_manage_contracts, can_take_contract_action
from contracts.selectors import contract_form_choices, contract_get_for_user, contract_list_for_user
from core.api.events import status_event_serializer
from core.api.fields import EnumField, SlugChoiceField, StrictBooleanField, StrictCharField, expected_status_field
from core.api.steps import Step, step_endpoint, step_take, valid_input
from core.limits import BRIEF_TEXT, SHORT_TEXT
from core.policies import require
from schools.models import School, SchoolYear
from schools.periods import validate_school_year

# --- what the API answers -------------------------------------------------------------------------


class ContractSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:contract-detail")
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    school_name = serializers.CharField(source="school.name", read_only=True)
    term_start = serializers.SlugRelatedField(slug_field="label", read_only=True, help_text="The first school year.")
    term_end = serializers.SlugRelatedField(slug_field="label", read_only=True, help_text="The last school year.")
    previous = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The version this one amends."
    )
    status = EnumField(ContractStatus, read_only=True)
    signed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The principal's account that signed."
    )
    signed_name = serializers.CharField(read_only=True, help_text="The account's full name when it signed.")
    countersigned_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The district account that countersigned."
    )
    countersigned_name = serializers.CharField(read_only=True, help_text="The account's full name when it signed.")

    class Meta:
        model = PerformanceContract
        fields = [
            "id",
            "url",
            "school",
            "school_name",
            "version",
            "previous",
            "status",
            "term_start",
            "term_end",
            "summary",
            "amendment_reason",
            "proposed_at",
            "signed_by",
            "signed_at",
            "signed_name",
            "signed_address",
            "signed_content_sha256",
            "countersigned_by",
            "countersigned_at",
            "countersigned_name",
            "countersigned_address",
            "countersigned_content_sha256",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BenchmarkSerializer(serializers.ModelSerializer):
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The metric's code.")
    binding_autonomy = serializers.SlugRelatedField(
        source="binding_grant.autonomy",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The autonomy whose retention depends on this benchmark, if any.",
    )

    class Meta:
        model = Benchmark
        fields = [
            "key",
            "metric",
            "kind",
            "comparator",
            "target",
            "baseline",
            "baseline_period",
            "periods",
            "exceeds_margin",
            "far_below_margin",
            "new_school_target",
            "binding_grant",
            "binding_autonomy",
            "position",
        ]
        read_only_fields = fields


class InterventionRuleSerializer(serializers.ModelSerializer):
    benchmark = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="For K periods in a row: which benchmark."
    )

    class Meta:
        model = InterventionRule
        fields = ["key", "condition", "count", "level", "deadline_days", "remedy", "provision", "benchmark", "position"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    """A commitment of central office in this version, with its tracking: status, delivery, evidence."""

    autonomy = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The autonomy it bears on: missed, it pauses the intervention clock of that autonomy's benchmarks.",
    )
    status = EnumField(CommitmentStatus, read_only=True)

    class Meta:
        model = ContractCommitment
        fields = [
            "key",
            "position",
            *COMMITMENT_TERMS,
            "autonomy",
            "status",
            "delivered_on",
            "delivery_note",
            "evidence",
            "decided_on",
        ]
        read_only_fields = fields


class ContractGrantSerializer(serializers.ModelSerializer):
    autonomy = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="As people.hiring.")
    autonomy_name = serializers.CharField(source="autonomy.name", read_only=True)
    status = EnumField(GrantStatus, read_only=True)

    class Meta:
        model = AutonomyGrant
        fields = ["id", "autonomy", "autonomy_name", "model", "status", "starts_on", "ends_on"]
        read_only_fields = fields


ContractEventSerializer = status_event_serializer(ContractEvent, ContractStatus, created="the contract was drafted")


class ContractDetailSerializer(ContractSerializer):
    template = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True, help_text="The template it was drafted from."
    )
    benchmarks = BenchmarkSerializer(many=True, read_only=True)
    rules = InterventionRuleSerializer(many=True, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True, help_text="Central office's commitments.")
    grants = ContractGrantSerializer(many=True, read_only=True, help_text="The autonomies this contract covers.")
    events = ContractEventSerializer(many=True, read_only=True, help_text="Who did what, oldest first.")
    content_sha256 = serializers.SerializerMethodField(
        help_text="SHA-256 of this version's content now; a signature's hash that differs means the content "
        "changed since it was signed."
    )

    class Meta(ContractSerializer.Meta):
        fields = [
            *ContractSerializer.Meta.fields,
            "content_sha256",
            "template",
            "benchmarks",
            "rules",
            "commitments",
            "grants",
            "events",
        ]
        read_only_fields = fields

    def get_content_sha256(self, contract) -> str:
        return services.contract_content_sha256(contract)


# --- what a user may send -------------------------------------------------------------------------


class ContractCreateSerializer(serializers.Serializer):
    # The querysets are narrowed to what the user may choose in __init__, from the page's own selector.
    school = SlugChoiceField(slug_field="code", queryset=School.objects.none(), help_text="Its code.")
    template = SlugChoiceField(
        slug_field="name", queryset=ContractTemplate.objects.none(), help_text="The template's name."
    )
    term_start = SlugChoiceField(
        slug_field="label", queryset=SchoolYear.objects.none(), help_text="The first school year, as 2026-27."
    )
    term_end = SlugChoiceField(
        slug_field="label", queryset=SchoolYear.objects.none(), help_text="The last school year, as 2028-29."
    )
    summary = StrictCharField(max_length=BRIEF_TEXT, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" not in self.context:
            return  # the schema generator describes the fields without a user
        choices = contract_form_choices(user=self.context["request"].user)
        self.fields["school"].queryset = choices["schools"]
        self.fields["template"].queryset = choices["templates"]
        self.fields["term_start"].queryset = choices["years"]
        self.fields["term_end"].queryset = choices["years"]


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=BRIEF_TEXT, help_text="Why: it is part of the contract's record.")
    expected_status = expected_status_field(ContractStatus, noun="contract")


class ProposeSerializer(serializers.Serializer):
    expected_status = expected_status_field(ContractStatus, noun="contract")


def _password() -> StrictCharField:
    return StrictCharField(
        max_length=SHORT_TEXT,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        help_text="Your password: the signature records your account, its full name, the time, your address and "
        "the SHA-256 of the version's content. A wrong one is refused (400) and counts as a failed sign-in.",
    )


class SignSerializer(serializers.Serializer):
    confirm = StrictBooleanField(help_text="true: you have read the contract.")
    password = _password()
    expected_status = expected_status_field(ContractStatus, noun="contract")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError("Confirm that you have read the contract (true).")
        return value


class CountersignSerializer(serializers.Serializer):
    password = _password()
    expected_status = expected_status_field(ContractStatus, noun="contract")


# --- filters ---------------------------------------------------------------------------------------


class ContractFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices)
    term = django_filters.CharFilter(
        method="filter_term",
        validators=[validate_school_year],
        help_text="A school year, as 2026-27: contracts whose term includes it.",
    )

    class Meta:
        model = PerformanceContract
        fields = ["school", "status", "term"]

    def filter_term(self, queryset, name, value):
        # Labels sort as the years do (2026-27 < 2027-28), so no join to the years' dates is needed.
        return queryset.filter(term_start__label__lte=value, term_end__label__gte=value)


# --- the endpoints ----------------------------------------------------------------------------------

STEPS = {
    "propose": Step(ProposeSerializer, services.contract_propose),
    "sign": Step(SignSerializer, services.contract_sign, ("password",)),
    "countersign": Step(CountersignSerializer, services.contract_countersign, ("password",)),
}
LOCATION = OpenApiParameter(
    "Location", type=str, location=OpenApiParameter.HEADER, response=[201], description="The new contract's URL."
)


class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    """The contracts of the schools you see; drafts only for the autonomy office."""

    filterset_class = ContractFilter
    ordering_fields = ["id", "version", "status", "created_at", "updated_at"]
    ordering = ["school__code", "-version", "pk"]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return contract_list_for_user(user=self.request.user)

    def get_serializer_class(self):
        return ContractDetailSerializer if self.action != "list" else ContractSerializer

    def get_object(self) -> PerformanceContract:
        return contract_get_for_user(user=self.request.user, contract_id=int(self.kwargs["pk"]))

    def _detail(self, contract_id: int, *, code: int = status.HTTP_200_OK, created: bool = False) -> Response:
        contract = contract_get_for_user(user=self.request.user, contract_id=contract_id)
        body = ContractDetailSerializer(contract, context=self.get_serializer_context()).data
        headers = {"Location": body["url"]} if created else {}
        return Response(body, status=code, headers=headers)

    @extend_schema(
        request=ContractCreateSerializer,
        responses={201: ContractDetailSerializer},
        parameters=[LOCATION],
        description="The autonomy office drafts a contract from a template: its benchmarks with targets worked "
        "out from the school's results before the term, its rules, and the autonomies the school holds.",
    )
    def create(self, request):
        require(can_manage_contracts(request.user))
        data = self._valid(ContractCreateSerializer, request)
        contract = services.contract_create_from_template(actor=request.user, **data)
        return self._detail(contract.pk, code=status.HTTP_201_CREATED, created=True)

    @extend_schema(
        request=ReasonSerializer,
        responses={201: ContractDetailSerializer},
        parameters=[LOCATION],
        description="The next version of the contract in force, as a draft copy; the version in force stays "
        "as it is until the new one is countersigned.",
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        contract = self.get_object()
        require(can_amend_contract(request.user, contract))
        data = self._valid(ReasonSerializer, request)
        amendment = services.contract_amend(actor=request.user, contract_id=contract.pk, **data)
        return self._detail(amendment.pk, code=status.HTTP_201_CREATED, created=True)

    @step_endpoint(ProposeSerializer, ContractDetailSerializer)
    def propose(self, request, pk=None):
        """The autonomy office proposes a draft to the school; its principal is told."""
        return self._step(request, "propose")

    @step_endpoint(SignSerializer, ContractDetailSerializer)
    def sign(self, request, pk=None):
        """The school's principal signs a proposed contract with their password: the record keeps their
        account, its full name, the time, their address and the SHA-256 of the version's content."""
        return self._step(request, "sign")

    @step_endpoint(CountersignSerializer, ContractDetailSerializer)
    def countersign(self, request, pk=None):
        """The autonomy office countersigns a signed contract with their password (the same record as a
        signature): it comes into force."""
        return self._step(request, "countersign")

    def _step(self, request, name: str) -> Response:
        contract = self.get_object()
        require(can_take_contract_action(request.user, contract, name))
        if name in ("sign", "countersign"):
            data = self._valid(STEPS[name].input, request)
            STEPS[name].service(
                actor=request.user,
                contract_id=contract.pk,
                password=data["password"],
                expected_status=data.get("expected_status"),
                address=services.client_address(request),
                # The login throttle counts a wrong password against the request its middleware sees.
                request=request._request,
            )
        else:
            step_take(request, STEPS[name], context=self.get_serializer_context(), contract_id=contract.pk)
        return self._detail(contract.pk)

    def _valid(self, serializer_class, request) -> dict:
        return valid_input(serializer_class, request, context=self.get_serializer_context())
