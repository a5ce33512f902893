"""The Django admin (superusers only, corett.access.can_use_admin). Directory entries change in
the portal, where each save is versioned, checked against the editor's country and recorded:
here they are read-only. Detection indicators have no portal editor: the admin edits them."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from corett.admin import ReadOnlyMixin

from . import models


class ReadOnlyAdmin(ReadOnlyMixin, TranslationAdmin):
    pass


@admin.register(models.Actor)
class ActorAdmin(ReadOnlyAdmin):
    list_display = ["name", "acronym", "country", "sector", "is_governing_body", "verified_at"]
    list_filter = ["country", "sector", "is_governing_body", "to_be_verified"]
    search_fields = ["search_text"]


@admin.register(models.Hotline)
class HotlineAdmin(ReadOnlyAdmin):
    list_display = ["country", "number", "operator", "to_be_verified", "verified_at"]
    list_filter = ["country", "to_be_verified"]


@admin.register(models.Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ["title", "country", "to_be_verified", "verified_at"]


@admin.register(models.RouteStep)
class RouteStepAdmin(ReadOnlyAdmin):
    list_display = ["route", "order", "title"]
    list_filter = ["route"]


@admin.register(models.DetectionIndicator)
class DetectionIndicatorAdmin(TranslationAdmin):
    list_display = ["order", "category", "text", "source"]
    list_filter = ["category", "source"]
