from django.urls import path

from jieneng.dashboard import views
from jieneng.web.placeholder import placeholder

urlpatterns = [
    path("", views.overview, name="overview"),
    path("", views.overview, name="home"),  # the dashboard work replaces this by the landing page
    path("region/<str:code>/", views.overview, name="region"),
    path("unit/<int:pk>/", placeholder, name="unit"),
]
