from django.contrib import admin

from autonomy.models import Autonomy, AutonomyGrant, GrantEvent


@admin.register(Autonomy)
class AutonomyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "model", "display_order"]
    list_filter = ["domain", "model"]
    search_fields = ["code", "name"]
    list_editable = ["display_order"]


class GrantEventInline(admin.TabularInline):
    model = GrantEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "reason", "evidence"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AutonomyGrant)
class AutonomyGrantAdmin(admin.ModelAdmin):
    """Read-only: grants change only through autonomy.services, which record who, when and why."""

    list_display = ["school", "autonomy", "model", "status", "starts_on", "ends_on", "granted_by"]
    list_filter = ["status", "model", "autonomy__domain", "autonomy"]
    search_fields = ["school__code", "school__name", "autonomy__code"]
    list_select_related = ["school", "autonomy", "granted_by"]
    inlines = [GrantEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
