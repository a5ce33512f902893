"""Monitoring pages, under /es/monitoring/ and /en/monitoring/: one module of URLs per area."""

from django.urls import include, path

app_name = "monitoring"
urlpatterns = [
    path("", include("monitoring.matrix.urls")),
    path("", include("monitoring.entry.urls")),
    path("", include("monitoring.inbox.urls")),
    path("", include("monitoring.review.urls")),
    path("", include("monitoring.periods.urls")),
    path("", include("monitoring.reports.urls")),
    path("spreadsheets/", include("monitoring.spreadsheets.urls")),
    path("populations/", include("monitoring.populations.urls")),
]
