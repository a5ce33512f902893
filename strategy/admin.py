from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from . import models


@admin.register(models.Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["code", "name"]


@admin.register(models.GoverningBody)
class GoverningBodyAdmin(TranslationAdmin):
    list_display = ["name", "acronym", "country"]


@admin.register(models.Passage)
class PassageAdmin(TranslationAdmin):
    list_display = ["key", "title"]


class OperationalObjectiveInline(TranslationTabularInline):
    model = models.OperationalObjective
    extra = 0


@admin.register(models.Axis)
class AxisAdmin(TranslationAdmin):
    list_display = ["number", "name"]
    inlines = [OperationalObjectiveInline]


@admin.register(models.Activity)
class ActivityAdmin(TranslationAdmin):
    list_display = ["code", "text", "objective"]
    list_filter = ["objective__axis"]


@admin.register(models.Goal)
class GoalAdmin(TranslationAdmin):
    list_display = ["code", "text", "activity"]
    list_filter = ["activity__objective__axis"]


@admin.register(models.Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ["code", "name", "kind", "target"]
    list_filter = ["kind"]


class RatificationInline(admin.TabularInline):
    model = models.Ratification
    fields = ["country", "date", "accession", "source_text"]
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
