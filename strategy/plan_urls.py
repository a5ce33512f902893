# Editing the operative plan in the browser: see issue 3 (being built).
app_name = "plan"
urlpatterns: list = []
