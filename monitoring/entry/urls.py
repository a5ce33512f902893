"""Data entry: /monitoring/entry/ and a page per country (or "region") and period."""

from django.urls import path

from . import views

urlpatterns = [
    path("entry/", views.entry_home, name="entry_home"),
    path("entry/<str:country>/<str:period>/", views.entry, name="entry"),
]
