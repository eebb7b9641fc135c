"""Read-only admin for the audit trail: no add, no change, no delete."""

from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through their services (or never): the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_name", "action", "target_repr", "unit", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_repr", "action"]
    date_hierarchy = "occurred_at"
    list_select_related = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
