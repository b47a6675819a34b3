"""URLs of the dashboards: the landing page (``home``, also ``overview``), a region's dashboard, its
units, its charts as .xlsx and its map's boundaries; a unit's page and its figures as .xlsx."""

from django.urls import path

from jieneng.dashboard import unit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", views.home, name="overview"),  # the same page, under the name older code reverses
    path("region/<str:code>/", views.region_dashboard, name="region"),
    path("region/<str:code>/units/", views.region_units, name="region_units"),
    path("region/<str:code>/boundary.json", views.region_boundary, name="region_boundary"),
    path("region/<str:code>/<slug:chart>.xlsx", views.region_chart, name="region_chart"),
    path("unit/<int:pk>/", unit_views.unit_page, name="unit"),
    path("unit/<int:pk>/figures.xlsx", unit_views.unit_figures, name="unit_figures"),
]
