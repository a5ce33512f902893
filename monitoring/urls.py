"""Monitoring pages, under /es/monitoring/ and /en/monitoring/: one module of URLs per area."""

from django.urls import include, path

app_name = "monitoring"
urlpatterns = [
    path("", include("monitoring.matrix_urls")),
    path("", include("monitoring.dashboard_urls")),
    path("", include("monitoring.entry_urls")),
    path("", include("monitoring.review_urls")),
    path("", include("monitoring.narrative_urls")),
    path("", include("monitoring.report_urls")),
    path("spreadsheets/", include("monitoring.spreadsheet_urls")),
]
