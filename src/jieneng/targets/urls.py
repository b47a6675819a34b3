"""URLs of the targets, under ``targets/``."""

from django.urls import path

from jieneng.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("warnings/", views.warnings, name="warnings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/split/", views.split, name="split"),
]
