from django.urls import path

from . import edit_views, spreadsheet_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.index, name="index"),
    path("print/", views.print_view, name="print"),
    path("export.csv", spreadsheet_views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", spreadsheet_views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("import/", spreadsheet_views.import_page, name="import"),
    path("import/<str:token>/", spreadsheet_views.preview_page, name="import_preview"),
    path("import/<str:token>/confirm/", spreadsheet_views.confirm, name="import_confirm"),
    path("detection/", views.detection, name="detection"),
    path("to-verify/", edit_views.to_verify, name="to_verify"),
    path("actors/<int:pk>/", views.actor_detail, name="actor"),
    path("actors/<int:pk>/edit/", edit_views.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/verify/", edit_views.actor_verify, name="actor_verify"),
    path("actors/new/<str:code>/", edit_views.actor_create, name="actor_create"),
    path("hotlines/<int:pk>/edit/", edit_views.hotline_edit, name="hotline_edit"),
    path("hotlines/<int:pk>/verify/", edit_views.hotline_verify, name="hotline_verify"),
    path("hotlines/new/<str:code>/", edit_views.hotline_create, name="hotline_create"),
    path("steps/<int:pk>/edit/", edit_views.step_edit, name="step_edit"),
    path("steps/<int:pk>/delete/", edit_views.step_delete, name="step_delete"),
    # <code>: a member country's ISO code, or "regional" for the regional route.
    path("routes/<str:code>/", views.route, name="route"),
    path("routes/<str:code>/edit/", edit_views.route_edit, name="route_edit"),
    path("routes/<str:code>/verify/", edit_views.route_verify, name="route_verify"),
    path("routes/<str:code>/steps/new/", edit_views.step_create, name="step_create"),
]
