"""Value spreadsheets, under /<lang>/monitoring/spreadsheets/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="spreadsheets"),
    path(
        "<str:period>/<str:country>/template.xlsx",
        views.template,
        {"fmt": "xlsx"},
        name="spreadsheet_template",
    ),
    path(
        "<str:period>/<str:country>/template.csv",
        views.template,
        {"fmt": "csv"},
        name="spreadsheet_template_csv",
    ),
    path(
        "<str:period>/matrix.xlsx",
        views.matrix_export,
        {"fmt": "xlsx"},
        name="spreadsheet_matrix_xlsx",
    ),
    path(
        "<str:period>/matrix.csv",
        views.matrix_export,
        {"fmt": "csv"},
        name="spreadsheet_matrix_csv",
    ),
    path("values.xlsx", views.values_export, {"fmt": "xlsx"}, name="spreadsheet_values_xlsx"),
    path("values.csv", views.values_export, {"fmt": "csv"}, name="spreadsheet_values_csv"),
    path("unodc.xlsx", views.unodc_export, {"fmt": "xlsx"}, name="spreadsheet_unodc_xlsx"),
    path("unodc.csv", views.unodc_export, {"fmt": "csv"}, name="spreadsheet_unodc_csv"),
    path("import/", views.import_page, name="spreadsheet_import"),
    path("import/<str:token>/", views.preview_page, name="spreadsheet_preview"),
    path("import/<str:token>/confirm/", views.confirm, name="spreadsheet_confirm"),
]
