from django.contrib import admin

from metrics.models import Metric, Observation


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "direction", "category", "data_source"]
    list_filter = ["category", "unit", "direction"]
    search_fields = ["code", "name"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["school", "metric", "period", "value", "source"]
    list_filter = ["metric", "period"]
    search_fields = ["school__code", "school__name", "metric__code"]
    list_select_related = ["school", "metric"]
    autocomplete_fields = ["school", "metric"]
