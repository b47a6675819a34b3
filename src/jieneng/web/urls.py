"""URLs: the dashboards at the root, accounts and sign-in, reporting and review, the directory, the
JSON API, the admin and Django's language switch (``set_language``)."""

from django.contrib import admin
from django.urls import include, path

from jieneng.api.endpoints import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jieneng.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reporting/", include("jieneng.reporting.urls")),
    path("directory/", include("jieneng.directory.urls")),
    path("api/v1/", api.urls),
    path("", include("jieneng.dashboard.urls")),
]
