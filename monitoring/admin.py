from django.contrib import admin

from .models import Period, Value


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "starts_on", "ends_on"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    """Values are read-only here: they change only through the monitoring workflow."""

    list_display = ["indicator", "country", "period", "total", "status"]
    list_filter = ["status", "country", "period"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
