from django.urls import path

from jieneng.dashboard import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("region/<str:code>/", views.overview, name="region"),
]
