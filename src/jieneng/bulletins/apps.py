from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "jieneng.bulletins"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.bulletins.models import IssuedDocument, OfficeTemplate

        for model in (IssuedDocument, OfficeTemplate):
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=["snapshot", "blocks"])
