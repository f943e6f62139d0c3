"""Autonomy requests: the school drafts and submits, reviewers comment and recommend, the autonomy office
returns, declines or decides item by item.

Each endpoint asks the policies the request page asks and calls the service the page calls, so the rules
cannot differ. A refusal is 403 when the role may never take the step (with the policy's reason), 409
when the step is not open in the request's state or somebody acted first, 400 for input a rule refused;
a request the user may not see is 404. Every step answers the request as it is afterwards.
"""

from django import forms
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from autonomy.api.request_serializers import (
    MAX_ID,
    ApproveInput,
    CommentInput,
    DraftInput,
    ExpectedStatusInput,
    NoteInput,
    RecommendInput,
    RequestCreateInput,
    RequestDetailSerializer,
    RequestRowSerializer,
    api_places,
)
from autonomy.models import AutonomyRequest, RequestItem, RequestStatus
from autonomy.policies import (
    can_attempt_request_action,
    can_comment_on_request,
    can_edit_request,
    can_start_request,
    can_take_request_action,
    request_acts_as,
    requests_visible_to,
    reviewing_function,
)
from autonomy.selectors import call_get, request_get_for_user, schools_user_acts_for
from autonomy.services import (
    ItemChoice,
    ItemText,
    OutcomeInput,
    fields_at_places,
    request_comment,
    request_create,
    request_decide,
    request_decline,
    request_return,
    request_submit,
    request_update_draft,
    request_withdraw,
)
from core.api.fields import ID_REGEX
from core.api.steps import step_endpoint
from core.errors import ApplicationError, Conflict
from core.policies import require
from core.workflows import Actor


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A whole-number id: `1.5` and `1e400` are refused (400), not rounded or overflowed."""

    field_class = forms.IntegerField


class RequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    school = filters.CharFilter(field_name="school__code", max_length=20, help_text="The school's code.")
    call = IdFilter(field_name="call_id", min_value=1, max_value=MAX_ID, help_text="The call's id.")

    class Meta:
        model = AutonomyRequest
        fields = ["status", "school", "call"]


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests you may see: your school's (drafts included), those routed to your review function, your
    caseload's once submitted, or every submitted request for the autonomy office."""

    filterset_class = RequestFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["id", "created_at", "updated_at", "submitted_at"]
    ordering = ["-updated_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        items = RequestItem.objects.select_related("autonomy")
        return (
            requests_visible_to(self.request.user)
            .select_related("school", "call")
            .prefetch_related(Prefetch("items", queryset=items))
        )

    def get_serializer_class(self):
        return RequestRowSerializer if self.action == "list" else RequestDetailSerializer

    def get_object(self) -> AutonomyRequest:
        """The request with everything its page shows, comments as the reader may read them; 404 if not visible."""
        return request_get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))

    def _answer(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = request_get_for_user(user=self.request.user, pk=pk)
        return Response(RequestDetailSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    # --- the school's draft -----------------------------------------------------------------------

    @extend_schema(
        request=RequestCreateInput,
        responses={201: RequestDetailSerializer},
        description=(
            "A principal or leadership-team member starts the school's draft in a call, optionally writing any "
            "part of it at once. Everything is saved, or nothing."
        ),
    )
    def create(self, request, *args, **kwargs):
        schools = list(schools_user_acts_for(user=request.user))
        if not schools:  # nobody they may start a request for, whatever the body says
            require(can_start_request(request.user, None))
        data = RequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        school = self._school(schools, values.get("school"))
        # A school the user does not act for is refused as one that does not exist: nothing to learn here.
        require(can_start_request(request.user, school.pk if school else None))
        call = self._call(values["call"])
        with transaction.atomic():
            created = request_create(actor=request.user, school=school, call=call)
            self._write_draft(created.pk, values)
        return self._answer(created.pk, status_code=status.HTTP_201_CREATED)

    @staticmethod
    def _school(schools, code: str | None):
        if code is None:
            if len(schools) > 1:
                raise ApplicationError(
                    "You act for several schools: say which.",
                    fields={"school": [f"One of {', '.join(s.code for s in schools)}."]},
                )
            return schools[0]
        return next((s for s in schools if s.code == code), None)

    @staticmethod
    def _call(pk: int):
        try:
            return call_get(pk=pk)
        except Http404:  # a body naming no call is bad input, not a missing page
            raise ApplicationError("No such call.", fields={"call": ["No such call."]}) from None

    @extend_schema(
        request=DraftInput,
        responses={200: RequestDetailSerializer},
        description=(
            "The school edits its draft (or a request returned for changes). Each part sent replaces that part; "
            "status, school, call and decisions are not writable (400 naming them). Everything is saved, or nothing."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        current = self.get_object()
        require(request_acts_as(request.user, current, Actor.SCHOOL_STAFF))
        if not (decision := can_edit_request(request.user, current)):
            raise Conflict(decision.reason)
        data = DraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            self._write_draft(current.pk, data.validated_data)
        return self._answer(current.pk)

    def _write_draft(self, pk: int, values: dict) -> None:
        """The parts sent, through the one service that writes a draft's parts (all or nothing)."""
        request_update_draft(
            actor=self.request.user,
            request_id=pk,
            autonomy_ids=values.get("autonomies"),
            items=[ItemText(**row) for row in values["items"]] if "items" in values else None,
            plan=values.get("plan"),
            answers={row["question"]: row["text"] for row in values["answers"]} if "answers" in values else None,
            outcomes=[
                OutcomeInput(
                    metric=row["metric"],
                    baseline="" if row.get("baseline") is None else str(row["baseline"]),
                    target=str(row["target"]),
                    by_period=row["by_period"],
                )
                for row in values["outcomes"]
            ]
            if "outcomes" in values
            else None,
        )

    # --- the workflow's steps ---------------------------------------------------------------------

    def _require_step(self, current: AutonomyRequest, step: str) -> None:
        """403 if the user is never the kind of actor the step needs; 409 if the step is not open now."""
        require(can_attempt_request_action(self.request.user, current, step))
        require(can_take_request_action(self.request.user, current, step))

    def _take_step(self, step: str, service, input_class, **arguments) -> Response:
        current = self.get_object()
        self._require_step(current, step)
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # The status this request was read in: if it moves before the service locks the row, that is a 409.
        expected = values.pop("expected_status", None) or current.status
        try:
            service(actor=self.request.user, request_id=current.pk, expected_status=expected, **values, **arguments)
        except ApplicationError as error:
            raise type(error)(error.message, fields=api_places(error.fields, current)) from None
        return self._answer(current.pk)

    @step_endpoint(ExpectedStatusInput, RequestDetailSerializer)
    def submit(self, request, pk=None):
        """The principal sends the request while the call is open; 400 lists what is still missing."""
        return self._take_step("submit", request_submit, ExpectedStatusInput)

    @step_endpoint(ExpectedStatusInput, RequestDetailSerializer)
    def withdraw(self, request, pk=None):
        """The principal closes an open request for good."""
        return self._take_step("withdraw", request_withdraw, ExpectedStatusInput)

    @step_endpoint(NoteInput, RequestDetailSerializer, url_path="return", url_name="return")
    def return_for_changes(self, request, pk=None):
        """The autonomy office returns a submitted request to the school with what to change."""
        return self._take_step("return", request_return, NoteInput)

    @step_endpoint(NoteInput, RequestDetailSerializer)
    def decline(self, request, pk=None):
        """The autonomy office declines the whole request, with the reason the school reads."""
        return self._take_step("decline", request_decline, NoteInput)

    @step_endpoint(ApproveInput, RequestDetailSerializer)
    def approve(self, request, pk=None):
        """The autonomy office decides item by item, as on the decision page: approve, decline or clarify each
        autonomy asked for. Approved items become grants. An earned autonomy whose criteria do not hold needs an
        `override_reason`; the criteria evidence is stored either way. If every item is declined, the request
        is declined."""
        current = self.get_object()
        self._require_step(current, "approve")
        data = ApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        by_code = {item.autonomy.code: item for item in current.items.all()}
        unknown = {
            f"items.{i}.autonomy": ["The request does not ask for this autonomy."]
            for i, row in enumerate(values["items"])
            if row["autonomy"] not in by_code
        }
        if unknown:
            raise ApplicationError("A decision names an autonomy the request does not ask for.", fields=unknown)
        choices, places = {}, {}
        for i, row in enumerate(values["items"]):
            item = by_code[row["autonomy"]]
            choices[item.pk] = ItemChoice(
                decision=row["decision"], note=row.get("note", ""), override_reason=row.get("override_reason", "")
            )
            places[str(item.pk)] = str(i)
        try:
            request_decide(
                actor=request.user,
                request_id=current.pk,
                choices=choices,
                note=values.get("note", ""),
                expected_status=values.get("expected_status") or current.status,
            )
        except ApplicationError as error:
            raise type(error)(error.message, fields=fields_at_places(error.fields, items=places)) from None
        return self._answer(current.pk)

    def _comment(self, input_class) -> Response:
        current = self.get_object()
        require(can_attempt_request_action(self.request.user, current, "review"))
        if not (decision := can_comment_on_request(self.request.user, current)):
            raise Conflict(decision.reason)
        data = input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        request_comment(
            actor=self.request.user,
            request_id=current.pk,
            function=reviewing_function(self.request.user, current),
            **data.validated_data,
        )
        return self._answer(current.pk)

    @step_endpoint(CommentInput, RequestDetailSerializer)
    def comment(self, request, pk=None):
        """A reviewer of a function the request touches (or the autonomy office) comments, internally or to the
        school, optionally with a recommendation. The first comment opens the review."""
        return self._comment(CommentInput)

    @step_endpoint(RecommendInput, RequestDetailSerializer)
    def recommend(self, request, pk=None):
        """A comment that must carry a recommendation (approve, decline or return)."""
        return self._comment(RecommendInput)
