"""Admin pages of the registry; Django's LogEntry is the audit trail of changes for now."""

from django.contrib import admin

from jieneng.directory.models import Organisation, OrganisationYear, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


class OrganisationYearInline(admin.TabularInline):
    model = OrganisationYear
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("credit_code", "name", "type_code", "region", "supervisor")
    list_filter = ("type_code", "region__level", "region")
    search_fields = ("credit_code", "name", "address")
    autocomplete_fields = ("region", "supervisor")
    list_select_related = ("region", "supervisor")
    inlines = (OrganisationYearInline,)


@admin.register(OrganisationYear)
class OrganisationYearAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "building_area_m2", "persons", "vehicles")
    list_filter = ("year", "organisation__type_code")
    search_fields = ("organisation__name", "organisation__credit_code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
