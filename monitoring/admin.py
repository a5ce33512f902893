from django.contrib import admin

from corett.admin import ReadOnlyMixin

from .models import Period, Population, Value


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "starts_on", "ends_on"]


@admin.register(Value)
class ValueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Values change only through the monitoring workflow."""

    list_display = ["indicator", "country", "period", "number", "status"]
    list_filter = ["status", "country", "period"]


@admin.register(Population)
class PopulationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Populations change through the secretariat's pages, which keep their history."""

    list_display = ["country", "year", "total", "source_date", "to_be_verified"]
    list_filter = ["country", "to_be_verified"]
