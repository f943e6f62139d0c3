"""Read-only: results, flags and listings are written by the nightly run and the flag services, whose
pages record who did what; the admin is for looking things up."""

from django.contrib import admin

from accountability.models import BenchmarkResult, EligibilityFinding, EvaluationRun, FlagEvent, InterventionFlag
from core.admin import ReadOnlyAdmin, StatusEventInline


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ["as_of", "status", "trigger", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "trigger"]


@admin.register(BenchmarkResult)
class BenchmarkResultAdmin(ReadOnlyAdmin):
    list_display = ["benchmark", "period", "status", "rating", "value", "target", "evaluated_at"]
    list_filter = ["status", "rating", "period"]
    list_select_related = ["benchmark"]
    raw_id_fields = ["benchmark", "run"]


class FlagEventInline(StatusEventInline):
    model = FlagEvent


@admin.register(InterventionFlag)
class InterventionFlagAdmin(ReadOnlyAdmin):
    list_display = ["school", "rule_key", "level", "status", "period", "deadline", "opened_at"]
    list_filter = ["status", "level"]
    list_select_related = ["school"]
    search_fields = ["school__code", "school__name", "rule_key"]
    raw_id_fields = ["school", "rule", "opened_run"]
    inlines = [FlagEventInline]


@admin.register(EligibilityFinding)
class EligibilityFindingAdmin(ReadOnlyAdmin):
    list_display = ["school", "autonomy", "found_at", "ended_at", "invited_at"]
    list_select_related = ["school", "autonomy"]
    search_fields = ["school__code", "school__name"]
    raw_id_fields = ["school", "autonomy", "run", "ended_run", "invited_by"]
