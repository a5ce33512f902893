"""Data entry: /monitoring/entry/ and a page per country (or "region") and period."""

from django.urls import path

from . import entry_views

urlpatterns = [
    path("entry/", entry_views.entry_home, name="entry_home"),
    path("entry/<str:country>/<str:period>/", entry_views.entry, name="entry"),
]
