from django.contrib import admin

from accountability.models import EvaluationRun


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    list_display = ["as_of", "status", "trigger", "started_at", "finished_at"]
    list_filter = ["status", "trigger"]
    readonly_fields = ["as_of", "status", "trigger", "started_at", "finished_at", "counts", "error"]

    def has_add_permission(self, request):
        return False
