from django.contrib import admin

from core.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user"]
    readonly_fields = ["user", "key", "title", "body", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False
