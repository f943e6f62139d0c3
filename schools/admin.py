from django.contrib import admin

from schools.models import Cohort, District, Membership, Network, School, SchoolYear
from schools.roster.models import RosterImport, RosterPerson, RosterRoleMapping


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
    list_display = ["code", "name", "grade_band", "network", "cohort", "liaison", "enrollment", "closed_on"]
    list_filter = ["grade_band", "network", "cohort"]
    search_fields = ["code", "name"]
    list_select_related = ["network", "cohort", "liaison"]
    autocomplete_fields = ["network", "cohort", "liaison"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "function", "school", "source"]
    list_filter = ["role", "function", "source"]
    search_fields = ["user__username", "user__last_name", "school__name", "school__code"]
    list_select_related = ["user", "school"]
    autocomplete_fields = ["user", "school"]


@admin.register(RosterRoleMapping)
class RosterRoleMappingAdmin(admin.ModelAdmin):
    """Which OneRoster role becomes which portal role (also edited on the roster import page)."""

    list_display = ["oneroster_role", "portal_role"]


@admin.register(RosterPerson)
class RosterPersonAdmin(admin.ModelAdmin):
    """Which accounts the roster manages, by the files' sourcedId: written by the import only."""

    list_display = ["sourced_id", "user"]
    search_fields = ["sourced_id", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Each roster upload and what became of it: read-only, the import page and command write them."""

    exclude = ["data"]

    list_display = ["pk", "file_name", "status", "created_by", "created_at", "changes_total", "error_count"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
