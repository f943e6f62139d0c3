"""The formula in the admin: looked up, never changed there — a version changes only through its services
(budgeting.services.formula and formula_edits), which refuse a published version and keep every change."""

from django.contrib import admin

from budgeting.models import (
    ConcentrationCurve,
    EnrollmentCategory,
    FormulaEvent,
    FormulaVersion,
    Foundation,
    SmallSchoolThreshold,
    Weight,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline, StatusEventInline


class FoundationInline(ReadOnlyInline):
    model = Foundation
    fields = readonly_fields = ["grade_band", "amount"]


class WeightInline(ReadOnlyInline):
    model = Weight
    fields = readonly_fields = ["category", "convention", "value"]


class ConcentrationCurveInline(ReadOnlyInline):
    model = ConcentrationCurve
    fields = readonly_fields = ["category", "start_share", "full_share", "max_weight"]


class SmallSchoolThresholdInline(ReadOnlyInline):
    model = SmallSchoolThreshold
    fields = readonly_fields = ["grade_band", "threshold"]


class FormulaEventInline(StatusEventInline):
    model = FormulaEvent


@admin.register(FormulaVersion)
class FormulaVersionAdmin(ReadOnlyAdmin):
    list_display = ["school_year", "number", "name", "status", "base_mode", "base_per_pupil", "pool", "published_at"]
    list_filter = ["status", "school_year"]
    list_select_related = ["school_year"]
    search_fields = ["name"]
    inlines = [FoundationInline, WeightInline, ConcentrationCurveInline, SmallSchoolThresholdInline, FormulaEventInline]


@admin.register(EnrollmentCategory)
class EnrollmentCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "display_order"]
    list_filter = ["kind"]
