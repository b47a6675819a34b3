"""URLs of accounts, under ``accounts/``. (Filled in by the accounts work.)"""

from django.urls import path

from jieneng.web.placeholder import placeholder

app_name = "accounts"
urlpatterns = [
    path("users/", placeholder, name="users"),
    path("tokens/", placeholder, name="tokens"),
    path("audit/", placeholder, name="audit"),
]
