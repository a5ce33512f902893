"""The plan workspace, at /es/plan/ and /en/plan/: the secretariat edits the operative plan."""

from django.urls import path, register_converter

from . import plan_views


class KindConverter:
    """Any kind of plan item. Axes are only edited: they are fixed parts of the strategy."""

    regex = "axis|objective|activity|goal|indicator"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MovableKindConverter(KindConverter):
    """Kinds of plan item that can be added, retired, restored and moved."""

    regex = "objective|activity|goal|indicator"


class DirectionConverter(KindConverter):
    regex = "up|down"


register_converter(KindConverter, "plan_kind")
register_converter(MovableKindConverter, "plan_child")
register_converter(DirectionConverter, "plan_way")

app_name = "plan"
urlpatterns = [
    path("", plan_views.index, name="index"),
    path("<plan_kind:kind>/<int:pk>/edit/", plan_views.edit, name="edit"),
    path("<plan_kind:kind>/<int:pk>/history/", plan_views.history, name="history"),
    path(
        "<plan_kind:kind>/<int:pk>/history/<int:history_id>/revert/",
        plan_views.revert,
        name="revert",
    ),
    path("<plan_child:kind>/new/under/<int:parent_pk>/", plan_views.create, name="create"),
    # Context indicators stand outside the matrix: they have no goal above them.
    path("indicator/new/", plan_views.create, {"kind": "indicator"}, name="create_context"),
    path("<plan_child:kind>/<int:pk>/retire/", plan_views.retire, name="retire"),
    path("<plan_child:kind>/<int:pk>/restore/", plan_views.restore, name="restore"),
    path("<plan_child:kind>/<int:pk>/move/<plan_way:direction>/", plan_views.move, name="move"),
]
