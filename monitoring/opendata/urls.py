"""The open data, under /es/data/ and /en/data/ (corett/urls.py): the catalogue, its zip, and per
indicator a stable address with its data.csv and datapackage.json."""

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("corett-open-data.zip", views.catalogue_zip, name="catalogue_zip"),
    path("<str:code>/", views.dataset, name="dataset"),
    path("<str:code>/data.csv", views.dataset_csv, name="dataset_csv"),
    path("<str:code>/datapackage.json", views.dataset_package, name="dataset_package"),
]
