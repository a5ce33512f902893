from django.urls import path

from . import site_views

app_name = "site"
urlpatterns = [
    path("accessibility/", site_views.accessibility, name="accessibility"),
    path("sources/", site_views.sources, name="sources"),
    path("sources/<slug:area>/", site_views.source_notes_page, name="source_notes"),
]
