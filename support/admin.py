"""Support's rows in the admin. Networks' teams, allowances, windows, requests, memberships and opt-outs are
looked up here, never changed: each changes only through its service (support.services.networks*), which
checks who may and the rules across rows (a seat's person works in its department, a window closes after
it opens, a request's status moves only through its workflow, a membership ends rather than vanishes).

Who works in which department has no rule beyond its constraints (one row per person and department, one
head per department), so the autonomy office keeps it here."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, StatusEventInline
from support.models import (
    DepartmentStaff,
    NetworkMembership,
    NetworkRequest,
    NetworkRequestEvent,
    OptInWindow,
    OptOutAllowance,
    ServiceOptOut,
    TeamSeat,
)


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "is_head"]
    list_filter = ["department", "is_head"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(TeamSeat)
class TeamSeatAdmin(ReadOnlyAdmin):
    list_display = ["network", "department", "user", "title"]
    list_filter = ["department", "network"]
    list_select_related = ["network", "user"]
    search_fields = ["user__username", "network__name"]


@admin.register(OptOutAllowance)
class OptOutAllowanceAdmin(ReadOnlyAdmin):
    list_display = ["network", "department", "terms"]
    list_filter = ["department", "network"]
    list_select_related = ["network"]


@admin.register(OptInWindow)
class OptInWindowAdmin(ReadOnlyAdmin):
    list_display = ["school_year", "opens_on", "closes_on"]
    list_select_related = ["school_year"]


class NetworkRequestEventInline(StatusEventInline):
    model = NetworkRequestEvent


@admin.register(NetworkRequest)
class NetworkRequestAdmin(ReadOnlyAdmin):
    list_display = ["school", "network", "school_year", "status", "requested_by", "created_at", "decided_at"]
    list_filter = ["status", "school_year", "network"]
    list_select_related = ["school", "network", "school_year", "requested_by"]
    search_fields = ["school__code", "school__name", "network__name"]
    readonly_fields = ["status"]
    inlines = [NetworkRequestEventInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(ReadOnlyAdmin):
    list_display = ["school", "network", "school_year", "started_on", "ended_on", "request"]
    list_filter = ["school_year", "network"]
    list_select_related = ["school", "network", "school_year"]
    search_fields = ["school__code", "school__name"]


@admin.register(ServiceOptOut)
class ServiceOptOutAdmin(ReadOnlyAdmin):
    list_display = ["school", "school_year", "department", "network", "recorded_by", "created_at"]
    list_filter = ["school_year", "department"]
    list_select_related = ["school", "school_year", "network", "recorded_by"]
    search_fields = ["school__code", "school__name"]
