"""URLs: the dashboards at the root, accounts and sign-in, reporting and review, the directory, the
JSON API, the health check (``/healthz``), the admin and Django's language switch (``set_language``)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jieneng.accounts import views as accounts
from jieneng.api.endpoints import api

# Django's own names for sign-in, sign-out and the password change; no reset by e-mail (offices reset
# a password from the accounts page).
auth = [
    path("login/", accounts.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", accounts.password_change, name="password_change"),
    path("password_change/done/", accounts.password_change_done, name="password_change_done"),
]

admin.site.site_header = _("jieneng administration")
admin.site.site_title = _("jieneng administration")

handler404 = "jieneng.web.errors.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("jieneng.accounts.urls")),
    path("accounts/", include(auth)),
    path("reporting/", include("jieneng.reporting.urls")),
    path("directory/", include("jieneng.registry.urls")),
    path("targets/", include("jieneng.targets.urls")),
    path("documents/", include("jieneng.bulletins.urls")),
    path("projects/", include("jieneng.projects.urls")),
    path("assessment/", include("jieneng.assessment.urls")),
    path("monitoring/", include("jieneng.monitoring.urls")),
    path("api/v1/", api.urls),
    path("", include("jieneng.operations.urls")),
    path("", include("jieneng.dashboard.urls")),
]
