from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jieneng.io.formfile import shown_unit
from jieneng.reference import load_energy_types
from jieneng.statistics.models import EnergyRecord

# ModelAdmin is generic in django-stubs only (django_stubs_ext.monkeypatch() is not called)
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[EnergyRecord]
else:
    _ModelAdmin = admin.ModelAdmin


def _chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def energy_name(code: str) -> str:
    """An energy type by its name in the user's language (the stored code only if the type is unknown)."""
    energy = load_energy_types().types.get(code)
    if energy is None:
        return code
    return energy.zh if _chinese() else energy.en


class EnergyTypeFilter(admin.SimpleListFilter):
    title = _("energy type")
    parameter_name = "energy_type"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        codes = EnergyRecord.objects.values_list("energy_type", flat=True).distinct()
        return sorted(((code, energy_name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request: Any, queryset: QuerySet[EnergyRecord]) -> QuerySet[EnergyRecord]:
        value = self.value()
        return queryset.filter(energy_type=value) if value else queryset


@admin.register(EnergyRecord)
class EnergyRecordAdmin(_ModelAdmin):
    list_display = ("organisation", "year", "month", "energy", "quantity", "shown_unit", "cost")
    list_filter = ("year", "month", EnergyTypeFilter, "organisation__type_code")
    search_fields = ("organisation__name", "organisation__credit_code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)

    @admin.display(description=_("energy type"), ordering="energy_type")
    def energy(self, record: EnergyRecord) -> str:
        return energy_name(record.energy_type)

    @admin.display(description=_("unit"), ordering="unit")
    def shown_unit(self, record: EnergyRecord) -> str:
        return shown_unit(record.unit, get_language() or "zh-hans")
