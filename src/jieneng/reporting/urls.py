"""URLs of reporting, under ``reporting/``: templates, imports, the review queue, submissions."""

from django.urls import path

from jieneng.reporting import views
from jieneng.web.placeholder import placeholder

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("import/", views.upload, name="upload"),
    path("import/<uuid:job_id>/", views.job, name="job"),
    path("import/<uuid:job_id>/status/", views.job_status, name="job_status"),
    path("import/<uuid:job_id>/annotated.xlsx", views.annotated, name="annotated"),
    path("import/<uuid:job_id>/report.json", views.report, name="report"),
    path("review/", views.review_queue, name="queue"),
    path("review/action/", views.review_action, name="review_action"),
    path("submission/<int:pk>/", views.submission, name="submission"),
    path("fill/", placeholder, name="fill"),
    path("overdue/", placeholder, name="overdue"),
]
