from django.urls import path

from jieneng.operations.health import healthz

urlpatterns = [path("healthz", healthz, name="healthz")]
