from django.contrib import admin

from contracts.models import (
    Benchmark,
    ContractEvent,
    ContractTemplate,
    InterventionRule,
    PerformanceContract,
    TemplateBenchmark,
    TemplateRule,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline, StatusEventInline


class TemplateBenchmarkInline(admin.StackedInline):
    model = TemplateBenchmark
    extra = 0


class TemplateRuleInline(admin.StackedInline):
    model = TemplateRule
    extra = 0


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    inlines = [TemplateBenchmarkInline, TemplateRuleInline]


class BenchmarkInline(ReadOnlyInline):
    model = Benchmark
    fields = readonly_fields = ["key", "metric", "kind", "comparator", "target", "baseline", "binding_grant"]


class RuleInline(ReadOnlyInline):
    model = InterventionRule
    fields = readonly_fields = ["key", "condition", "count", "level", "deadline_days", "provision"]


class EventInline(StatusEventInline):
    model = ContractEvent


@admin.register(PerformanceContract)
class PerformanceContractAdmin(ReadOnlyAdmin):
    """Read-only: contracts change through the contract pages and contracts.services."""

    list_display = ["school", "version", "term_start", "term_end", "status", "signed_at", "countersigned_at"]
    list_filter = ["status", "term_start"]
    search_fields = ["school__code", "school__name"]
    list_select_related = ["school", "term_start", "term_end"]
    inlines = [BenchmarkInline, RuleInline, EventInline]
