"""The monitoring matrix, the indicator tracking table and the dashboards: public pages."""

from django.urls import path

from .views import dashboards as dashboard_views
from .views import grid as views

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("tracking/<str:scope>/", views.tracking, name="tracking"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", dashboard_views.country_dashboard, name="country_dashboard"),
]
