"""URLs of accounts, under ``accounts/``: accounts and roles, one's own tokens and roles, the audit
trail, sign-in and the password change (in front of Django's own, whose URL names stay valid)."""

from django.urls import path

from jieneng.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user, name="user"),
    path("users/<int:pk>/roles/", views.grant, name="grant"),
    path("users/<int:pk>/roles/<int:membership>/revoke/", views.revoke, name="revoke"),
    path("users/<int:pk>/active/", views.set_active, name="set_active"),
    path("users/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("place/", views.place, name="place"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit, name="audit"),
    path("login/", views.login, name="login"),
    path("password_change/", views.password_change, name="password_change"),
    path("password_change/done/", views.password_change_done, name="password_change_done"),
]
