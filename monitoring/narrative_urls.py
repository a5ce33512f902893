"""A country's narrative of a period: its page (the secretariat, its focal point, everyone once
validated) and the secretariat's decisions on it."""

from django.urls import path

from . import narrative_views as views

urlpatterns = [
    path("narratives/<int:pk>/", views.narrative_detail, name="narrative"),
    path("narratives/<int:pk>/validate/", views.narrative_validate, name="narrative_validate"),
    path("narratives/<int:pk>/return/", views.narrative_return, name="narrative_return"),
]
