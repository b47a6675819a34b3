"""URLs of the directory, under ``directory/``. (Filled in by the directory work.)"""

from django.urls import path

from jieneng.web.placeholder import placeholder

app_name = "directory"
urlpatterns = [
    path("", placeholder, name="organisations"),
]
