"""Spreadsheet export and import of the operative plan, under /<lang>/plan/spreadsheet/."""

from django.urls import path

from . import spreadsheet_views as views

app_name = "spreadsheet"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("plan.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("imports/<str:token>/", views.preview_page, name="preview"),
    path("imports/<str:token>/confirm/", views.confirm, name="confirm"),
]
