from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.archive, name="reports"),
    path("reports/new/", views.request_report, name="report_request"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/download/", views.download, name="report_download"),
]
