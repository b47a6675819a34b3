"""Admin pages of the registry, for superusers only (staff without superuser see nothing of it here:
office and department staff maintain the directory through its own pages, within their place).

Every change is audited by django-auditlog like the pages' changes. A change of an organisation's
region or type, or of yearly facts, is made inside :func:`maintenance.keeping_figures`, so the
dashboards' roll-ups follow. A region's code and parent cannot be changed here: a new division is
loaded from the GB/T 2260 table, and the roll-ups rebuilt (``jieneng manage rebuild_rollups``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.registry.maintenance import keeping_figures

# the admin classes are generic in django-stubs only (django_stubs_ext.monkeypatch() is not called)
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]  # one base for the admins of the three models
    _FactsInline = admin.TabularInline[OrganisationYear, Organisation]
else:
    _ModelAdmin = admin.ModelAdmin
    _FactsInline = admin.TabularInline


class SuperuserOnly(_ModelAdmin):
    """Whatever the user's model permissions, only an active superuser sees or changes these rows."""

    @staticmethod
    def _superuser(request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._superuser(request)


@admin.register(Region)
class RegionAdmin(SuperuserOnly):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    def get_readonly_fields(self, request: HttpRequest, obj: Region | None = None) -> tuple[str, ...]:
        return ("code", "level", "parent") if obj is not None else ()


class OrganisationYearInline(_FactsInline):
    model = OrganisationYear
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return SuperuserOnly._superuser(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


def _tracked(
    view: Callable[..., HttpResponse], org_of: Callable[[HttpRequest, str | None], int | None]
) -> Callable[..., HttpResponse]:
    """Run an admin view that may change figures inside :func:`keeping_figures` (on POST only)."""

    def wrapped(
        self: _ModelAdmin, request: HttpRequest, object_id: str | None = None, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        org_id = org_of(request, object_id) if request.method == "POST" else None
        if org_id is None:
            return view(self, request, object_id, *args, **kwargs)
        with keeping_figures([org_id]):
            return view(self, request, object_id, *args, **kwargs)

    return wrapped


def _digits(text: object) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() else None


def _org_id(request: HttpRequest, object_id: str | None) -> int | None:
    return _digits(object_id)


def _fact_org_id(request: HttpRequest, object_id: str | None) -> int | None:
    """The organisation of the facts row, or (a new row) the one chosen in the form."""
    pk = _digits(object_id)
    if pk is None:
        return _digits(request.POST.get("organisation"))
    return OrganisationYear.objects.filter(pk=pk).values_list("organisation_id", flat=True).first()


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly):
    list_display = ("credit_code", "name", "type_code", "region", "supervisor")
    list_filter = ("type_code", "region__level")
    search_fields = ("credit_code", "name")
    autocomplete_fields = ("region", "supervisor")
    list_select_related = ("region", "supervisor")
    inlines = (OrganisationYearInline,)
    actions = None  # no bulk delete: it would leave the roll-ups behind

    changeform_view = _tracked(admin.ModelAdmin.changeform_view, _org_id)
    delete_view = _tracked(admin.ModelAdmin.delete_view, _org_id)


@admin.register(OrganisationYear)
class OrganisationYearAdmin(SuperuserOnly):
    list_display = ("organisation", "year", "building_area_m2", "persons", "vehicles")
    list_filter = ("year", "organisation__type_code")
    search_fields = ("organisation__name", "organisation__credit_code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)
    actions = None

    def get_readonly_fields(
        self, request: HttpRequest, obj: OrganisationYear | None = None
    ) -> tuple[str, ...]:
        return ("organisation",) if obj is not None else ()

    changeform_view = _tracked(admin.ModelAdmin.changeform_view, _fact_org_id)
    delete_view = _tracked(admin.ModelAdmin.delete_view, _fact_org_id)
