"""URLs: the dashboard at the root, the admin, Django's language switch (``set_language``) and sign-in,
and the reporting pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reporting/", include("jieneng.reporting.urls")),
    path("", include("jieneng.dashboard.urls")),
]
