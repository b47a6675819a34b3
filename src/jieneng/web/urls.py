"""URLs: the dashboard at the root, the admin, and Django's language switch (``set_language``)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jieneng.dashboard.urls")),
]
