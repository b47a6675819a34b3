"""URLs of the targets, under ``targets/``."""

from django.urls import path

from jieneng.targets import plan_views, task_views, views, work_views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("warnings/", views.warnings, name="warnings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/count/", views.count, name="count"),
    path("<int:pk>/split/", views.split, name="split"),
    path("<int:pk>/split/sheet/", views.split_sheet, name="split_sheet"),
    path("organising/", work_views.work, name="work"),
    path("organising/<str:code>/group/", work_views.group, name="group"),
    path("organising/<str:code>/meeting/", work_views.meeting, name="meeting"),
    path("letters/", work_views.letters, name="letters"),
    path("letters/issue/<str:code>/", work_views.issue, name="letters_issue"),
    path("letters/<int:pk>/sign/", work_views.sign, name="sign"),
    path("files/<int:pk>/", work_views.attachment, name="file"),
    path("tasks/", task_views.index, name="tasks"),
    path("tasks/new/", task_views.new, name="task_new"),
    path("tasks/<int:pk>/", task_views.detail, name="task"),
    path("tasks/<int:pk>/remind/", task_views.remind, name="task_remind"),
    path("assignments/<int:pk>/", task_views.assignment, name="assignment"),
    path("plans/", plan_views.index, name="plans"),
    path("plans/new/", plan_views.new, name="plan_new"),
    path("plans/<int:pk>/", plan_views.detail, name="plan"),
    path("plans/actions/<int:pk>/report/", plan_views.report, name="action_report"),
]
