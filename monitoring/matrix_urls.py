"""The monitoring matrix and the indicator tracking table: public pages."""

from django.urls import path

from . import matrix_views

urlpatterns = [
    path("", matrix_views.matrix, name="matrix"),
    path("tracking/<str:scope>/", matrix_views.tracking, name="tracking"),
]
