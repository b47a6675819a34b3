"""URLs of the directory (名录库), under ``directory/``: organisations, their facts, and regions."""

from django.urls import path

from jieneng.registry import views

app_name = "directory"
urlpatterns = [
    path("", views.organisations, name="organisations"),
    path("organisation/new/", views.register, name="register"),
    path("organisation/<int:pk>/", views.organisation, name="organisation"),
    path("organisation/<int:pk>/edit/", views.edit, name="edit"),
    path("organisation/<int:pk>/facts/", views.facts, name="facts"),
    path("regions/", views.regions, name="regions"),
    path("regions/<int:pk>/rename/", views.rename_region, name="rename_region"),
]
