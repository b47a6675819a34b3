"""URLs of the assessment, under ``assessment/``."""

from django.urls import path

from jieneng.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("units/", views.demonstration_units, name="units"),
    path("units/apply/", views.apply_unit, name="apply_unit"),
    path("events/", views.events, name="events"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/party/<int:party>/", views.self_check, name="self_check"),
    path("<int:pk>/party/<int:party>/verify/", views.verify, name="verify"),
]
