"""URLs of reporting, under ``reporting/``: the home, templates, imports, the online form, the review
queue, submissions and who has not reported."""

from django.urls import path

from jieneng.reporting.views import filling, home, overdue, queue, submission, uploads

app_name = "reporting"
urlpatterns = [
    path("", home.index, name="index"),
    path("template/", uploads.template, name="template"),
    path("import/", uploads.upload, name="upload"),
    path("import/<uuid:job_id>/", uploads.job, name="job"),
    path("import/<uuid:job_id>/again/", uploads.again, name="again"),
    path("import/<uuid:job_id>/status/", uploads.job_status, name="job_status"),
    path("import/<uuid:job_id>/annotated.xlsx", uploads.annotated, name="annotated"),
    path("import/<uuid:job_id>/report.json", uploads.report, name="report"),
    path("fill/", filling.fill_page, name="fill"),
    path("fill/check/", filling.fill_check, name="fill_check"),
    path("review/", queue.review_queue, name="queue"),
    path("review/action/", queue.review_action, name="review_action"),
    path("submission/<int:pk>/", submission.submission, name="submission"),
    path("overdue/", overdue.overdue, name="overdue"),
    path("overdue.xlsx", overdue.overdue_xlsx, name="overdue_xlsx"),
]
