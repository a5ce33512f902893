"""The secretariat's review (the queue, decisions on a value or a narrative) and the pages of one
value and one narrative, which everyone who may see them reaches from the matrix and notices."""

from django.urls import path

from .views import follow_up as follow_up_views
from .views import narrative as narrative_views
from .views import queue as queue_views
from .views import value as value_views

urlpatterns = [
    path("review/", queue_views.queue, name="queue"),
    path("review/validate/", queue_views.queue_validate, name="queue_validate"),
    path("values/<int:pk>/", value_views.value_detail, name="value"),
    path("values/<int:pk>/evidence/", value_views.value_evidence, name="value_evidence"),
    path("values/<int:pk>/validate/", value_views.review_validate, name="review_validate"),
    path("values/<int:pk>/return/", value_views.review_return, name="review_return"),
    path("values/<int:pk>/reopen/", value_views.review_reopen, name="review_reopen"),
    path("values/<int:pk>/follow-up/", follow_up_views.follow_up, name="value_follow_up"),
    path(
        "values/<int:pk>/follow-up/resolve/",
        follow_up_views.follow_up_resolve,
        name="value_follow_up_resolve",
    ),
    path("narratives/<int:pk>/", narrative_views.narrative_detail, name="narrative"),
    path(
        "narratives/<int:pk>/validate/",
        narrative_views.narrative_validate,
        name="narrative_validate",
    ),
    path("narratives/<int:pk>/return/", narrative_views.narrative_return, name="narrative_return"),
]
