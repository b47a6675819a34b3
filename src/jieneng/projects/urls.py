"""URLs of the project register, under ``projects/``."""

from django.urls import path

from jieneng.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("import/", views.import_register, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.project, name="project"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/progress/", views.add_progress, name="progress"),
    path("<int:pk>/lamps/", views.add_lamp_class, name="lamps"),
    path("<int:pk>/measure/", views.measure, name="measure"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
