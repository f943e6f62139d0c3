from django.contrib import admin, messages

from core.models import Notification, OutboxEmail, OutboxStatus
from core.notifications import outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through their services, which record who did what: the admin looks them up."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An audit trail or a service-written child: shown, never added to, changed or deleted through the admin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusEventInline(ReadOnlyInline):
    """A workflow's history (rows of a core.models.StatusEvent subclass): who took which step, when, and why."""

    fields = readonly_fields = ["at", "actor", "action", "from_status", "to_status", "reason", "evidence"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__username", "title"]
    list_select_related = ["user"]
    readonly_fields = ["user", "key", "title", "body", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """What was emailed, to whom, and what failed; rows change only through the sender and the retry action."""

    list_display = ["subject", "to_address", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject", "key"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "to_address",
        "kind",
        "key",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed emails")
    def retry_failed(self, request, queryset):
        retried = outbox_retry(email_ids=queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
        skipped = queryset.count() - retried
        message = f"{retried} failed email(s) put back in the queue."
        if skipped:
            message += f" {skipped} selected email(s) had not failed and were left as they are."
        self.message_user(request, message, messages.SUCCESS if retried else messages.WARNING)
