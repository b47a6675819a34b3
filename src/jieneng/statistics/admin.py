from django.contrib import admin

from jieneng.statistics.models import EnergyRecord


@admin.register(EnergyRecord)
class EnergyRecordAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "month", "energy_type", "quantity", "unit", "cost")
    list_filter = ("year", "month", "energy_type", "organisation__type_code")
    search_fields = ("organisation__name", "organisation__credit_code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
