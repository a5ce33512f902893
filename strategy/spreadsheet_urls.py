# Spreadsheet export and import of the operative plan: see issue 3 (being built).
app_name = "spreadsheet"
urlpatterns: list = []
