# Being built (issue 4). A stub so that the names the base layout links to already resolve.
from django.http import Http404
from django.urls import path


def _not_yet(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("dashboard/", _not_yet, name="dashboard"),
]
