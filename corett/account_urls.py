# Sign-in, password reset, two-step verification and user management (issue 3).
from django.urls import path

from . import account_views as views
from . import user_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("security/", views.security, name="security"),
    path("security/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("security/api-tokens/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("password/", views.password_change, name="password_change"),
    path("password/changed/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/invite/", user_views.user_invite, name="user_invite"),
    path(
        "users/<int:pk>/two-step/reset/",
        user_views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
]
