"""The Django admin: a back office for superusers (corett.access.can_use_admin).

Plan items are read-only here: they are edited in the portal's plan workspace, where every change is
versioned, validated and recorded through strategy.services.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from corett import access
from corett.admin import ReadOnlyMixin

from . import models

admin.site.has_permission = lambda request: access.can_use_admin(request.user)


class ReadOnlyAdmin(ReadOnlyMixin, TranslationAdmin):
    pass


@admin.register(models.Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["code", "name"]


@admin.register(models.GoverningBody)
class GoverningBodyAdmin(TranslationAdmin):
    list_display = ["name", "acronym", "country"]


@admin.register(models.Passage)
class PassageAdmin(TranslationAdmin):
    list_display = ["key", "title"]


@admin.register(models.Axis, models.OperationalObjective, models.Activity, models.Goal)
class PlanItemAdmin(ReadOnlyAdmin):
    pass


@admin.register(models.Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "target"]
    list_filter = ["kind"]


class RatificationInline(admin.TabularInline):
    model = models.Ratification
    fields = ["country", "date", "accession", "doubtful", "source_text"]
    extra = 0


@admin.register(models.Instrument)
class InstrumentAdmin(TranslationAdmin):
    list_display = ["order", "short_name", "kind", "system", "year"]
    list_filter = ["kind", "system"]
    inlines = [RatificationInline]


@admin.register(models.RegionalInstrument)
class RegionalInstrumentAdmin(TranslationAdmin):
    list_display = ["name", "group", "year"]
    list_filter = ["group"]


@admin.register(models.NationalInstrument)
class NationalInstrumentAdmin(TranslationAdmin):
    list_display = ["country", "crime", "text"]
    list_filter = ["country", "crime"]


for model in (
    models.Approach,
    models.AudienceSector,
    models.Definition,
    models.Difference,
    models.GlossaryTerm,
):
    admin.site.register(model, TranslationAdmin)
