"""The secretariat's calendar: reporting periods, their targets and the axes' qualifications."""

from django.urls import path

from . import views

urlpatterns = [
    path("periods/", views.periods, name="periods"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/lock/", views.period_lock, name="period_lock"),
    path("periods/<int:pk>/unlock/", views.period_unlock, name="period_unlock"),
    path("periods/<int:pk>/targets/", views.targets, name="targets"),
    path("periods/<int:pk>/qualifications/", views.qualifications, name="qualifications"),
]
