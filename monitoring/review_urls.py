"""The secretariat's review (queue, decisions on a value, periods, targets, qualifications) and
the page of one value, which everyone who may see the value reaches from the matrix and notices."""

from django.urls import path

from . import review_views as views

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/validate/", views.queue_validate, name="queue_validate"),
    path("values/<int:pk>/", views.value_detail, name="value"),
    path("values/<int:pk>/evidence/", views.value_evidence, name="value_evidence"),
    path("values/<int:pk>/validate/", views.review_validate, name="review_validate"),
    path("values/<int:pk>/return/", views.review_return, name="review_return"),
    path("values/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("periods/", views.periods, name="periods"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/lock/", views.period_lock, name="period_lock"),
    path("periods/<int:pk>/unlock/", views.period_unlock, name="period_unlock"),
    path("periods/<int:pk>/targets/", views.targets, name="targets"),
    path("periods/<int:pk>/qualifications/", views.qualifications, name="qualifications"),
]
