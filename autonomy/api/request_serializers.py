"""Requests as the API shows them (output, all read-only) and what a client may send (input, shape only).

Items are named by their autonomy's code everywhere a client writes (a request asks for an autonomy at
most once), so a client that just chose its autonomies needs no item ids to write their reasons.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from autonomy.models import (
    AccountabilityModel,
    Autonomy,
    AutonomyRequest,
    Domain,
    ItemDecision,
    Recommendation,
    RequestEvent,
    RequestItem,
    RequestStatus,
    ReviewComment,
    TargetOutcome,
)
from autonomy.policies import (
    can_comment_on_request,
    can_decide_request,
    can_edit_request,
    can_take_request_action,
)
from autonomy.selectors import request_answers
from autonomy.services import fields_at_places, request_missing
from core.api.events import status_event_serializer
from core.api.fields import (
    EnumField,
    StrictBooleanField,
    StrictCharField,
    StrictInputSerializer,
    expected_status_field,
    text,
)
from core.limits import LONG_TEXT, NOTE_TEXT
from schools.models import ReviewFunction
from schools.periods import validate_school_year

MAX_ID = 2**63 - 1
STEPS = ["edit", "submit", "withdraw", "comment", "recommend", "approve", "decline", "return"]

# --- output ---------------------------------------------------------------------------------------


class RequestItemSerializer(serializers.ModelSerializer):
    autonomy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    autonomy_name = serializers.CharField(source="autonomy.name", read_only=True)
    domain = serializers.ChoiceField(source="autonomy.domain", choices=Domain.choices, read_only=True)
    model = serializers.ChoiceField(source="autonomy.model", choices=AccountabilityModel.choices, read_only=True)

    class Meta:
        model = RequestItem
        fields = [
            "id",
            "autonomy",
            "autonomy_name",
            "domain",
            "model",
            "justification",
            "barrier",
            "decision",
            "decision_note",
            "override_reason",
            "eligibility",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    """One of the call's questions with the school's answer ('' while unanswered)."""

    question = serializers.IntegerField(source="question.pk", read_only=True)
    question_text = serializers.CharField(source="question.text", read_only=True)
    text = serializers.CharField(read_only=True)


class OutcomeSerializer(serializers.ModelSerializer):
    metric = serializers.SlugRelatedField(slug_field="code", read_only=True)
    metric_name = serializers.CharField(source="metric.name", read_only=True)

    class Meta:
        model = TargetOutcome
        fields = ["metric", "metric_name", "baseline", "target", "by_period"]
        read_only_fields = fields


RequestEventSerializer = status_event_serializer(RequestEvent, RequestStatus, created="the draft was started")


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    function = serializers.ChoiceField(
        choices=ReviewFunction.choices,
        allow_blank=True,
        read_only=True,
        help_text="The function the reviewer commented for; empty for the autonomy office.",
    )

    class Meta:
        model = ReviewComment
        fields = ["id", "created_at", "author", "function", "body", "to_school", "recommendation"]
        read_only_fields = fields


class RequestRowSerializer(serializers.ModelSerializer):
    """A request in a list: enough to find it; its detail has the rest."""

    school = serializers.SlugRelatedField(slug_field="code", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)
    status = EnumField(RequestStatus, read_only=True)
    autonomies = serializers.SerializerMethodField(help_text="The codes of the autonomies asked for.")

    class Meta:
        model = AutonomyRequest
        fields = [
            "id",
            "school",
            "school_name",
            "call",
            "call_title",
            "status",
            "autonomies",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_autonomies(self, request: AutonomyRequest) -> list[str]:
        return [item.autonomy.code for item in request.items.all()]


def api_places(fields: dict[str, list[str]], request: AutonomyRequest) -> dict[str, list[str]]:
    """A refusal's items and answers named by their place in the request as the API shows it."""
    return fields_at_places(
        fields,
        items={str(item.pk): str(index) for index, item in enumerate(request.items.all())},
        answers={str(a.question.pk): str(index) for index, a in enumerate(request_answers(request=request))},
    )


class RequestDetailSerializer(RequestRowSerializer):
    """A request as its page shows it to the reader: comments are those the reader may read (the
    central office reads internal ones; the school and its liaison only those sent to the school)."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    items = RequestItemSerializer(many=True, read_only=True)
    answers = serializers.SerializerMethodField()
    outcomes = OutcomeSerializer(many=True, read_only=True)
    events = RequestEventSerializer(many=True, read_only=True, help_text="The request's history, oldest first.")
    comments = CommentSerializer(many=True, read_only=True, source="visible_comments")
    missing = serializers.SerializerMethodField(
        help_text="While the school may edit it: what must still be written before it can be submitted, by field."
    )
    allowed_actions = serializers.SerializerMethodField(help_text="The steps open to you now.")

    class Meta(RequestRowSerializer.Meta):
        fields = [
            *RequestRowSerializer.Meta.fields,
            "plan",
            "created_by",
            "decided_by",
            "decision_note",
            "items",
            "answers",
            "outcomes",
            "events",
            "comments",
            "missing",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, request: AutonomyRequest) -> list[dict]:
        return AnswerSerializer(request_answers(request=request), many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.ListField(child=serializers.CharField())))
    def get_missing(self, request: AutonomyRequest) -> dict[str, list[str]]:
        if not request.is_editable:
            return {}
        return api_places(request_missing(request=request), request)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=STEPS)))
    def get_allowed_actions(self, request: AutonomyRequest) -> list[str]:
        user = self.context["request"].user
        may = {
            "edit": can_edit_request(user, request),
            "comment": can_comment_on_request(user, request),
            "recommend": can_comment_on_request(user, request),
            "approve": can_decide_request(user, request),
        }
        for step in ("submit", "withdraw", "decline", "return"):
            may[step] = can_take_request_action(user, request, step)
        return [step for step in STEPS if may[step]]


# --- input ----------------------------------------------------------------------------------------


def autonomy_code(**kwargs) -> serializers.CharField:
    return StrictCharField(max_length=60, help_text="The autonomy's code, as `program.curriculum`.", **kwargs)


class ItemTextInput(StrictInputSerializer):
    autonomy = autonomy_code()
    justification = text(max_length=LONG_TEXT, help_text="Why the school needs it. Left out: kept as it is.")
    barrier = text(max_length=LONG_TEXT, help_text="The rule that stands in the way today. Left out: kept as it is.")


class AnswerInput(StrictInputSerializer):
    question = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The question's id in the call.")
    text = StrictCharField(max_length=LONG_TEXT, allow_blank=True, help_text="The answer ('' clears it).")


class OutcomeInputSerializer(StrictInputSerializer):
    metric = StrictCharField(max_length=60, help_text="The metric's code.")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=4)
    by_period = StrictCharField(help_text="A school year, as 2027-28.", validators=[validate_school_year])


def _named_twice(rows: list[dict], key: str) -> list[dict]:
    seen: set = set()
    errors: list[dict] = []
    for row in rows:
        errors.append({key: ["Named twice."]} if row[key] in seen else {})
        seen.add(row[key])
    return errors if any(errors) else []


class DraftInput(StrictInputSerializer):
    """The school's draft, each part optional; what is sent replaces that part, what is left out is kept."""

    autonomies = serializers.ListField(
        child=autonomy_code(),
        max_length=50,
        required=False,
        help_text="The autonomies asked for, among those the call offers; replaces the choice.",
    )
    items = ItemTextInput(many=True, required=False, max_length=50, help_text="Reasons and barriers per autonomy.")
    plan = text(max_length=LONG_TEXT, help_text="How the school will use these decisions.")
    answers = AnswerInput(many=True, required=False, max_length=100, help_text="Answers to the call's questions.")
    outcomes = OutcomeInputSerializer(
        many=True, required=False, max_length=20, help_text="The target outcomes; replaces them all."
    )

    def validate_autonomies(self, codes: list[str]) -> list[int]:
        found = dict(Autonomy.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted({code for code in codes if code not in found})
        if unknown:
            raise serializers.ValidationError(f"Not in the catalog: {', '.join(unknown)[:300]}.")
        return list(dict.fromkeys(found[code] for code in codes))

    def validate_items(self, rows):
        if errors := _named_twice(rows, "autonomy"):
            raise serializers.ValidationError(errors)
        return rows

    def validate_answers(self, rows):
        if errors := _named_twice(rows, "question"):
            raise serializers.ValidationError(errors)
        return rows


class RequestCreateInput(DraftInput):
    school = StrictCharField(
        max_length=20, required=False, help_text="Your school's code; needed only if you act for several schools."
    )
    call = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The call's id.")


class ExpectedStatusInput(StrictInputSerializer):
    expected_status = expected_status_field(RequestStatus, noun="request")


class NoteInput(ExpectedStatusInput):
    note = text(max_length=NOTE_TEXT, required=True, help_text="What the school reads.")


class CommentInput(StrictInputSerializer):
    body = text(max_length=LONG_TEXT, required=True)
    to_school = StrictBooleanField(default=False, help_text="Visible to the school; otherwise internal.")
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, default="", allow_blank=True)


class RecommendInput(CommentInput):
    recommendation = serializers.ChoiceField(
        choices=[c for c in Recommendation.choices if c[0]], help_text="What you recommend the autonomy office do."
    )


class ItemDecisionInput(StrictInputSerializer):
    autonomy = autonomy_code()
    decision = serializers.ChoiceField(
        choices=[(d.value, d.label) for d in (ItemDecision.APPROVED, ItemDecision.DECLINED, ItemDecision.CLARIFIED)]
    )
    note = text(max_length=NOTE_TEXT, help_text="Required when you clarify: every school will see it.")
    override_reason = text(
        max_length=NOTE_TEXT, help_text="Approving an earned autonomy whose criteria do not hold: say why."
    )


class ApproveInput(ExpectedStatusInput):
    items = ItemDecisionInput(many=True, max_length=50, help_text="One decision per autonomy the request asks for.")
    note = text(max_length=NOTE_TEXT, help_text="A note to the school.")

    def validate_items(self, rows):
        if errors := _named_twice(rows, "autonomy"):
            raise serializers.ValidationError(errors)
        return rows
