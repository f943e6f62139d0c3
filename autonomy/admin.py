from django.contrib import admin

from autonomy.models import (
    Autonomy,
    AutonomyGrant,
    AutonomyRequest,
    CallForProposals,
    CallQuestion,
    ClarifiedFlexibility,
    EligibilityCriterion,
    GrantEvent,
    RequestEvent,
    RequestItem,
    ReviewComment,
    TargetOutcome,
)
from autonomy.models.catalog import CATALOG_TEXT_FIELDS, AutonomyRevision
from core.admin import ReadOnlyAdmin, ReadOnlyInline, StatusEventInline


class EligibilityCriterionInline(admin.TabularInline):
    model = EligibilityCriterion
    extra = 0
    autocomplete_fields = ["metric"]


class AutonomyRevisionInline(ReadOnlyInline):
    model = AutonomyRevision
    fields = readonly_fields = ["changed_at", "changed_by", "changes", "note"]


@admin.register(Autonomy)
class AutonomyAdmin(admin.ModelAdmin):
    """An entry's words are edited on the catalog page, where each change is kept with who and when; here
    they are read-only once the entry exists."""

    list_display = ["code", "name", "domain", "model", "display_order"]
    list_filter = ["domain", "model"]
    search_fields = ["code", "name"]
    list_editable = ["display_order"]
    inlines = [EligibilityCriterionInline, AutonomyRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        return CATALOG_TEXT_FIELDS if obj is not None else ()


class GrantEventInline(StatusEventInline):
    model = GrantEvent


@admin.register(AutonomyGrant)
class AutonomyGrantAdmin(ReadOnlyAdmin):
    """Read-only: grants change only through autonomy.services, which record who, when and why."""

    list_display = ["school", "autonomy", "model", "status", "starts_on", "ends_on", "granted_by"]
    list_filter = ["status", "model", "autonomy__domain", "autonomy"]
    search_fields = ["school__code", "school__name", "autonomy__code"]
    list_select_related = ["school", "autonomy", "granted_by"]
    inlines = [GrantEventInline]


class CallQuestionInline(admin.TabularInline):
    model = CallQuestion
    extra = 0


@admin.register(CallForProposals)
class CallForProposalsAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "created_by"]
    search_fields = ["title"]
    filter_horizontal = ["autonomies"]
    inlines = [CallQuestionInline]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class RequestItemInline(ReadOnlyInline):
    model = RequestItem
    fields = readonly_fields = [
        "autonomy",
        "justification",
        "barrier",
        "decision",
        "decision_note",
        "override_reason",
    ]


class TargetOutcomeInline(ReadOnlyInline):
    model = TargetOutcome
    fields = readonly_fields = ["metric", "baseline", "target", "by_period"]


class RequestEventInline(StatusEventInline):
    model = RequestEvent


class ReviewCommentInline(ReadOnlyInline):
    model = ReviewComment
    fields = readonly_fields = ["created_at", "author", "function", "to_school", "recommendation", "body"]


@admin.register(AutonomyRequest)
class AutonomyRequestAdmin(ReadOnlyAdmin):
    """Read-only: the workflow runs through the request pages and autonomy.services."""

    list_display = ["school", "call", "status", "submitted_at", "decided_at", "decided_by"]
    list_filter = ["status", "call"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school", "call", "decided_by"]
    inlines = [RequestItemInline, TargetOutcomeInline, ReviewCommentInline, RequestEventInline]


@admin.register(ClarifiedFlexibility)
class ClarifiedFlexibilityAdmin(admin.ModelAdmin):
    list_display = ["autonomy", "domain", "clarified_by", "created_at"]
    list_filter = ["domain"]
    search_fields = ["barrier", "explanation"]
    readonly_fields = ["source_item", "clarified_by"]
