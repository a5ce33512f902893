from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "country", "is_active"]
    list_filter = ["role", "country", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Portal", {"fields": ["role", "country"]})]
