from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


class ReadOnlyMixin:
    """For records that change only through the portal's own workflows (services, history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "country", "is_active"]
    list_filter = ["role", "country", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Portal", {"fields": ["role", "country"]})]
