from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "jieneng.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.monitoring import models, offers
        from jieneng.reporting import notes

        notes.register(offers.notes_for)

        for model in (models.Meter, models.ImportLog, models.Alert, models.MeterOffer):
            if not auditlog.contains(model):
                auditlog.register(model)
