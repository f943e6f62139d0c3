from django.contrib import admin

from schools.models import Cohort, District, Membership, Network, School, SchoolYear


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start_date", "first_day", "end_date"]
    ordering = ["-start_date"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "grade_band", "network", "cohort", "liaison", "enrollment"]
    list_filter = ["grade_band", "network", "cohort"]
    search_fields = ["code", "name"]
    list_select_related = ["network", "cohort", "liaison"]
    autocomplete_fields = ["network", "cohort", "liaison"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "function", "school"]
    list_filter = ["role", "function"]
    search_fields = ["user__username", "user__last_name", "school__name", "school__code"]
    list_select_related = ["user", "school"]
    autocomplete_fields = ["user", "school"]
