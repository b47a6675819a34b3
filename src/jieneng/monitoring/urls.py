"""URLs of monitoring, under ``monitoring/``."""

from django.urls import path

from jieneng.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org>/offer/", views.offer, name="offer"),  # before a building named “offer”
    path("org/<int:org>/<str:building>/", views.building, name="building"),
    path("org/<int:org>/<str:building>/daily.csv", views.export, name="export"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_log, name="import"),
]
