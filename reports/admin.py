"""The suppression policy's versions (a change is a new version) and what each version masked, and why."""

from django.contrib import admin

from reports.models import MaskedCellRecord, SuppressionPolicy
from reports.services.publishing import policy_publish


@admin.register(SuppressionPolicy)
class SuppressionPolicyAdmin(admin.ModelAdmin):
    list_display = ["version", "minimum_n", "complementary", "pair_rule", "marker", "created_at", "created_by"]
    readonly_fields = ["version", "created_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # an old version is never edited

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.cleaned_data}
        published = policy_publish(actor=request.user, **values)
        obj.pk, obj.version = published.pk, published.version


@admin.register(MaskedCellRecord)
class MaskedCellRecordAdmin(admin.ModelAdmin):
    list_display = ["first_masked_at", "surface", "school_code", "field", "period", "reason", "policy_version"]
    list_filter = ["reason", "surface", "policy_version"]
    search_fields = ["school_code", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
