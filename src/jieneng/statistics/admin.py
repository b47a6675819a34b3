from typing import TYPE_CHECKING

from django.contrib import admin

from jieneng.statistics.models import EnergyRecord

# ModelAdmin is generic in django-stubs only (django_stubs_ext.monkeypatch() is not called)
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[EnergyRecord]
else:
    _ModelAdmin = admin.ModelAdmin


@admin.register(EnergyRecord)
class EnergyRecordAdmin(_ModelAdmin):
    list_display = ("organisation", "year", "month", "energy_type", "quantity", "unit", "cost")
    list_filter = ("year", "month", "energy_type", "organisation__type_code")
    search_fields = ("organisation__name", "organisation__credit_code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
