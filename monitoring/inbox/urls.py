"""The inbox: /monitoring/inbox/."""

from django.urls import path

from . import views

urlpatterns = [path("inbox/", views.inbox, name="inbox")]
