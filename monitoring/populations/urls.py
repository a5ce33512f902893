"""Population denominators, under /<lang>/monitoring/populations/: the secretariat's."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.population_list, name="populations"),
    path("new/", views.population_edit, name="population_create"),
    path("<int:pk>/", views.population_edit, name="population_edit"),
    path(
        "populations.xlsx", views.population_export, {"fmt": "xlsx"}, name="population_export_xlsx"
    ),
    path("populations.csv", views.population_export, {"fmt": "csv"}, name="population_export_csv"),
    path("import/", views.import_page, name="population_import"),
    path("import/<str:token>/", views.preview_page, name="population_preview"),
    path("import/<str:token>/confirm/", views.confirm, name="population_confirm"),
]
