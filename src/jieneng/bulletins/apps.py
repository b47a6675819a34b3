from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "jieneng.bulletins"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.bulletins.models import CardBatch, IssuedDocument, OfficeTemplate

        for model in (IssuedDocument, OfficeTemplate, CardBatch):
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=["snapshot", "blocks"])
