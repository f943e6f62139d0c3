"""Support requests through the API, as the pages show them: the requests you may see (filtered), a
principal or school team asking for help for their own school, one request with the messages you may read
and its record, its steps (each through the service the page calls) and messages; and the categories.
Another school's request is 404; a step the role never takes is 403; a step not open now is 409.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.events import status_event_serializer
from core.api.fields import (
    ID_REGEX,
    EnumField,
    SlugChoiceField,
    StrictBooleanField,
    StrictInputSerializer,
    expected_status_field,
    text,
)
from core.api.steps import Step, step_endpoint, step_take, valid_input
from core.errors import NotPermitted
from core.limits import NOTE_TEXT, SHORT_TEXT
from core.policies import require
from core.workflows import transition_attempt_decide
from schools.models import School
from schools.policies import roles_of
from support.models import Department, SupportCategory, SupportMessage, SupportRequest, SupportRequestEvent
from support.models import SupportStatus as S
from support.policies.requests import (
    can_write_message,
    support_categories_visible_to,
    support_request_acts_as,
    support_requests_visible_to,
)
from support.selectors.requests import LIVE, LIVE_STATUSES, UNASSIGNED, overdue_q, support_request_get_for_user
from support.services.support_request_steps import (
    support_request_answer,
    support_request_close,
    support_request_reassign,
    support_request_reopen,
    support_request_resolve,
    support_request_wait,
)
from support.services.support_requests import support_request_create, support_request_message
from support.workflows import SUPPORT_REQUEST_WORKFLOW

# --- what the API answers ---------------------------------------------------------------------------


class SupportCategorySerializer(serializers.ModelSerializer):
    department = EnumField(Department, read_only=True)

    class Meta:
        model = SupportCategory
        fields = ["code", "name", "department", "deadline_business_days", "active"]
        read_only_fields = fields


class SupportRequestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:support-request-detail")
    school = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The school's code.")
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = EnumField(Department, read_only=True)
    status = EnumField(S, read_only=True)
    assignee = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null: in the department's queue."
    )
    overdue = serializers.SerializerMethodField(
        help_text="Open or reopened past its due date (a request waiting on the school has its clock paused)."
    )

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "url",
            "school",
            "category",
            "department",
            "subject",
            "status",
            "assignee",
            "due_on",
            "overdue",
            "created_at",
            "resolved_at",
            "rating",
        ]
        read_only_fields = fields

    def get_overdue(self, request: SupportRequest) -> bool:
        return request.status in (S.OPEN, S.REOPENED) and request.due_on < timezone.localdate()


class SupportMessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SupportMessage
        fields = ["id", "author", "body", "internal", "created_at"]
        read_only_fields = fields


SupportRequestEventSerializer = status_event_serializer(SupportRequestEvent, S, created="the request was made")


class SupportRequestDetailSerializer(SupportRequestSerializer):
    body = serializers.CharField(read_only=True)
    rating_comment = serializers.CharField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    messages = serializers.SerializerMethodField(help_text="Replies; internal notes only for central office.")
    events = serializers.SerializerMethodField(help_text="The request's record, oldest first.")
    actions = serializers.SerializerMethodField(help_text="The steps you may take on the request now.")

    class Meta(SupportRequestSerializer.Meta):
        fields = [
            *SupportRequestSerializer.Meta.fields,
            "body",
            "requested_by",
            "rating_comment",
            "messages",
            "events",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(SupportMessageSerializer(many=True))
    def get_messages(self, request: SupportRequest):
        return SupportMessageSerializer(request.visible_messages, many=True).data

    @extend_schema_field(SupportRequestEventSerializer(many=True))
    def get_events(self, request: SupportRequest):
        return SupportRequestEventSerializer(request.timeline_events, many=True).data

    def get_actions(self, request: SupportRequest) -> list[str]:
        user = self.context["request"].user
        return [
            step.action
            for step in SUPPORT_REQUEST_WORKFLOW.person_steps_from(request.status)
            if support_request_acts_as(user, request, step.who)
        ]


# --- what a user may send ---------------------------------------------------------------------------


def _expected():
    return expected_status_field(S, noun="support request")


class SupportRequestCreateInput(StrictInputSerializer):
    school = SlugChoiceField(slug_field="code", queryset=School.objects.all(), help_text="Your school's code.")
    category = SlugChoiceField(
        slug_field="code", queryset=SupportCategory.objects.filter(active=True), help_text="A category's code."
    )
    subject = text(max_length=SHORT_TEXT, required=True)
    body = text(max_length=NOTE_TEXT, required=True)


class SupportRequestReplyInput(StrictInputSerializer):
    message = text(max_length=NOTE_TEXT, required=True, help_text="The school reads this.")
    expected_status = _expected()


class SupportRequestReopenInput(StrictInputSerializer):
    reason = text(max_length=NOTE_TEXT, required=True, help_text="What is still not right.")
    expected_status = _expected()


class SupportRequestCloseInput(StrictInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, help_text="1 (very poor) to 5 (excellent).")
    comment = text(max_length=NOTE_TEXT, default="")
    expected_status = _expected()

    def to_internal_value(self, data):
        rating = data.get("rating") if isinstance(data, dict) else None
        if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)):
            raise serializers.ValidationError({"rating": ["Send a whole number from 1 to 5."]})
        return super().to_internal_value(data)


class SupportRequestReassignInput(StrictInputSerializer):
    assignee = SlugChoiceField(
        slug_field="username", queryset=get_user_model().objects.all(), help_text="A staff member's username."
    )
    note = text(max_length=NOTE_TEXT, default="", help_text="An internal note: only central office reads it.")
    expected_status = _expected()


class SupportMessageInput(StrictInputSerializer):
    body = text(max_length=NOTE_TEXT, required=True)
    internal = StrictBooleanField(default=False, help_text="An internal note: only central office reads it.")


# --- filters ---------------------------------------------------------------------------------------


class SupportRequestFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    department = django_filters.ChoiceFilter(choices=Department.choices)
    category = django_filters.CharFilter(field_name="category__code", max_length=40)
    status = django_filters.ChoiceFilter(
        choices=[(LIVE, "Not yet resolved"), *S.choices],
        method="filter_status",
        help_text="A status, or live for open, waiting and reopened.",
    )
    assignee = django_filters.CharFilter(
        method="filter_assignee", max_length=150, help_text="A username, or unassigned."
    )
    # A choice, not a BooleanFilter, which would ignore a value it cannot read instead of refusing it.
    overdue = django_filters.ChoiceFilter(
        method="filter_overdue",
        choices=[("true", "true"), ("false", "false")],
        help_text="true: only overdue requests.",
    )

    class Meta:
        model = SupportRequest
        fields = ["school", "department", "category", "status", "assignee", "overdue"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=LIVE_STATUSES) if value == LIVE else queryset.filter(status=value)

    def filter_assignee(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee__username=value)

    def filter_overdue(self, queryset, name, value):
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value == "true" else queryset.filter(~q)


# --- the endpoints ----------------------------------------------------------------------------------

STEPS = {
    "wait": Step(SupportRequestReplyInput, support_request_wait, ("message",)),
    "answer": Step(SupportRequestReplyInput, support_request_answer, ("message",)),
    "resolve": Step(SupportRequestReplyInput, support_request_resolve, ("message",)),
    "reopen": Step(SupportRequestReopenInput, support_request_reopen, ("reason",)),
    "close": Step(SupportRequestCloseInput, support_request_close, ("rating", "comment")),
    "reassign": Step(SupportRequestReassignInput, support_request_reassign, ("assignee", "note")),
}


class SupportRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The support requests you may see: a school's staff and liaison their school's, a department's staff
    the department's, the autonomy office and viewers all. A school's principal or team ask for help."""

    filterset_class = SupportRequestFilter
    ordering_fields = ["id", "created_at", "due_on"]
    ordering = ["-created_at", "-id"]
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return support_requests_visible_to(self.request.user).select_related("school", "category", "assignee")

    def get_serializer_class(self):
        return SupportRequestSerializer if self.action == "list" else SupportRequestDetailSerializer

    def get_object(self) -> SupportRequest:
        return support_request_get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        found = support_request_get_for_user(user=self.request.user, pk=pk)
        return Response(SupportRequestDetailSerializer(found, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=SupportRequestCreateInput, responses={201: SupportRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Ask central office for help, for your own school (another school: 404)."""
        if not roles_of(request.user).school_ids:
            raise NotPermitted("Only a school's principal or leadership team ask for help.")
        data = valid_input(SupportRequestCreateInput, request)
        made = support_request_create(actor=request.user, **data)
        return self._detail(made.pk, status.HTTP_201_CREATED)

    @step_endpoint(SupportRequestReplyInput, SupportRequestDetailSerializer)
    def wait(self, request, pk=None):
        """The department asks the school for something; the deadline pauses until the school answers."""
        return self._step(request, "wait")

    @step_endpoint(SupportRequestReplyInput, SupportRequestDetailSerializer)
    def answer(self, request, pk=None):
        """The school answers; the deadline moves on by the business days it waited."""
        return self._step(request, "answer")

    @step_endpoint(SupportRequestReassignInput, SupportRequestDetailSerializer)
    def reassign(self, request, pk=None):
        """Hand the request to another staff member of its department."""
        return self._step(request, "reassign")

    @step_endpoint(SupportRequestReplyInput, SupportRequestDetailSerializer)
    def resolve(self, request, pk=None):
        """The department says what was done."""
        return self._step(request, "resolve")

    @step_endpoint(SupportRequestReopenInput, SupportRequestDetailSerializer)
    def reopen(self, request, pk=None):
        """The school is not satisfied: a fresh deadline."""
        return self._step(request, "reopen")

    @step_endpoint(SupportRequestCloseInput, SupportRequestDetailSerializer)
    def close(self, request, pk=None):
        """The school closes the request with a rating from 1 to 5."""
        return self._step(request, "close")

    @extend_schema(request=SupportMessageInput, responses={201: SupportRequestDetailSerializer})
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """A reply (the school's staff or the department) or an internal note (the department only)."""
        found = self.get_object()
        if not can_write_message(request.user, found, internal=True):
            require(can_write_message(request.user, found, internal=False))
        data = valid_input(SupportMessageInput, request)
        support_request_message(actor=request.user, request_id=found.pk, body=data["body"], internal=data["internal"])
        return self._detail(found.pk, status.HTTP_201_CREATED)

    def _step(self, request, name: str) -> Response:
        found = self.get_object()
        require(transition_attempt_decide(SUPPORT_REQUEST_WORKFLOW, request.user, found, name, support_request_acts_as))
        step_take(request, STEPS[name], request_id=found.pk)
        return self._detail(found.pk)


class SupportCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """What schools may ask for, the department that answers and its deadline in business days."""

    serializer_class = SupportCategorySerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,40}"
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    filterset_fields = ["department"]  # only active categories are offered; `active` is in each row

    def get_queryset(self):
        return support_categories_visible_to(self.request.user)
