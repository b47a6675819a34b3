"""The third-party apps under names an office reads: the admin lists apps by their ``verbose_name``,
which axes and django-tasks do not translate and auditlog translates only into a few languages; the
audit trail's list also gets its two untranslated labels (the correlation column, the object types)."""

from __future__ import annotations

from typing import Any

from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class SignInProtection(AxesAppConfig):  # type: ignore[misc]  # axes ships no types
    verbose_name = _("Sign-in protection")


class BackgroundTasks(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy string, as Django allows


class AuditTrail(AuditlogConfig):  # type: ignore[misc]  # auditlog ships no types
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        super().ready()
        from auditlog.admin import LogEntryAdmin
        from auditlog.filters import CIDFilter, ResourceTypeFilter
        from auditlog.models import LogEntry
        from django.contrib import admin
        from django.contrib.contenttypes.models import ContentType

        class ObjectTypes(ResourceTypeFilter):  # type: ignore[misc]
            def lookups(self, request: Any, model_admin: Any) -> list[tuple[int, str]]:
                ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True).distinct()
                types = ContentType.objects.filter(pk__in=ids)
                return sorted(((t.pk, str(t)) for t in types), key=lambda pair: pair[1])

        class TrailAdmin(LogEntryAdmin):  # type: ignore[misc]
            list_filter = ("action", ObjectTypes, CIDFilter)

            @admin.display(description=_("Correlation ID"))
            def cid_url(self, obj: Any) -> Any:
                return super().cid_url(obj)

        if admin.site.is_registered(LogEntry):  # the admin's autodiscovery ran first (it is listed first)
            admin.site.unregister(LogEntry)
            admin.site.register(LogEntry, TrailAdmin)
